//! Taking referrals, their Victims' Code deadlines, safe contact, contact
//! attempts and triage.

mod contact;
mod correct;
mod crime_types;
mod dates;
mod input;
mod intake;
mod lookups;
pub mod messages;
mod person;
mod prepare;
mod progress;
mod resend;
mod show;
mod take;
mod triage;
mod worklist;
mod write;

pub use crime_types::CrimeTypeRule;
pub use input::{PersonChoice, ReferralCorrection, ReferralInput};
pub(crate) use intake::Intake;
pub use lookups::Lookups;
pub(crate) use person::new_person;
pub(crate) use prepare::{Prepare, Prepared, SENDER_REFERENCE_LIMIT};
pub(crate) use resend::{content_of, differences};
pub use show::ReferralDetail;
pub use store::referrals::ReferralSort;
pub use take::Taken;
pub use worklist::{DeadlineView, DueFilter, WorkItem, WorklistFilter, deadlines};
pub(crate) use write::recognised_or_new;

pub(crate) fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}
