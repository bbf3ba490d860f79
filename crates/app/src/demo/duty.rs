//! The demonstration's duty rota: the city and county IDVA services share
//! 365-day cover, 09:00 to 20:00, with the last week worked and the coming
//! four weeks planned but for one gap next week.

use domain::calendar::Nation;
use domain::duty::{Pattern, days_from};
use jiff::ToSpan;
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::calendar::uk_time_zone;
use crate::clock::instant_text;
use crate::duty::RotaInput;
use crate::secrets::new_id;
use crate::{App, Result, command_line_actor};

const NAME: &str = "Eastmoor IDVA duty";
const SERVICES: [&str; 2] = ["City IDVA service", "County IDVA service"];

/// Sets up the rota and its shifts (once; again does nothing). Gives the
/// number of shifts filled.
pub async fn duty_rota(app: &App) -> Result<usize> {
    let cli = command_line_actor();
    let mut conn = app.db.conn().await?;
    let existing = store::duty::rotas(&mut conn).await?;
    drop(conn);
    if existing.iter().any(|r| r.name == NAME) {
        return Ok(0);
    }
    let input = RotaInput {
        name: NAME.into(),
        role: "Duty IDVA".into(),
        contact: "Duty line 01632 960 199 (fictional)".into(),
        pattern: "weekday 09:00-20:00; weekend 09:00-20:00; bank_holiday 09:00-20:00".into(),
        services: SERVICES.iter().map(|s| s.to_string()).collect(),
        ..RotaInput::default()
    };
    let rota = app.create_duty_rota(&cli, &input).await?;
    let pattern = Pattern::parse(&rota.pattern).unwrap_or_default();
    let calendar = app.calendar(Nation::EnglandAndWales).await?;
    let services = app.services(&cli).await?;
    let mut workers = Vec::new();
    for name in SERVICES {
        let Some(service) = services.iter().find(|s| s.name == name) else {
            continue;
        };
        for user in app.holders_in_service(&service.id).await? {
            if !user.username.starts_with("manager@") {
                workers.push((user.id, service.id.clone()));
            }
        }
    }
    if workers.is_empty() {
        return Ok(0);
    }
    let today = app.today();
    let gap = today.saturating_add(8.days());
    let now = app.clock.now_text();
    let mut tx = app.write(&cli, &now).await?;
    let mut filled = 0;
    let zone = uk_time_zone();
    for (n, day) in days_from(today.saturating_sub(7.days()), 35)
        .into_iter()
        .enumerate()
    {
        if day == gap {
            continue;
        }
        for (index, slot) in pattern.slots_on(day, &calendar).iter().enumerate() {
            let (worker, service) = &workers[n % workers.len()];
            let (starts, ends) = slot.on(day, &zone);
            store::duty::insert_shift(
                tx.conn(),
                &store::duty::Shift {
                    id: new_id(),
                    rota_id: rota.id.clone(),
                    on_day: day.to_string(),
                    slot: index as i64,
                    starts_at: instant_text(starts),
                    ends_at: instant_text(ends),
                    worker_id: worker.clone(),
                    service_id: service.clone(),
                    created_at: now.clone(),
                    ..Default::default()
                },
            )
            .await?;
            filled += 1;
        }
    }
    tx.commit(
        Change::new(AuditAction::DutyShiftAssigned, "duty_rota", &rota.id)
            .after(json!({ "demonstration_shifts": filled, "gap": gap.to_string() })),
    )
    .await?;
    Ok(filled)
}

/// A year of the two IDVA services' recorded time, three parts in the
/// county's districts to two in the city: the split the cost of the duty
/// service follows (seed 004's 60/40). Once; again does nothing.
pub async fn activity_records(app: &App) -> Result<usize> {
    use domain::activity::ActivityKind;
    let cli = command_line_actor();
    let mut conn = app.db.conn().await?;
    let recorded = store::activity::any(&mut conn).await?;
    drop(conn);
    if recorded {
        return Ok(0);
    }
    let areas = app.areas(&cli).await?;
    let area = |name: &str| areas.iter().find(|a| a.name == name).map(|a| a.id.clone());
    let (Some(city), Some(ashby), Some(millbrook)) =
        (area("Eastmoor City"), area("Ashby Vale"), area("Millbrook"))
    else {
        return Ok(0);
    };
    let services = app.services(&cli).await?;
    let mut workers = Vec::new();
    for name in SERVICES {
        if let Some(service) = services.iter().find(|s| s.name == name) {
            for user in app.holders_in_service(&service.id).await? {
                workers.push((user.id, service.id.clone(), service.commissioner_id.clone()));
            }
        }
    }
    let kinds = [
        ActivityKind::Contact,
        ActivityKind::Duty,
        ActivityKind::Travel,
        ActivityKind::Court,
        ActivityKind::Marac,
    ];
    let today = app.today();
    let now = app.clock.now_text();
    let mut tx = app.write(&cli, &now).await?;
    let mut count = 0;
    for back in 1..=365i64 {
        let day = today.saturating_sub(back.days());
        if matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            continue;
        }
        for (n, (worker, service, funder)) in workers.iter().enumerate() {
            let turn = back as usize + n;
            let area = match turn % 5 {
                0 | 1 => &city,
                2 | 3 => &ashby,
                _ => &millbrook,
            };
            store::activity::insert(
                tx.conn(),
                &store::activity::Activity {
                    id: new_id(),
                    service_id: service.clone(),
                    worker_id: worker.clone(),
                    on_day: day.to_string(),
                    kind: kinds[turn % kinds.len()].code().to_string(),
                    minutes: 240 + (turn % 4) as i64 * 60,
                    area_id: area.clone(),
                    funder_id: funder.clone(),
                    recorded_at: now.clone(),
                    ..Default::default()
                },
            )
            .await?;
            count += 1;
        }
    }
    tx.commit(
        Change::new(AuditAction::ActivityRecorded, "activity", "demonstration")
            .after(json!({ "demonstration_entries": count })),
    )
    .await?;
    Ok(count)
}

/// Duty requests over the last week, at every hour, most answered within
/// their targets and some not; one case opened on duty and handed over,
/// and one opened today waiting for its handover. Once; again does nothing.
pub async fn duty_requests(app: &App) -> Result<usize> {
    use crate::duty::{ActionedInput, HandoverInput, Recorded, RequestInput};
    let mut conn = app.db.conn().await?;
    let rota = store::duty::rotas(&mut conn)
        .await?
        .into_iter()
        .find(|r| r.name == NAME);
    let Some(rota) = rota else {
        return Ok(0);
    };
    let (from, to) = crate::duty::day_span(app.today().saturating_sub(30.days()), app.today());
    let taken = store::duty::requests_between(&mut conn, &rota.id, &from, &to).await?;
    drop(conn);
    if !taken.is_empty() {
        return Ok(0);
    }
    let (Some(idva), Some(manager)) = (
        super::actor_of(app, "idva@cityadvocacy.example").await?,
        super::actor_of(app, "manager@cityadvocacy.example").await?,
    ) else {
        return Ok(0);
    };
    let sources = ["police", "hospital", "police", "marac", "court", "victim"];
    let names = [
        ("Mared", "Ellis"),
        ("Noor", "Haddad"),
        ("Oona", "Pryce"),
        ("Priya", "Lane"),
        ("Rosa", "Mendez"),
        ("Sian", "Teague"),
    ];
    let zone = uk_time_zone();
    let today = app.today();
    let mut count = 0;
    for back in (1..=6i64).rev() {
        let day = today.saturating_sub(back.days());
        for (n, hour) in [3i8, 9, 11, 14, 17, 21].into_iter().enumerate() {
            let (given, family) = names[(n + back as usize) % names.len()];
            let input = RequestInput {
                source: sources[(n + back as usize) % sources.len()].into(),
                urgency: if n % 3 == 0 { "urgent" } else { "routine" }.into(),
                received_on: day.to_string(),
                received_time: format!("{hour:02}:{:02}", (n * 7) % 60),
                given_name: given.into(),
                family_name: format!("{family}-{back}"),
                confirm_new_person: true,
                asked: "Advice on safety planning and whether to refer".into(),
                ..RequestInput::default()
            };
            let Recorded::Request(request) =
                app.record_duty_request(&idva, &rota.id, &input).await?
            else {
                continue;
            };
            count += 1;
            // Most answered within the hour or two; the night's by morning;
            // one in five late.
            let received: jiff::Timestamp = request.received_at.parse().unwrap_or_default();
            let target: jiff::Timestamp = request.target_at.parse().unwrap_or_default();
            let answered = if (n + back as usize).is_multiple_of(5) {
                target.checked_add(jiff::SignedDuration::from_mins(45))
            } else {
                received.checked_add(jiff::SignedDuration::from_mins(20 + 15 * n as i64))
            }
            .unwrap_or(received)
            .min(app.clock.now());
            let at = answered.to_zoned(zone.clone());
            let outcome = ["advice", "signposted", "referral_taken", "advice"][n % 4];
            app.action_duty_request(
                &idva,
                &rota.id,
                &request.id,
                &ActionedInput {
                    actioned_on: at.date().to_string(),
                    actioned_time: format!("{:02}:{:02}", at.hour(), at.minute()),
                    outcome: outcome.into(),
                    crime_type: "domestic_abuse".into(),
                    consent: "given".into(),
                    ..ActionedInput::default()
                },
            )
            .await?;
        }
    }
    // Yesterday evening's last request: a case opened on duty, handed over.
    let now = app.clock.now().to_zoned(zone.clone());
    let case_input = ActionedInput {
        actioned_on: now.date().to_string(),
        actioned_time: format!("{:02}:{:02}", now.hour(), now.minute()),
        outcome: "case_opened".into(),
        crime_type: "domestic_abuse".into(),
        consent: "given".into(),
        note: "Victim wants support tonight".into(),
    };
    let today_request = RequestInput {
        source: "police".into(),
        urgency: "urgent".into(),
        given_name: "Tegan".into(),
        family_name: "Holt".into(),
        confirm_new_person: true,
        asked: "Officers at the address: the victim asks for an IDVA tonight".into(),
        ..RequestInput::default()
    };
    for (i, input) in [
        Some(RequestInput {
            given_name: "Yasmin".into(),
            family_name: "Orr".into(),
            ..today_request.clone()
        }),
        Some(today_request),
    ]
    .into_iter()
    .flatten()
    .enumerate()
    {
        let Recorded::Request(request) = app.record_duty_request(&idva, &rota.id, &input).await?
        else {
            continue;
        };
        app.action_duty_request(&idva, &rota.id, &request.id, &case_input)
            .await?;
        count += 1;
        if i == 0 {
            let mut conn = app.db.conn().await?;
            let referral = store::duty::request(&mut conn, &request.id)
                .await?
                .and_then(|r| r.referral_id);
            let case = match referral {
                Some(r) => store::cases::find_by_referral(&mut conn, &r).await?,
                None => None,
            };
            drop(conn);
            let ade = app.staff_by_username("ade.wren@cityadvocacy.example").await;
            if let (Some(case), Ok(ade)) = (case, ade) {
                app.hand_over_duty_case(
                    &manager,
                    &case.id,
                    &HandoverInput {
                        to: ade.id,
                        note: "DASH high; safety plan agreed; call after 18:00 only".into(),
                    },
                )
                .await?;
            }
        }
    }
    Ok(count)
}
