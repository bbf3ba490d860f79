//! Recording time, and correcting an entry: by the worker who spent it,
//! in a service where they do casework; never a day to come, never more
//! than 24 hours in a day. The entry's record keeps what it said before in
//! the audit log.

use domain::activity::{ActivityKind, MINUTES_IN_A_DAY};
use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use domain::values::Day;
use serde_json::json;
use store::activity::Activity;
use store::directory::{Area, Organisation, Service};

use crate::activity::ActivityInput;
use crate::activity::messages::ActivityMessage;
use crate::audit::{AuditAction, Change};
use crate::directory::place_of_service;
use crate::door::Write;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// What the form offers: the services the actor works in, the areas, the
/// funders, and their entries of a period.
#[derive(Debug, Clone)]
pub struct ActivityForm {
    pub services: Vec<Service>,
    pub areas: Vec<Area>,
    pub funders: Vec<Organisation>,
    pub entries: Vec<Activity>,
    pub total_minutes: i64,
}

impl App {
    /// The actor's entries from one day to another, with what the form offers.
    pub async fn my_activity(&self, actor: &Actor, from: &str, to: &str) -> Result<ActivityForm> {
        let services = self.services_worked_in(actor).await?;
        if services.is_empty() {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let entries = store::activity::of_worker(&mut conn, &actor.id, from, to).await?;
        let areas = store::directory::list_areas(&mut conn).await?;
        let funders = store::directory::list_organisations(&mut conn).await?;
        Ok(ActivityForm {
            total_minutes: entries.iter().map(|e| e.minutes).sum(),
            services,
            areas,
            funders,
            entries,
        })
    }

    /// One of the actor's own entries, to correct.
    pub async fn activity_to_correct(&self, actor: &Actor, id: &str) -> Result<Activity> {
        let mut conn = self.db.conn().await?;
        store::activity::find(&mut conn, id)
            .await?
            .filter(|a| a.worker_id == actor.id)
            .ok_or(AppError::NotFound)
    }

    async fn services_worked_in(&self, actor: &Actor) -> Result<Vec<Service>> {
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_services(&mut conn, &everything)
            .await?
            .into_iter()
            .filter(|s| policy::may(actor, Action::ManageCases, &place_of_service(s)))
            .collect())
    }

    pub async fn record_activity(&self, actor: &Actor, input: &ActivityInput) -> Result<Activity> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let entry = checked(self, &mut tx, actor, input, new_id(), &now).await?;
        store::activity::insert(tx.conn(), &entry).await?;
        tx.commit(
            Change::new(AuditAction::ActivityRecorded, "activity", &entry.id)
                .place(None, Some(&entry.service_id))
                .after(shown(&entry)),
        )
        .await?;
        Ok(entry)
    }

    /// Corrects one of the actor's own entries (its service stays).
    pub async fn correct_activity(
        &self,
        actor: &Actor,
        id: &str,
        input: &ActivityInput,
    ) -> Result<Activity> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::activity::find(tx.conn(), id)
            .await?
            .filter(|a| a.worker_id == actor.id)
            .ok_or(AppError::NotFound)?;
        let input = ActivityInput {
            service: before.service_id.clone(),
            ..input.clone()
        };
        let mut entry = checked(self, &mut tx, actor, &input, before.id.clone(), &now).await?;
        entry.recorded_at = before.recorded_at.clone();
        store::activity::update(tx.conn(), &entry).await?;
        tx.commit(
            Change::new(AuditAction::ActivityCorrected, "activity", &entry.id)
                .place(None, Some(&entry.service_id))
                .before(shown(&before))
                .after(shown(&entry)),
        )
        .await?;
        Ok(entry)
    }
}

/// What the log keeps of an entry: no note, which may name the victim.
fn shown(a: &Activity) -> serde_json::Value {
    json!({
        "day": a.on_day,
        "kind": a.kind,
        "minutes": a.minutes,
        "case_id": a.case_id,
        "area_id": a.area_id,
        "funder_id": a.funder_id,
    })
}

/// The entry the input describes, checked inside the transaction: every
/// problem named, the day's total included.
async fn checked(
    app: &App,
    tx: &mut Write<'_>,
    actor: &Actor,
    input: &ActivityInput,
    id: String,
    now: &str,
) -> Result<Activity> {
    let mut errors = FieldErrors::new();
    let day = match Day::parse(&input.day).map(Day::date) {
        Ok(d) if d > app.today() => {
            errors.add("day", ActivityMessage::DayInFuture);
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.add("day", ActivityMessage::DayReal);
            None
        }
    };
    let kind = ActivityKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.add("kind", ActivityMessage::ChooseKind);
    }
    let number = |text: &str| -> Option<i64> {
        match text.trim() {
            "" => Some(0),
            t => t.parse::<i64>().ok().filter(|n| *n >= 0),
        }
    };
    let minutes = match (number(&input.hours), number(&input.minutes)) {
        (Some(h), Some(m)) if m < 60 && h <= 24 => {
            let total = h * 60 + m;
            if !(1..=MINUTES_IN_A_DAY).contains(&total) {
                errors.add("hours", ActivityMessage::TimeBetween);
            }
            total
        }
        _ => {
            errors.add("hours", ActivityMessage::TimeWhole);
            0
        }
    };
    let note = text(
        &mut errors,
        "note",
        &input.note,
        "the note",
        500,
        Lines::Many,
    )
    .unwrap_or_default();
    let service = match tx.service(input.service.trim()).await {
        Ok(s) if policy::may(actor, Action::ManageCases, &place_of_service(&s)) => Some(s),
        _ => {
            errors.add("service", ActivityMessage::ChooseService);
            None
        }
    };
    let area = store::directory::find_area(tx.conn(), input.area.trim()).await?;
    if area.is_none() {
        errors.add("area", ActivityMessage::ChooseArea);
    }
    let funder = match input.funder.trim() {
        "" => service.as_ref().and_then(|s| s.commissioner_id.clone()),
        wanted => {
            let found = store::directory::find_organisation(tx.conn(), wanted).await?;
            if found.is_none() {
                errors.add("funder", ActivityMessage::ChooseFunder);
            }
            found.map(|o| o.id)
        }
    };
    let case_id = match (input.case.trim(), &service) {
        ("", _) | (_, None) => None,
        (reference, Some(service)) => {
            let found = store::cases::find_by_reference(tx.conn(), &service.id, reference).await?;
            if found.is_none() {
                errors.add("case", ActivityMessage::NoSuchCase);
            }
            found
        }
    };
    if let Some(day) = day
        && minutes > 0
    {
        let recorded =
            store::activity::minutes_on(tx.conn(), &actor.id, &day.to_string(), &id).await?;
        if recorded + minutes > MINUTES_IN_A_DAY {
            errors.add(
                "hours",
                ActivityMessage::OverADay {
                    recorded: format!("{}h {:02}m", recorded / 60, recorded % 60),
                },
            );
        }
    }
    errors.into_result().map_err(AppError::Invalid)?;
    let (Some(day), Some(kind), Some(service), Some(area)) = (day, kind, service, area) else {
        return Err(AppError::Internal("a checked activity lost a value".into()));
    };
    Ok(Activity {
        id,
        service_id: service.id,
        worker_id: actor.id.clone(),
        on_day: day.to_string(),
        kind: kind.code().to_string(),
        minutes,
        case_id,
        area_id: area.id,
        funder_id: funder,
        note,
        recorded_at: now.to_string(),
        ..Activity::default()
    })
}
