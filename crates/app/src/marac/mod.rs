//! The MARAC: its setting up (agencies, agenda order, meetings) and
//! referrals to it from a case, with the criteria computed and the form
//! filled from the risk assessment and the case (docs/marac.md).

pub mod messages;
mod refer;
mod setup;

pub use refer::{MaracDraft, MaracReferralInput};
pub use setup::MaracInput;
pub use store::marac::{Agency, Marac, MaracReferral, Meeting};
