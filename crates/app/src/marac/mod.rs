//! The MARAC: its setting up (agencies, agenda order, meetings), referrals
//! to it from a case, with the criteria computed and the form filled from
//! the risk assessment and the case, and its meetings at work: agendas,
//! confidentiality, research, actions, outcomes and minutes
//! (docs/marac.md).

mod access;
mod acknowledge;
mod actions;
mod agenda;
mod case;
mod correct_referral;
mod figures;
mod flags;
mod input;
mod meeting;
pub mod messages;
mod outcome;
mod refer;
mod research;
mod setup;
mod withdraw;

pub use access::marac_place;
pub use acknowledge::CONFIDENTIALITY_STATEMENT;
pub use case::{MaracCaseRead, MaracCaseView};
pub use correct_referral::ReferralToCorrect;
pub use figures::MARAC_FIGURES;
pub use flags::MaracFlag;
pub(crate) use flags::marac_flags;
pub use input::{ActionInput, ActionUpdateInput, ResearchInput};
pub use meeting::{MaracSummary, MeetingDue, MeetingView};
pub use refer::{MaracDraft, MaracReferralInput};
pub use setup::{AgencyInput, MaracCorrection, MaracInput, MaracSetup};
pub use store::marac::{
    Acknowledgement, Agency, AgendaEntry, Marac, MaracReferral, Meeting, Research, Subject,
};
