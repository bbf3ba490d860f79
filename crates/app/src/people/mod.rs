//! People: the victims a service supports. A person is first recorded with
//! a referral (`referrals::take`); here their details are corrected, and
//! their record's history read.

mod correct;
mod history;
mod input;

pub use history::Correction;
pub use input::PersonInput;
