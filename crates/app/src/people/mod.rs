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
pub(crate) use input::date_of_birth;
pub use merge::Keep;
pub(crate) use messages::PeopleMessage;

/// A pair the actor may decide (merge or dismiss), read in the change's
/// transaction: in a service whose cases they may work. Any other is not
/// found.
async fn pair_to_decide(
    tx: &mut crate::Write<'_>,
    actor: &domain::policy::Actor,
    pair_id: &str,
) -> crate::Result<Pair> {
    let visibility = domain::policy::visibility(actor, domain::policy::Action::ManageCases);
    store::duplicates::find_visible(tx.conn(), pair_id, &visibility)
        .await?
        .ok_or(crate::AppError::NotFound)
}
