//! Continuity on duty (docs/duty.md#continuity): a referral taken or a case
//! opened from a duty request, the case held by the duty worker until the
//! rota's handover time, then handed to an allocated worker with a note.
//! A case is never without an owner: it is held from the moment it opens,
//! and a handover gives it to someone else in the same change.

use domain::cases::CaseEvent;
use domain::duty::handover_due;
use domain::journey::ReferralStatus;
use domain::policy::{self, Action, Actor, Visibility};
use domain::validation::{FieldErrors, required_lines};
use jiff::civil::Time;
use serde::Deserialize;
use serde_json::json;
use store::directory::Service;
use store::duty::{DutyCase, Request, Rota};
use store::users::User;
use utoipa::ToSchema;

use crate::audit::{AuditAction, Change};
use crate::calendar::uk_time_zone;
use crate::cases::{assign, holder_in};
use crate::clock::instant_text;
use crate::duty::access::{service_place, shared};
use crate::duty::input::ActionedInput;
use crate::duty::messages::DutyUseMessage;
use crate::referrals::{Lookups, PersonChoice, Prepare, Prepared, ReferralInput};
use crate::secrets::new_id;
use crate::{App, AppError, Result, Write};

/// The handover: who takes the case on, and what they need to know.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct HandoverInput {
    pub to: String,
    pub note: String,
}

/// A case opened on duty, with who it may be handed to.
#[derive(Debug, Clone)]
pub struct HandoverForm {
    pub duty: DutyCase,
    pub workers: Vec<User>,
    /// Whether the handover time has passed without a handover.
    pub overdue: bool,
}

/// A rota with cases opened on duty past their handover time, for the
/// home page of whoever should hand them over.
#[derive(Debug, Clone)]
pub struct PastHandover {
    pub rota_id: String,
    pub rota_name: String,
    pub cases: usize,
}

/// A rota's duty cases not yet handed over, each marked when its handover
/// time has passed: the flag the rota's managers see.
#[derive(Debug, Clone)]
pub struct WaitingCase {
    pub duty: DutyCase,
    pub overdue: bool,
}

/// The worker holding the case hands it over, or a manager of its service.
fn may_hand_over(actor: &Actor, case: &store::cases::Case, service: &Service) -> Result<()> {
    let holds_it = case.caseworker_id.as_deref() == Some(actor.id.as_str());
    let manages = policy::may(
        actor,
        Action::AllocateCases,
        &crate::directory::place_of_service(service),
    );
    if holds_it || manages {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl App {
    /// A request of the rota, read before the change that actions it, for
    /// the referral's own checks: the actor must work its service.
    pub(crate) async fn request_to_action(
        &self,
        actor: &Actor,
        rota_id: &str,
        request_id: &str,
    ) -> Result<Request> {
        let mut conn = self.db.conn().await?;
        let shared = shared(&mut conn, actor, rota_id).await?;
        let request = store::duty::request(&mut conn, request_id)
            .await?
            .filter(|r| r.rota_id == rota_id)
            .ok_or(AppError::NotFound)?;
        let service = shared
            .services
            .iter()
            .find(|s| s.service_id == request.service_id)
            .ok_or(AppError::NotFound)?;
        if !policy::may(actor, Action::ManageCases, &service_place(service)) {
            return Err(AppError::Forbidden);
        }
        Ok(request)
    }

    /// The referral a request becomes, checked as the referral form checks
    /// one: who it came from, when, the crime type and consent given when
    /// actioning, and the person the request is about.
    pub(crate) async fn referral_from_request(
        &self,
        actor: &Actor,
        request: &Request,
        input: &ActionedInput,
    ) -> Result<Prepared> {
        let source = domain::duty::RequestSource::parse(&request.source)
            .map(|s| s.referral_source().code().to_string())
            .unwrap_or_default();
        let referral = ReferralInput {
            service_id: request.service_id.clone(),
            source,
            received_at: request.received_at.clone(),
            crime_type: input.crime_type.clone(),
            consent: input.consent.clone(),
            account: request.asked.clone(),
            ..ReferralInput::default()
        };
        let mut lookups = Lookups::default();
        match self
            .prepare_referral(
                actor,
                &referral,
                &PersonChoice::existing(&request.person_id),
                &mut lookups,
            )
            .await?
        {
            Prepare::Ready(prepared) => Ok(*prepared),
            Prepare::AlreadyReceived(_) => Err(AppError::Internal(
                "a request's referral has no sender's reference".into(),
            )),
        }
    }

    /// Writes the referral taken from a request, in the change that
    /// actions it; with a holder, accepts it and opens the case, held by
    /// them until the rota's handover time. Answers the referral's id.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn take_from_request(
        &self,
        tx: &mut Write<'_>,
        actor: &Actor,
        request: &Request,
        rota: &Rota,
        prepared: Prepared,
        holder: Option<(User, Service)>,
        changes: &mut Vec<Change>,
    ) -> Result<String> {
        let (ids, events) = self.write_referrals(tx, actor, vec![prepared]).await?;
        changes.extend(events);
        let referral_id = ids
            .into_iter()
            .next()
            .flatten()
            .ok_or_else(|| AppError::Internal("a request's referral was not written".into()))?;
        let Some((worker, service)) = holder else {
            return Ok(referral_id);
        };
        store::referrals::set_status(
            tx.conn(),
            &referral_id,
            ReferralStatus::Accepted.code(),
            Some("Case opened on duty"),
        )
        .await?;
        changes.push(
            Change::new(AuditAction::ReferralTriaged, "referral", &referral_id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "status": ReferralStatus::New.code() }))
                .after(json!({ "status": ReferralStatus::Accepted.code() })),
        );
        let everything = Visibility {
            everything: true,
            ..Visibility::default()
        };
        let referral = store::referrals::find_visible(tx.conn(), &referral_id, &everything)
            .await?
            .ok_or_else(|| AppError::Internal("a written referral went missing".into()))?;
        changes.push(
            self.open_case_for_referral(tx, actor, &referral, &service)
                .await?,
        );
        let case = store::cases::find_by_referral(tx.conn(), &referral_id)
            .await?
            .ok_or_else(|| AppError::Internal("an opened case went missing".into()))?;
        changes.push(assign(tx, &case, &service, &worker, CaseEvent::OpenedOnDuty).await?);
        let handover: Time = rota
            .handover_at
            .parse()
            .unwrap_or(Time::constant(20, 0, 0, 0));
        let now = self.clock.now();
        let duty = DutyCase {
            case_id: case.id.clone(),
            rota_id: rota.id.clone(),
            request_id: request.id.clone(),
            service_id: service.id.clone(),
            duty_worker_id: worker.id.clone(),
            opened_at: instant_text(now),
            hand_over_by: instant_text(handover_due(now, handover, &uk_time_zone())),
            ..DutyCase::default()
        };
        store::duty::insert_duty_case(tx.conn(), &duty).await?;
        Ok(referral_id)
    }

    /// A case opened on duty, with the workers it may be handed to, for
    /// whoever may hand it over: the worker holding it, or a manager of
    /// its service. Not found for anyone else, and for a case not opened
    /// on duty.
    pub async fn duty_case_handover(&self, actor: &Actor, case_id: &str) -> Result<HandoverForm> {
        let mut conn = self.db.conn().await?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let case = store::cases::find_visible(&mut conn, case_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let duty = store::duty::duty_case(&mut conn, case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let service = store::directory::find_service(
            &mut conn,
            &case.service_id,
            &Visibility {
                everything: true,
                ..Visibility::default()
            },
        )
        .await?
        .ok_or(AppError::NotFound)?;
        drop(conn);
        may_hand_over(actor, &case, &service)?;
        let overdue = duty.handed_over_at.is_none() && duty.hand_over_by <= self.clock.now_text();
        let workers = self.holders_in_service(&case.service_id).await?;
        Ok(HandoverForm {
            duty,
            workers,
            overdue,
        })
    }

    /// Hands a case opened on duty to a worker of its service, with a note
    /// kept in the case's history: once, by the worker holding it or a
    /// manager of the service.
    pub async fn hand_over_duty_case(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &HandoverInput,
    ) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let duty = store::duty::duty_case(tx.conn(), case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        may_hand_over(actor, &case, &service)?;
        if duty.handed_over_at.is_some() {
            return Err(AppError::invalid("to", DutyUseMessage::HandedOverAlready));
        }
        let mut errors = FieldErrors::new();
        let worker = holder_in(&mut tx, &service, input.to.trim()).await?;
        if worker.is_none() {
            errors.add("to", DutyUseMessage::HandOverToHolder);
        }
        let note = required_lines(
            &mut errors,
            "note",
            &input.note,
            "a handover note: what the worker taking the case on needs to know",
            4_000,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(worker) = worker else {
            return Err(AppError::Internal(
                "a checked handover lost its worker".into(),
            ));
        };
        store::cases::set_caseworker(tx.conn(), &case.id, &worker.id).await?;
        store::cases::add_status(
            tx.conn(),
            &new_id(),
            &case.id,
            CaseEvent::HandedOver.code(),
            Some(&format!("To {}: {note}", worker.display_name)),
            &actor.id,
            &now,
        )
        .await?;
        if !store::duty::hand_over(tx.conn(), &case.id, &worker.id, &actor.id, &now).await? {
            return Err(AppError::invalid("to", DutyUseMessage::HandedOverAlready));
        }
        // The note is the victim's story: the log says who holds the case.
        tx.commit(
            Change::new(AuditAction::DutyCaseHandedOver, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "caseworker_id": case.caseworker_id }))
                .after(json!({
                    "caseworker_id": worker.id,
                    "hand_over_by": duty.hand_over_by,
                    "late": now > duty.hand_over_by,
                })),
        )
        .await
    }

    /// For each rota, the cases opened on duty whose handover time has
    /// passed and that the actor should hand over: those they hold, and
    /// those of the services they manage.
    pub async fn duty_cases_past_handover(&self, actor: &Actor) -> Result<Vec<PastHandover>> {
        if !policy::may_somewhere(actor, Action::ManageCases) {
            return Ok(Vec::new());
        }
        let mut conn = self.db.conn().await?;
        let due = store::duty::duty_cases_past(&mut conn, &self.clock.now_text()).await?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let rotas = store::duty::rotas(&mut conn).await?;
        let services = store::duty::rota_services(&mut conn).await?;
        let mut past: Vec<PastHandover> = Vec::new();
        for d in due {
            let manages = services.iter().any(|s| {
                s.rota_id == d.rota_id
                    && s.service_id == d.service_id
                    && policy::may(actor, Action::AllocateCases, &service_place(s))
            });
            if d.duty_worker_id != actor.id && !manages {
                continue;
            }
            match past.iter_mut().find(|p| p.rota_id == d.rota_id) {
                Some(p) => p.cases += 1,
                None => past.push(PastHandover {
                    rota_name: rotas
                        .iter()
                        .find(|r| r.id == d.rota_id)
                        .map(|r| r.name.clone())
                        .unwrap_or_default(),
                    rota_id: d.rota_id,
                    cases: 1,
                }),
            }
        }
        Ok(past)
    }

    /// A rota's cases opened on duty and not yet handed over, those past
    /// the handover time marked, for the staff of its services: each case
    /// named by its referral's reference, never its victim.
    pub async fn duty_cases_waiting(
        &self,
        actor: &Actor,
        rota_id: &str,
    ) -> Result<Vec<WaitingCase>> {
        let mut conn = self.db.conn().await?;
        let shared = shared(&mut conn, actor, rota_id).await?;
        let visible: Vec<&str> = shared
            .services
            .iter()
            .filter(|s| policy::may(actor, Action::ViewCases, &service_place(s)))
            .map(|s| s.service_id.as_str())
            .collect();
        let now = self.clock.now_text();
        Ok(store::duty::duty_cases_waiting(&mut conn, rota_id)
            .await?
            .into_iter()
            .filter(|d| visible.contains(&d.service_id.as_str()))
            .map(|duty| WaitingCase {
                overdue: duty.hand_over_by <= now,
                duty,
            })
            .collect())
    }
}
