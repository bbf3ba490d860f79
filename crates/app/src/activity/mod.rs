//! Recorded activity (docs/activity.md): a worker's time on contacts, duty
//! hours, travel, court, MARAC and other work, against a service, an area,
//! a funder and a case; reports by worker, area and funder; and activity
//! shares that add up to exactly 100%, for splitting a cost.

mod input;
pub mod messages;
mod record;
mod report;

pub use input::ActivityInput;
pub use record::ActivityForm;
pub use report::{ActivityReport, ReportRow};
pub use store::activity::Activity;
