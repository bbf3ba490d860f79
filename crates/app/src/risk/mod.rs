//! Risk assessment on a case: templates as data (shipped, or imported by a
//! service that holds licensed wording), each service's bands, and the
//! assessments with their history and review dates (docs/risk.md).

mod assess;
mod bands;
mod incidents;
mod input;
pub mod messages;
mod safety_plan;
mod show;
mod templates;
mod withdraw;

pub use incidents::{Escalation, IncidentEdit, IncidentInput};
pub use input::RiskInput;
pub use safety_plan::SafetyPlanInput;
pub use show::AssessmentView;
pub use store::risk::Assessment;
pub use store::risk::Incident;
pub use store::risk::SafetyPlan;
pub use templates::{AvailableTemplate, RiskForm, SHIPPED};

pub(crate) use incidents::{escalation, escalation_threshold};
pub(crate) use templates::all_versions;
