//! People: the victims a service supports. A person is first recorded with
//! a referral (`referrals::take`); here their details are corrected, and
//! their record's history read.

mod input;

pub use input::PersonInput;
