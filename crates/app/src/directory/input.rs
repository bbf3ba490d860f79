//! The field lists for the directory's records: the pages' forms and the
//! API's bodies both fill these.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewOrganisation {
    #[schema(required = true)]
    pub name: String,
    #[schema(required = true)]
    pub kind: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewArea {
    #[schema(required = true)]
    pub name: String,
    #[schema(required = true)]
    pub kind: String,
    pub parent_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewServiceInput {
    #[schema(required = true)]
    pub name: String,
    #[schema(required = true)]
    pub kind: String,
    #[schema(required = true)]
    pub organisation_id: String,
    pub commissioner_id: Option<String>,
    #[schema(required = true)]
    pub area_id: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewTeam {
    #[schema(required = true)]
    pub name: String,
}
