//! The one field list for a risk assessment.

use serde::Deserialize;
use utoipa::ToSchema;

/// A completed assessment as entered: answers and text boxes by the
/// template's ids (`yes`, `no`, `dont_know` or `not_asked`; a question
/// left out is not asked).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RiskInput {
    /// The template's key, such as `dash`; its latest version is used.
    pub template: String,
    /// The day it was done (day, month, year); today if blank.
    pub assessed_on: String,
    /// The incident or change that prompted it.
    pub prompted_by: String,
    pub answers: Vec<(String, String)>,
    pub texts: Vec<(String, String)>,
    /// `standard`, `medium` or `high`, or blank for none.
    pub judgement_level: String,
    pub judgement_reasons: String,
    /// When it is to be reviewed (day, month, year).
    pub review_on: String,
}
