//! The demonstration's partnership car (seed 002): a police officer and
//! the City IDVA service's worker attend domestic abuse call-outs together.
//! Six months of call-outs so far, some to the same victims again, and a
//! baseline of the six months before imported as aggregate figures.

use jiff::ToSpan;

use crate::programmes::{CallOutInput, ProgrammeInput};
use crate::{App, Result, command_line_actor};

pub(super) const NAME: &str = "Eastmoor partnership car";

/// The baseline: the six months before the car, as the force counted them.
const BASELINE: &str = "measure,count
call_outs,164
joint_attendance,0
dash_done,58
safety_plan,21
children_present,61
arrest,49
protection_applied,9
protection_granted,6
engaged,37
onward_referral,30
charged,22
convicted,11
no_further_action,71
repeat,52
";

/// Given names and family names the call-outs' victims are drawn from: a
/// smaller pool than the call-outs, so some victims are called out to again.
const GIVEN: [&str; 12] = [
    "Alys", "Bethan", "Carys", "Dana", "Elin", "Ffion", "Gwen", "Hana", "Iona", "Jess", "Kira",
    "Lowri",
];
const FAMILY: [&str; 9] = [
    "Marsh", "Penrose", "Quill", "Rowe", "Sable", "Tarrant", "Umber", "Vane", "Wick",
];

/// Sets the programme up with its call-outs and baseline (once; again does
/// nothing). Gives the number of call-outs recorded.
pub async fn partnership_car(app: &App) -> Result<usize> {
    let cli = command_line_actor();
    if app
        .programmes_set_up(&cli)
        .await?
        .iter()
        .any(|p| p.name == NAME)
    {
        return Ok(0);
    }
    let Some(idva) = super::actor_of(app, "idva@cityadvocacy.example").await? else {
        return Ok(0);
    };
    let areas = app.areas(&cli).await?;
    let Some(city) = areas.iter().find(|a| a.name == "Eastmoor City") else {
        return Ok(0);
    };
    let today = app.today();
    let starts = today.first_of_month().saturating_sub(6.months());
    let programme = app
        .create_programme(
            &cli,
            &ProgrammeInput {
                name: NAME.into(),
                service: "City IDVA service".into(),
                starts_on: starts.to_string(),
                ends_on: starts
                    .saturating_add(1.year())
                    .saturating_sub(1.day())
                    .to_string(),
                baseline_from: starts.saturating_sub(6.months()).to_string(),
                baseline_to: starts.saturating_sub(1.day()).to_string(),
                funding: "47013".into(),
                funding_source: "Community Safety Grant".into(),
                partners: vec![
                    "Eastmoor County Council: lead commissioner".into(),
                    "Office of the Police and Crime Commissioner for Eastmoor: co-funder".into(),
                    "Eastmoor Constabulary: police officer on the car".into(),
                    "City Advocacy Partnership: specialist worker on the car".into(),
                ],
            },
        )
        .await?;
    app.import_baseline(&cli, &programme.id, BASELINE).await?;
    let mut recorded = 0;
    let mut turn: u64 = 7;
    let mut day = starts;
    while day < today {
        // About one call-out a night, more at weekends.
        let tonight = match day.weekday() {
            jiff::civil::Weekday::Friday | jiff::civil::Weekday::Saturday => 2,
            _ => 1,
        };
        for n in 0..tonight {
            turn = turn
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let roll = |of: u64, shift: u32| (turn >> shift) % of;
            // Six hundred possible victims: about one call-out in five is
            // to someone called out to before.
            let victim = roll(600, 33) as usize;
            let dash = roll(10, 8) < 8;
            let applied = roll(10, 12) < 2;
            let outcome = match roll(10, 16) {
                0 | 1 => "charged",
                2 => "convicted",
                3..=5 => "no_further_action",
                _ => "awaiting",
            };
            let input = CallOutInput {
                day: day.to_string(),
                time: format!("{:02}:{:02}", 19 + n * 2 + roll(2, 20) as i8, roll(60, 24)),
                incident_reference: format!("EM-{}-{:05}", day.year(), roll(100_000, 28)),
                area: city.id.clone(),
                given_name: GIVEN[victim % GIVEN.len()].into(),
                family_name: FAMILY[(victim / GIVEN.len()) % FAMILY.len()].into(),
                date_of_birth: format!(
                    "{}-{:02}-{:02}",
                    1965 + victim % 40,
                    1 + (victim / 40) % 12,
                    10 + victim / 480
                ),
                joint_attendance: roll(10, 40) < 9,
                dash_done: dash,
                dash_level: if dash {
                    ["standard", "medium", "high"][roll(3, 44) as usize].into()
                } else {
                    String::new()
                },
                safety_plan: roll(10, 48) < 6,
                children_present: roll(10, 52) < 4,
                arrest: roll(10, 56) < 4,
                protection_applied: applied,
                protection_granted: applied && roll(10, 60) < 7,
                engaged: roll(10, 36) < 6,
                onward_referral: roll(10, 4) < 4,
                justice_outcome: outcome.into(),
            };
            app.record_call_out(&idva, &programme.id, &input).await?;
            recorded += 1;
        }
        day = day.saturating_add(1.day());
    }
    Ok(recorded)
}
