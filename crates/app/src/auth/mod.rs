//! Signing in and out, sessions, the second factor and password changes.
//!
//! Throttling (see `docs/security.md`): at most `account_failure_limit` wrong
//! guesses per account in the window. Failures are counted apart for each
//! trusted device (a browser that has signed in to that account before), so
//! an attacker guessing from elsewhere cannot lock the owner out. Failures
//! from one address beyond a free allowance make each further attempt wait,
//! doubling each time. Unknown usernames are counted and answered exactly as
//! known ones, and their password is checked against a dummy hash so the
//! time taken does not tell them apart either.

pub mod messages;
mod password;
mod second_factor;
mod session;
mod sign_in;

pub use password::*;
pub use second_factor::*;
pub use session::*;
pub use sign_in::*;

use domain::policy::Actor;
use store::users::User;

pub(crate) fn actor_for(user: &User, grants: &[store::users::GrantRow]) -> Actor {
    Actor {
        submission: None,
        id: user.id.clone(),
        label: user.username.clone(),
        organisation_id: user.organisation_id.clone(),
        grants: grants.iter().filter_map(|g| g.grant()).collect(),
    }
}
