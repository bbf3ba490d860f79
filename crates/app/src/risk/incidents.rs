//! Domestic abuse incidents, recorded per victim on one of their cases, and
//! what they mean: potential escalation, and a prompt to re-assess.

use domain::policy::{self, Action, Actor};
use domain::risk::{ESCALATION_INCIDENTS, IncidentSource, incidents_within_year};
use domain::validation::{FieldErrors, Lines, text};
use domain::values::Day;
use jiff::ToSpan;
use serde::Deserialize;
use serde_json::json;
use store::risk::Incident;
use utoipa::ToSchema;

use crate::audit::{AuditAction, Change};
use crate::directory::place_of_service;
use crate::risk::messages::RiskUseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The one field list for an incident.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct IncidentInput {
    /// The day it happened (day, month, year).
    pub occurred_on: String,
    /// `police_callout`, `other_agency` or `victims_account`.
    pub source: String,
    /// The case's link to the alleged perpetrator, or blank when not linked.
    pub perpetrator: String,
    pub summary: String,
}

/// What a victim's incidents in a service add up to today.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Escalation {
    /// Incidents within the 12 months that end today.
    pub within_year: usize,
    /// How many make potential escalation in this service.
    pub threshold: usize,
    pub potential: bool,
}

/// An incident's fields, checked against the case: (day, source, the
/// perpetrator's link, summary), or every problem by field.
async fn read_incident(
    conn: &mut store::Conn,
    case_id: &str,
    input: &IncidentInput,
    today: jiff::civil::Date,
) -> Result<(String, String, Option<String>, String)> {
    let mut errors = FieldErrors::new();
    let occurred_on = match Day::parse(&input.occurred_on).map(Day::date) {
        Err(_) => {
            errors.add("occurred_on", RiskUseMessage::IncidentDateReal);
            None
        }
        Ok(day) if day > today => {
            errors.add("occurred_on", RiskUseMessage::IncidentInFuture);
            None
        }
        Ok(day) if day < today.saturating_sub(10.years()) => {
            errors.add("occurred_on", RiskUseMessage::IncidentTooLongAgo);
            None
        }
        Ok(day) => Some(day),
    };
    let source = IncidentSource::parse(input.source.trim());
    if source.is_none() {
        errors.add("source", RiskUseMessage::ChooseIncidentSource);
    }
    let perpetrator = match input.perpetrator.trim() {
        "" => None,
        link => {
            let linked = store::cases::linked_people(conn, case_id).await?;
            let found = linked.iter().any(|l| {
                l.id == link && l.relationship == domain::cases::Relationship::Perpetrator.code()
            });
            if !found {
                errors.add("perpetrator", RiskUseMessage::ChoosePerpetrator);
            }
            Some(link.to_string())
        }
    };
    let summary = text(
        &mut errors,
        "summary",
        &input.summary,
        "what happened",
        2_000,
        Lines::Many,
    )
    .unwrap_or_default();
    errors.into_result().map_err(AppError::Invalid)?;
    let (Some(occurred_on), Some(source)) = (occurred_on, source) else {
        return Err(AppError::Internal("a checked incident lost a value".into()));
    };
    Ok((
        occurred_on.to_string(),
        source.code().to_string(),
        perpetrator,
        summary,
    ))
}

/// An incident as its correction form shows it, with the perpetrators
/// linked to the case it may be tied to.
#[derive(Debug, Clone)]
pub struct IncidentEdit {
    pub case_id: String,
    pub case_reference: String,
    pub incident: Incident,
    pub perpetrators: Vec<store::cases::LinkedPerson>,
}

impl App {
    /// An incident to correct: a read of the victim's case, audited.
    pub async fn incident_to_correct(
        &self,
        actor: &Actor,
        case_id: &str,
        id: &str,
    ) -> Result<crate::Seen<IncidentEdit>> {
        let case = self.visible_case(actor, case_id).await?;
        let mut conn = self.db.conn().await?;
        let incident = store::risk::incident(&mut conn, &case.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let perpetrators = store::cases::linked_people(&mut conn, &case.id)
            .await?
            .into_iter()
            .filter(|l| l.relationship == domain::cases::Relationship::Perpetrator.code())
            .collect();
        drop(conn);
        let service = self.service_by_id(&case.service_id).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &case.person_id)
            .place(Some(&service.organisation_id), Some(&service.id));
        let edit = IncidentEdit {
            case_id: case.id.clone(),
            case_reference: case.reference.clone(),
            incident,
            perpetrators,
        };
        self.disclose(actor, read, edit).await
    }

    /// Corrects an incident on an open case; the audit event keeps what it
    /// said before.
    pub async fn correct_incident(
        &self,
        actor: &Actor,
        case_id: &str,
        id: &str,
        input: &IncidentInput,
    ) -> Result<Incident> {
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let before = store::risk::incident(tx.conn(), &case.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (occurred_on, source, perpetrator, summary) =
            read_incident(tx.conn(), &case.id, input, today).await?;
        let after = Incident {
            occurred_on,
            source,
            perpetrator_link_id: perpetrator,
            summary,
            ..before.clone()
        };
        store::risk::correct_incident(tx.conn(), &after).await?;
        let describe = |i: &Incident| {
            json!({
                "incident_id": i.id,
                "occurred_on": i.occurred_on,
                "source": i.source,
                "perpetrator_linked": i.perpetrator_link_id.is_some(),
            })
        };
        tx.commit(
            Change::new(AuditAction::IncidentCorrected, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(describe(&before))
                .after(describe(&after)),
        )
        .await?;
        Ok(after)
    }

    /// Records an incident on an open case, for its victim.
    pub async fn record_incident(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &IncidentInput,
    ) -> Result<Incident> {
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let (occurred_on, source, perpetrator, summary) =
            read_incident(tx.conn(), &case.id, input, today).await?;
        let incident = Incident {
            id: new_id(),
            person_id: case.person_id.clone(),
            service_id: service.id.clone(),
            case_id: case.id.clone(),
            occurred_on,
            source,
            perpetrator_link_id: perpetrator,
            perpetrator_name: None,
            summary,
            recorded_by: actor.id.clone(),
            recorded_at: now.clone(),
        };
        store::risk::insert_incident(tx.conn(), &incident).await?;
        tx.commit(
            Change::new(AuditAction::IncidentRecorded, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({
                    "incident_id": incident.id,
                    "occurred_on": incident.occurred_on,
                    "source": incident.source,
                    "perpetrator_linked": incident.perpetrator_link_id.is_some(),
                })),
        )
        .await?;
        Ok(incident)
    }

    /// Sets how many incidents within 12 months make potential escalation
    /// in a service (commonly 3).
    pub async fn set_escalation_incidents(
        &self,
        actor: &Actor,
        service_id: &str,
        incidents: i64,
    ) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let service = tx.service(service_id).await?;
        if !policy::may(actor, Action::ManageDirectory, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        if !(1..=20).contains(&incidents) {
            return Err(AppError::Invalid(FieldErrors::single(
                "incidents",
                RiskUseMessage::EscalationBetween,
            )));
        }
        let before = store::risk::escalation_incidents(tx.conn(), &service.id).await?;
        store::risk::set_escalation_incidents(tx.conn(), &service.id, incidents, &actor.id, &now)
            .await?;
        tx.commit(
            Change::new(AuditAction::RiskEscalationSet, "service", &service.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "escalation_incidents": before.unwrap_or(ESCALATION_INCIDENTS as i64) }))
                .after(json!({ "escalation_incidents": incidents })),
        )
        .await?;
        Ok(())
    }
}

/// Potential escalation from a victim's incidents, as of `today`.
pub(crate) fn escalation(
    incidents: &[Incident],
    threshold: Option<i64>,
    today: jiff::civil::Date,
) -> Escalation {
    let dates: Vec<jiff::civil::Date> = incidents
        .iter()
        .filter_map(|i| i.occurred_on.parse().ok())
        .collect();
    let threshold = escalation_threshold(threshold);
    Escalation {
        within_year: incidents_within_year(&dates, today),
        threshold,
        potential: domain::risk::potential_escalation(&dates, today, threshold),
    }
}

/// How many incidents make potential escalation: the service's own number
/// where it set one, or the usual 3.
pub(crate) fn escalation_threshold(set: Option<i64>) -> usize {
    set.and_then(|n| usize::try_from(n).ok())
        .unwrap_or(ESCALATION_INCIDENTS)
}
