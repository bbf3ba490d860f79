//! A victim referred twice by the police feed, her name typed differently
//! the second time: intake cannot be sure it is her, so she waits on the
//! service's "possibly the same person" list. Then the records generated
//! are searched for look-alikes, as a service would on first installing.

use crate::people::PersonInput;
use crate::referrals::{PersonChoice, ReferralInput};
use crate::{App, Result, command_line_actor};

/// Sends the repeat referrals and lists the pairs found; returns how many
/// pairs wait on review lists.
pub async fn repeat_victims(app: &App) -> Result<u64> {
    let cli = command_line_actor();
    let services = app.services(&cli).await?;
    let Some(victim_care) = services
        .iter()
        .find(|s| s.name.starts_with("Eastmoor Victim Care"))
    else {
        return Ok(0);
    };
    for (given, phone) in [("Morwenna", ""), ("Morwena", "07700 900987")] {
        let input = ReferralInput {
            service_id: victim_care.id.clone(),
            source: "police".into(),
            crime_type: "theft".into(),
            consent: "given".into(),
            person: PersonInput {
                given_name: given.into(),
                family_name: "Tregarthen".into(),
                date_of_birth: "1983-03-04".into(),
                phone: phone.into(),
                ..Default::default()
            },
            ..Default::default()
        };
        app.take_referral(&cli, &input, &PersonChoice::sender())
            .await?;
    }
    app.find_possible_duplicates(&cli).await?;
    let everything = domain::policy::Visibility {
        everything: true,
        ..Default::default()
    };
    let mut conn = app.db.conn().await?;
    let waiting = store::duplicates::count_waiting(&mut conn, &everything).await?;
    Ok(u64::try_from(waiting).unwrap_or(0))
}
