//! People: the victims a service supports. A person is first recorded with
//! a referral (`referrals::take`); here their details are corrected, their
//! record's history read, and two records of one victim found and merged.

mod correct;
mod dismiss;
mod duplicates;
mod find_duplicates;
mod history;
mod input;
mod merge;
pub mod messages;

pub use duplicates::{ListedPair, Pair, PairSort, PairView, Side};
pub use find_duplicates::Found;
pub use history::Correction;
pub use input::PersonInput;
pub use merge::Keep;
pub(crate) use messages::PeopleMessage;
