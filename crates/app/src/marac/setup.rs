//! Setting up a MARAC and scheduling its meetings (system administrators
//! and the command line).

use domain::marac::{AgencyKind, parse_agenda_order};
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use domain::values::Day;
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::marac::messages::MaracMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};
use store::marac::{Agency, Marac, Meeting};

/// The one field list for a new MARAC.
#[derive(Debug, Clone, Default)]
pub struct MaracInput {
    pub name: String,
    pub area_id: String,
    pub agencies: Vec<AgencyInput>,
    /// Blank for the usual order (repeats, children, referred).
    pub agenda_order: String,
    pub minutes_due_days: i64,
}

/// A member agency: its name, its kind, and the organisation (by name or
/// id, blank for none) whose MARAC members speak for it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AgencyInput {
    pub name: String,
    pub kind: String,
    pub organisation: String,
}

impl AgencyInput {
    pub fn new(name: &str, kind: &str, organisation: &str) -> Self {
        AgencyInput {
            name: name.trim().to_string(),
            kind: kind.trim().to_string(),
            organisation: organisation.trim().to_string(),
        }
    }
}

impl App {
    pub async fn maracs(&self) -> Result<Vec<Marac>> {
        let mut conn = self.db.conn().await?;
        Ok(store::marac::maracs(&mut conn).await?)
    }

    /// A MARAC's meetings from a day on: (id, day).
    pub async fn marac_meetings(
        &self,
        marac_id: &str,
        from: &str,
    ) -> Result<Vec<(String, String)>> {
        let mut conn = self.db.conn().await?;
        Ok(store::marac::meetings_from(&mut conn, marac_id, from)
            .await?
            .into_iter()
            .map(|m| (m.id, m.meets_on))
            .collect())
    }

    pub async fn create_marac(&self, actor: &Actor, input: &MaracInput) -> Result<Marac> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the MARAC's name", 200);
        for agency in &input.agencies {
            if AgencyKind::parse(agency.kind.trim()).is_none() {
                errors.add(
                    "agencies",
                    MaracMessage::AgencyKind {
                        kind: agency.kind.clone(),
                    },
                );
            }
        }
        let order = match input.agenda_order.trim() {
            "" => "repeats, children, referred".to_string(),
            written => match parse_agenda_order(written) {
                Some(keys) => keys.iter().map(|k| k.code()).collect::<Vec<_>>().join(", "),
                None => {
                    errors.add("agenda_order", MaracMessage::AgendaOrder);
                    String::new()
                }
            },
        };
        if !(1..=20).contains(&input.minutes_due_days) {
            errors.add("minutes_due_days", MaracMessage::MinutesDays);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let mut errors = FieldErrors::new();
        let areas = store::directory::list_areas(tx.conn()).await?;
        if !areas.iter().any(|a| a.id == input.area_id) {
            errors.add("area", MaracMessage::ChooseArea);
        }
        if store::marac::maracs(tx.conn())
            .await?
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(&name))
        {
            errors.add("name", MaracMessage::NameTaken);
        }
        let organisations = store::directory::list_organisations(tx.conn()).await?;
        let mut organisation_of = Vec::new();
        for agency in &input.agencies {
            let wanted = agency.organisation.trim();
            let found = organisations
                .iter()
                .find(|o| o.id == wanted || o.name.eq_ignore_ascii_case(wanted));
            match found {
                _ if wanted.is_empty() => organisation_of.push(None),
                Some(o) => organisation_of.push(Some(o.id.clone())),
                None => errors.add(
                    "agencies",
                    MaracMessage::AgencyOrganisation {
                        organisation: wanted.to_string(),
                    },
                ),
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let marac = Marac {
            id: new_id(),
            name,
            area_id: input.area_id.clone(),
            agenda_order: order,
            minutes_due_days: input.minutes_due_days,
            created_at: now.clone(),
            ..Default::default()
        };
        store::marac::insert_marac(tx.conn(), &marac).await?;
        for (agency, organisation_id) in input.agencies.iter().zip(organisation_of) {
            let agency = Agency {
                id: new_id(),
                marac_id: marac.id.clone(),
                name: agency.name.trim().to_string(),
                kind: agency.kind.trim().to_string(),
                organisation_id,
            };
            store::marac::insert_agency(tx.conn(), &agency).await?;
        }
        tx.commit(
            Change::new(AuditAction::MaracCreated, "marac", &marac.id).after(json!({
                "name": marac.name,
                "area_id": marac.area_id,
                "agencies": input.agencies,
                "agenda_order": marac.agenda_order,
                "minutes_due_days": marac.minutes_due_days,
            })),
        )
        .await?;
        Ok(marac)
    }

    /// Schedules a meeting of a MARAC on a day from today on: a system
    /// administrator, or the MARAC's coordinator or chair.
    pub async fn schedule_marac_meeting(
        &self,
        actor: &Actor,
        marac_id: &str,
        meets_on: &str,
    ) -> Result<Meeting> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            crate::marac::access::check(actor, marac_id, Action::RunMarac)?;
        }
        let day = Day::parse(meets_on).map(Day::date).map_err(|_| {
            AppError::Invalid(FieldErrors::single(
                "meets_on",
                MaracMessage::MeetingDateReal,
            ))
        })?;
        if day < self.today() {
            return Err(AppError::Invalid(FieldErrors::single(
                "meets_on",
                MaracMessage::MeetingInPast,
            )));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        if !store::marac::maracs(tx.conn())
            .await?
            .iter()
            .any(|m| m.id == marac_id)
        {
            return Err(AppError::NotFound);
        }
        let meeting = Meeting {
            id: new_id(),
            marac_id: marac_id.to_string(),
            meets_on: day.to_string(),
            ..Meeting::default()
        };
        if store::marac::meetings_from(tx.conn(), marac_id, &meeting.meets_on)
            .await?
            .iter()
            .any(|m| m.meets_on == meeting.meets_on)
        {
            return Err(AppError::Invalid(FieldErrors::single(
                "meets_on",
                MaracMessage::MeetingTaken,
            )));
        }
        store::marac::insert_meeting(tx.conn(), &meeting, &actor.id, &now).await?;
        tx.commit(
            Change::new(AuditAction::MaracMeetingScheduled, "marac", marac_id)
                .after(json!({ "meeting_id": meeting.id, "meets_on": meeting.meets_on })),
        )
        .await?;
        Ok(meeting)
    }
}
