//! Duty requests sent by partners' systems (a police control room, a
//! hospital) over the API, with a `referrals:write` token pointing at a
//! service that shares the rota: idempotent on the sender's reference, as
//! referrals are (docs/duty.md#api).

use domain::duty::{RequestSource, Urgency};
use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, required_lines, required_text};
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::duty::Request;
use utoipa::ToSchema;

use crate::audit::{AuditAction, Change};
use crate::clock::{instant_text, parse_instant};
use crate::duty::access::service_place;
use crate::duty::messages::DutyUseMessage;
use crate::duty::request::target_of;
use crate::people::{PersonInput, date_of_birth};
use crate::referrals::{SENDER_REFERENCE_LIMIT, content_of, differences, recognised_or_new};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// A request as a partner's system sends it. The service that takes it is
/// the one the token points at, which must share the rota.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SentRequestInput {
    /// The sender's own reference: sent again with the same content, the
    /// request already held is the answer; with different content, 409.
    pub sender_reference: String,
    /// police, hospital, marac, court or victim.
    pub source: String,
    /// urgent or routine.
    pub urgency: String,
    /// When it came, RFC 3339 (such as 2026-11-29T14:05:00Z); blank: now.
    pub received_at: String,
    pub given_name: String,
    pub family_name: String,
    /// YYYY-MM-DD, if known.
    pub date_of_birth: String,
    /// What is asked of the duty service.
    pub asked: String,
}

/// A request received, and whether this sending made it.
#[derive(Debug, Clone)]
pub struct Received {
    pub request: Request,
    /// False when the sender's reference had already been received.
    pub created: bool,
}

impl App {
    /// Takes a request sent over the API into the rota's service the
    /// sender's token points at. A victim the service surely knows (the
    /// same name and date of birth) is linked; one it may know is recorded
    /// and put on the service's review list, as a sender's referral is.
    pub async fn receive_duty_request(
        &self,
        actor: &Actor,
        rota_id: &str,
        input: &SentRequestInput,
    ) -> Result<Received> {
        let calendar = self
            .calendar(domain::calendar::Nation::EnglandAndWales)
            .await?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // A rota is found only by a sender whose token points at one of
        // its services.
        let rota = store::duty::rotas(tx.conn())
            .await?
            .into_iter()
            .find(|r| r.id == rota_id)
            .ok_or(AppError::NotFound)?;
        let service = store::duty::rota_services(tx.conn())
            .await?
            .into_iter()
            .filter(|s| s.rota_id == rota.id)
            .find(|s| policy::may(actor, Action::SubmitReferral, &service_place(s)))
            .ok_or(AppError::NotFound)?;

        let mut errors = FieldErrors::new();
        let reference = required_text(
            &mut errors,
            "sender_reference",
            &input.sender_reference,
            "your own reference for the request",
            SENDER_REFERENCE_LIMIT,
        );
        let content = content_of(input);
        if !reference.is_empty()
            && let Some((held, held_content)) =
                store::duty::request_by_sender(tx.conn(), &actor.organisation_id, &reference)
                    .await?
        {
            tx.abandon().await?;
            let differ = differences(held_content.as_deref(), &content);
            if !differ.is_empty() {
                return Err(AppError::SentDifferently(differ));
            }
            return Ok(Received {
                request: held,
                created: false,
            });
        }
        let source = RequestSource::parse(input.source.trim());
        if source.is_none() {
            errors.add("source", DutyUseMessage::ChooseSource);
        }
        let urgency = Urgency::parse(input.urgency.trim());
        if urgency.is_none() {
            errors.add("urgency", DutyUseMessage::ChooseUrgency);
        }
        let received = match input.received_at.trim() {
            "" => Some(self.clock.now()),
            text => match parse_instant(text) {
                Some(at) if at <= self.clock.now() => Some(at),
                Some(_) => {
                    errors.add("received_at", DutyUseMessage::ReceivedFuture);
                    None
                }
                None => {
                    errors.add("received_at", DutyUseMessage::ReceivedInstant);
                    None
                }
            },
        };
        let asked = required_lines(&mut errors, "asked", &input.asked, "what is asked", 2_000);
        let today = self.today();
        let born = date_of_birth(
            &mut errors,
            &input.date_of_birth,
            today,
            DutyUseMessage::BornReal,
        );
        let person = PersonInput {
            given_name: input.given_name.clone(),
            family_name: input.family_name.clone(),
            ..PersonInput::default()
        };
        let new = crate::referrals::new_person(&person, &service.service_id, born, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some(source), Some(urgency), Some(received)) = (source, urgency, received) else {
            return Err(AppError::Internal("a checked request lost a value".into()));
        };

        let mut changes = Vec::new();
        let person_id = recognised_or_new(
            &mut tx,
            &service.organisation_id,
            &service.service_id,
            new,
            &now,
            &mut changes,
        )
        .await?;
        let request = Request {
            id: new_id(),
            rota_id: rota.id.clone(),
            service_id: service.service_id.clone(),
            source: source.code().to_string(),
            urgency: urgency.code().to_string(),
            received_at: instant_text(received),
            target_at: instant_text(target_of(&rota, received, &calendar)),
            person_id,
            asked,
            taken_by: actor.id.clone(),
            recorded_at: now.clone(),
            sender_id: Some(actor.organisation_id.clone()),
            sender_reference: Some(reference),
            ..Request::default()
        };
        store::duty::insert_request(tx.conn(), &request, Some(&content)).await?;
        changes.push(
            Change::new(AuditAction::DutyRequestTaken, "duty_request", &request.id)
                .place(Some(&service.organisation_id), Some(&service.service_id))
                .after(json!({
                    "rota_id": rota.id,
                    "source": request.source,
                    "urgency": request.urgency,
                    "person_id": request.person_id,
                    "received_at": request.received_at,
                    "target_at": request.target_at,
                    "sender_reference": request.sender_reference,
                })),
        );
        tx.commit_all(changes).await?;
        Ok(Received {
            request,
            created: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_sent_is_kept_without_blank_fields_and_compared_field_by_field() {
        let sent = SentRequestInput {
            sender_reference: "CAD-1".into(),
            source: "police".into(),
            asked: "Advice".into(),
            ..SentRequestInput::default()
        };
        let again = SentRequestInput {
            asked: "Advice tonight".into(),
            ..sent.clone()
        };
        let held = content_of(&sent);
        assert!(!held.contains("given_name"));
        assert!(differences(Some(&held), &content_of(&sent)).is_empty());
        assert_eq!(
            differences(Some(&held), &content_of(&again)),
            vec!["asked".to_string()]
        );
    }
}
