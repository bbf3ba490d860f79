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

/// The one field list for correcting a MARAC: each agency it holds, by
/// id, as corrected, and a new agency (a blank name for none).
#[derive(Debug, Clone, Default)]
pub struct MaracCorrection {
    pub name: String,
    pub agenda_order: String,
    pub minutes_due_days: i64,
    pub agencies: Vec<(String, AgencyInput)>,
    pub new_agency: AgencyInput,
}

/// A MARAC as its set-up form shows it.
#[derive(Debug, Clone)]
pub struct MaracSetup {
    pub marac: Marac,
    pub agencies: Vec<Agency>,
}

/// Checks what a MARAC is set up with, before the database is read: its
/// name, the agenda's order (blank for the usual), the minutes' working
/// days and each agency's kind. Gives the name and order as kept.
fn settings(
    errors: &mut FieldErrors,
    name: &str,
    agenda_order: &str,
    minutes_due_days: i64,
    agencies: &[&AgencyInput],
) -> (String, String) {
    let name = required_text(errors, "name", name, "the MARAC's name", 200);
    for agency in agencies {
        if AgencyKind::parse(agency.kind.trim()).is_none() {
            errors.add(
                "agencies",
                MaracMessage::AgencyKind {
                    kind: agency.kind.clone(),
                },
            );
        }
        if agency.name.chars().count() > 200 {
            errors.add("agencies", MaracMessage::AgencyName);
        }
    }
    let order = match agenda_order.trim() {
        "" => "repeats, children, referred".to_string(),
        written => match parse_agenda_order(written) {
            Some(keys) => keys.iter().map(|k| k.code()).collect::<Vec<_>>().join(", "),
            None => {
                errors.add("agenda_order", MaracMessage::AgendaOrder);
                String::new()
            }
        },
    };
    if !(1..=20).contains(&minutes_due_days) {
        errors.add("minutes_due_days", MaracMessage::MinutesDays);
    }
    (name, order)
}

/// Refuses a name another MARAC has.
async fn name_free(
    conn: &mut store::Conn,
    errors: &mut FieldErrors,
    name: &str,
    except: Option<&str>,
) -> Result<()> {
    if store::marac::maracs(conn)
        .await?
        .iter()
        .any(|m| Some(m.id.as_str()) != except && m.name.eq_ignore_ascii_case(name))
    {
        errors.add("name", MaracMessage::NameTaken);
    }
    Ok(())
}

/// Each agency's organisation, found by id or name; none when left blank.
async fn organisations_of(
    conn: &mut store::Conn,
    errors: &mut FieldErrors,
    agencies: &[&AgencyInput],
) -> Result<Vec<Option<String>>> {
    let organisations = store::directory::list_organisations(conn).await?;
    let mut found_ids = Vec::new();
    for agency in agencies {
        let wanted = agency.organisation.trim();
        let found = organisations
            .iter()
            .find(|o| o.id == wanted || o.name.eq_ignore_ascii_case(wanted));
        match found {
            _ if wanted.is_empty() => found_ids.push(None),
            Some(o) => found_ids.push(Some(o.id.clone())),
            None => {
                found_ids.push(None);
                errors.add(
                    "agencies",
                    MaracMessage::AgencyOrganisation {
                        organisation: wanted.to_string(),
                    },
                );
            }
        }
    }
    Ok(found_ids)
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
        let agencies: Vec<&AgencyInput> = input.agencies.iter().collect();
        let (name, order) = settings(
            &mut errors,
            &input.name,
            &input.agenda_order,
            input.minutes_due_days,
            &agencies,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let mut errors = FieldErrors::new();
        let areas = store::directory::list_areas(tx.conn()).await?;
        if !areas.iter().any(|a| a.id == input.area_id) {
            errors.add("area", MaracMessage::ChooseArea);
        }
        name_free(tx.conn(), &mut errors, &name, None).await?;
        let organisation_of = organisations_of(tx.conn(), &mut errors, &agencies).await?;
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

    /// Every MARAC, for the system administrator who sets them up.
    pub async fn maracs_to_set_up(&self, actor: &Actor) -> Result<Vec<Marac>> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        self.maracs().await
    }

    /// A MARAC with its agencies, for the system administrator's form.
    pub async fn marac_to_correct(&self, actor: &Actor, marac_id: &str) -> Result<MaracSetup> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let marac = store::marac::maracs(&mut conn)
            .await?
            .into_iter()
            .find(|m| m.id == marac_id)
            .ok_or(AppError::NotFound)?;
        let agencies = store::marac::agencies(&mut conn, marac_id).await?;
        Ok(MaracSetup { marac, agencies })
    }

    /// Corrects a MARAC's name, agenda order and minutes' due days, and its
    /// agencies, and adds an agency when one is given. Its area stays: the
    /// flags and figures already made follow it. An agency is never
    /// removed, since research and actions name it.
    pub async fn correct_marac(
        &self,
        actor: &Actor,
        marac_id: &str,
        input: &MaracCorrection,
    ) -> Result<Marac> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let adding = !input.new_agency.name.trim().is_empty();
        let mut agencies: Vec<&AgencyInput> = input.agencies.iter().map(|(_, a)| a).collect();
        if adding {
            agencies.push(&input.new_agency);
        }
        let mut errors = FieldErrors::new();
        let (name, order) = settings(
            &mut errors,
            &input.name,
            &input.agenda_order,
            input.minutes_due_days,
            &agencies,
        );
        for (_, agency) in &input.agencies {
            if agency.name.trim().is_empty() {
                errors.add("agencies", MaracMessage::AgencyName);
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::marac::maracs(tx.conn())
            .await?
            .into_iter()
            .find(|m| m.id == marac_id)
            .ok_or(AppError::NotFound)?;
        let held = store::marac::agencies(tx.conn(), marac_id).await?;
        let mut errors = FieldErrors::new();
        name_free(tx.conn(), &mut errors, &name, Some(marac_id)).await?;
        if input
            .agencies
            .iter()
            .any(|(id, _)| !held.iter().any(|h| &h.id == id))
        {
            return Err(AppError::NotFound);
        }
        let names: Vec<String> = agencies
            .iter()
            .map(|a| a.name.trim().to_lowercase())
            .collect();
        if (1..names.len()).any(|i| names[..i].contains(&names[i])) {
            errors.add("agencies", MaracMessage::AgencyNameTwice);
        }
        let organisation_of = organisations_of(tx.conn(), &mut errors, &agencies).await?;
        errors.into_result().map_err(AppError::Invalid)?;
        let marac = Marac {
            name,
            agenda_order: order,
            minutes_due_days: input.minutes_due_days,
            ..before.clone()
        };
        store::marac::update_marac(tx.conn(), &marac).await?;
        let mut after_agencies = Vec::new();
        for (i, agency) in agencies.iter().enumerate() {
            let corrected = Agency {
                id: input
                    .agencies
                    .get(i)
                    .map_or_else(new_id, |(id, _)| id.clone()),
                marac_id: marac_id.to_string(),
                name: agency.name.trim().to_string(),
                kind: agency.kind.trim().to_string(),
                organisation_id: organisation_of[i].clone(),
            };
            if i < input.agencies.len() {
                store::marac::update_agency(tx.conn(), &corrected).await?;
            } else {
                store::marac::insert_agency(tx.conn(), &corrected).await?;
            }
            after_agencies.push(corrected);
        }
        let shown = |m: &Marac, agencies: &[Agency]| {
            json!({
                "name": m.name,
                "agenda_order": m.agenda_order,
                "minutes_due_days": m.minutes_due_days,
                "agencies": agencies.iter().map(|a| json!({
                    "id": a.id, "name": a.name, "kind": a.kind, "organisation_id": a.organisation_id,
                })).collect::<Vec<_>>(),
            })
        };
        tx.commit(
            Change::new(AuditAction::MaracCorrected, "marac", marac_id)
                .before(shown(&before, &held))
                .after(shown(&marac, &after_agencies)),
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
