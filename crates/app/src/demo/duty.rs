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
