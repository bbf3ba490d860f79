//! Duty requests: a request to the duty service from the police, a
//! hospital, a MARAC, a court or the victim, taken by hand by the duty
//! worker; its response target from the rota's rule; when and how it was
//! actioned; and the response-time figures (docs/duty.md#requests).

use domain::duty::{Pattern, RequestOutcome, RequestSource, Urgency, response_target};
use domain::policy::{self, Action, Actor, Visibility};
use domain::validation::{FieldErrors, Lines, required_text};
use domain::values::Day;
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde_json::json;
use store::duty::Request;
use store::people::Person;

use crate::audit::{AuditAction, Change};
use crate::calendar::uk_time_zone;
use crate::clock::instant_text;
use crate::duty::access::{service_place, shared};
use crate::duty::input::{ActionedInput, RequestInput};
use crate::duty::messages::DutyUseMessage;
use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::people::{PersonInput, date_of_birth};
use crate::secrets::new_id;
use crate::{App, AppError, Result, Seen};

/// A request as recorded, or the people the service may already know by
/// the name given, for the worker to choose from.
#[derive(Debug, Clone)]
pub enum Recorded {
    Request(Box<Request>),
    MayKnow(Vec<Person>),
}

/// An instant from a day (blank: today) and a local time (HH:MM).
fn instant(day: &str, time: &str, today: Date) -> Option<Timestamp> {
    let day = match day.trim() {
        "" => today,
        d => Day::parse(d).ok()?.date(),
    };
    let time: Time = time.trim().parse().ok()?;
    day.to_datetime(time)
        .to_zoned(uk_time_zone())
        .ok()
        .map(|z| z.timestamp())
}

impl App {
    /// Takes a request on the rota, in the actor's own service among the
    /// rota's: its target worked out from the rota's rule. A new person
    /// who may be someone the service knows is sent back with the people
    /// to choose from, unless the worker has confirmed a new person.
    pub async fn record_duty_request(
        &self,
        actor: &Actor,
        rota_id: &str,
        input: &RequestInput,
    ) -> Result<Recorded> {
        let calendar = self
            .calendar(domain::calendar::Nation::EnglandAndWales)
            .await?;
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let shared = shared(tx.conn(), actor, rota_id).await?;
        let Some(service) = shared
            .services
            .iter()
            .find(|s| policy::may(actor, Action::ManageCases, &service_place(s)))
            .cloned()
        else {
            return Err(AppError::Forbidden);
        };
        let mut errors = FieldErrors::new();
        let source = RequestSource::parse(input.source.trim());
        if source.is_none() {
            errors.add("source", DutyUseMessage::ChooseSource);
        }
        let urgency = Urgency::parse(input.urgency.trim());
        if urgency.is_none() {
            errors.add("urgency", DutyUseMessage::ChooseUrgency);
        }
        // Times are given to the minute, so "now" is too: an attempt
        // recorded in the same minute is not before the request.
        let received =
            if input.received_time.trim().is_empty() && input.received_on.trim().is_empty() {
                let now = self.clock.now().as_second();
                Timestamp::from_second(now - now.rem_euclid(60)).ok()
            } else {
                instant(&input.received_on, &input.received_time, today)
            };
        match received {
            None => errors.add("received_time", DutyUseMessage::ReceivedReal),
            Some(at) if at > self.clock.now() => {
                errors.add("received_time", DutyUseMessage::ReceivedFuture);
            }
            Some(_) => {}
        }
        let asked = required_text(&mut errors, "asked", &input.asked, "what is asked", 2_000);
        let found = store::directory::find_service(
            tx.conn(),
            &service.service_id,
            &Visibility {
                everything: true,
                ..Visibility::default()
            },
        )
        .await?
        .ok_or(AppError::NotFound)?;
        let born = date_of_birth(
            &mut errors,
            &input.date_of_birth,
            today,
            DutyUseMessage::BornReal,
        );
        let person_input = PersonInput {
            given_name: input.given_name.clone(),
            family_name: input.family_name.clone(),
            ..PersonInput::default()
        };
        let (known, new) = match input.existing_person_id.trim() {
            "" => (
                None,
                Some(crate::referrals::new_person(
                    &person_input,
                    &found.id,
                    born,
                    &mut errors,
                )),
            ),
            id => {
                let scope = Visibility {
                    services: vec![found.id.clone()],
                    ..Visibility::default()
                };
                let person = store::people::find_visible(tx.conn(), id, &scope).await?;
                if person.is_none() {
                    errors.add("existing_person_id", DutyUseMessage::NotKnownHere);
                }
                (person, None)
            }
        };
        errors.into_result().map_err(AppError::Invalid)?;
        if let Some(new) = &new
            && !input.confirm_new_person
        {
            let alike = store::people::possible_duplicates(tx.conn(), &found.id, new).await?;
            if !alike.is_empty() {
                tx.abandon().await?;
                return Ok(Recorded::MayKnow(alike));
            }
        }
        let (Some(source), Some(urgency), Some(received)) = (source, urgency, received) else {
            return Err(AppError::Internal("a checked request lost a value".into()));
        };
        let person_id = match (known, new) {
            (Some(person), _) => person.id,
            (None, Some(new)) => {
                store::people::insert(tx.conn(), &new).await?;
                new.person.id.clone()
            }
            (None, None) => return Err(AppError::Internal("a request lost its person".into())),
        };
        let target = target_of(&shared.rota, received, &calendar);
        let request = Request {
            id: new_id(),
            rota_id: rota_id.to_string(),
            service_id: found.id.clone(),
            source: source.code().to_string(),
            urgency: urgency.code().to_string(),
            received_at: instant_text(received),
            target_at: instant_text(target),
            person_id,
            asked,
            taken_by: actor.id.clone(),
            recorded_at: now.clone(),
            ..Request::default()
        };
        store::duty::insert_request(tx.conn(), &request, None).await?;
        // What was asked is the victim's story: the log says what changed.
        tx.commit(
            Change::new(AuditAction::DutyRequestTaken, "duty_request", &request.id)
                .place(Some(&found.organisation_id), Some(&found.id))
                .after(json!({
                    "rota_id": rota_id,
                    "source": request.source,
                    "urgency": request.urgency,
                    "person_id": request.person_id,
                    "received_at": request.received_at,
                    "target_at": request.target_at,
                })),
        )
        .await?;
        Ok(Recorded::Request(Box::new(request)))
    }

    /// Records when and how a request was first actioned: never before it
    /// came, never in the future, once. A referral taken or a case opened
    /// is written into the service from the request, in the same change;
    /// a case opened is held by the duty worker until the handover time.
    pub async fn action_duty_request(
        &self,
        actor: &Actor,
        rota_id: &str,
        request_id: &str,
        input: &ActionedInput,
    ) -> Result<()> {
        let outcome = RequestOutcome::parse(input.outcome.trim());
        let mut errors = FieldErrors::new();
        // The referral's own checks, as the referral form's, read first;
        // whether the request is still waiting is checked again below.
        let prepared = match outcome {
            Some(o) if o.takes_referral() => {
                let request = self.request_to_action(actor, rota_id, request_id).await?;
                match self.referral_from_request(actor, &request, input).await {
                    Ok(prepared) => Some(prepared),
                    Err(AppError::Invalid(refused)) => {
                        errors.0.extend(refused.0);
                        None
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => None,
        };
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let shared = shared(tx.conn(), actor, rota_id).await?;
        let request = store::duty::request(tx.conn(), request_id)
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
        if request.actioned_at.is_some() {
            return Err(AppError::invalid(
                "outcome",
                DutyUseMessage::AlreadyActioned,
            ));
        }
        let actioned = instant(&input.actioned_on, &input.actioned_time, today);
        let received: Option<Timestamp> = request.received_at.parse().ok();
        match (actioned, received) {
            (None, _) => errors.add("actioned_time", DutyUseMessage::ActionedReal),
            (Some(at), Some(came)) if at < came => {
                errors.add("actioned_time", DutyUseMessage::ActionedBeforeReceived);
            }
            (Some(at), _) if at > self.clock.now() => {
                errors.add("actioned_time", DutyUseMessage::ActionedFuture);
            }
            _ => {}
        }
        if outcome.is_none() {
            errors.add("outcome", DutyUseMessage::ChooseOutcome);
        }
        let note = domain::validation::text(
            &mut errors,
            "note",
            &input.note,
            "the note",
            2_000,
            Lines::Many,
        )
        .unwrap_or_default();
        let holder = match outcome {
            Some(RequestOutcome::CaseOpened) => {
                let place = store::directory::find_service(
                    tx.conn(),
                    &service.service_id,
                    &Visibility {
                        everything: true,
                        ..Visibility::default()
                    },
                )
                .await?
                .ok_or(AppError::NotFound)?;
                let me = crate::cases::holder_in(&mut tx, &place, &actor.id).await?;
                if me.is_none() {
                    errors.add("outcome", DutyUseMessage::OnlyHoldersOpen);
                }
                me.map(|me| (me, place))
            }
            _ => None,
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some(actioned), Some(outcome)) = (actioned, outcome) else {
            return Err(AppError::Internal("a checked action lost a value".into()));
        };
        let actioned_at = instant_text(actioned);
        let mut changes = Vec::new();
        let referral_id = match prepared {
            Some(prepared) => Some(
                self.take_from_request(
                    &mut tx,
                    actor,
                    &request,
                    &shared.rota,
                    prepared,
                    holder,
                    &mut changes,
                )
                .await?,
            ),
            None => None,
        };
        store::duty::action_request(
            tx.conn(),
            &request.id,
            &actioned_at,
            outcome.code(),
            &note,
            referral_id.as_deref(),
        )
        .await?;
        changes.push(
            Change::new(
                AuditAction::DutyRequestActioned,
                "duty_request",
                &request.id,
            )
            .place(Some(&service.organisation_id), Some(&service.service_id))
            .after(json!({
                "actioned_at": actioned_at,
                "outcome": outcome.code(),
                "met": actioned_at <= request.target_at,
                "referral_id": referral_id,
            })),
        );
        tx.commit_all(changes).await
    }

    /// A page of a rota's requests received in a period (whole days,
    /// London time), the latest first unless asked, with who each is
    /// about: a read of personal data, audited.
    pub async fn duty_requests(
        &self,
        actor: &Actor,
        rota_id: &str,
        (from, to): (Date, Date),
        request: &ListRequest<()>,
    ) -> Result<Seen<Page<Request>>> {
        let mut conn = self.db.conn().await?;
        let shared = shared(&mut conn, actor, rota_id).await?;
        let (start, end) = day_span(from, to);
        let visible: Vec<String> = shared
            .services
            .iter()
            .filter(|s| policy::may(actor, Action::ViewCases, &service_place(s)))
            .map(|s| s.service_id.clone())
            .collect();
        let requests = store::duty::page_of_requests(
            &mut conn,
            rota_id,
            &visible,
            &start,
            &end,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        drop(conn);
        let read =
            Change::new(AuditAction::DutyRequestsViewed, "duty_rota", rota_id).after(json!({
                "from": from.to_string(),
                "to": to.to_string(),
                "requests": requests.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
            }));
        self.disclose(actor, read, requests).await
    }
}

/// When a request to the rota received at `received` is due its first
/// attempt, by the rota's rule.
pub(crate) fn target_of(
    rota: &store::duty::Rota,
    received: Timestamp,
    calendar: &domain::calendar::Calendar,
) -> Timestamp {
    let pattern = Pattern::parse(&rota.pattern).unwrap_or_default();
    let by: Time = rota
        .out_of_hours_by
        .parse()
        .unwrap_or(Time::constant(10, 0, 0, 0));
    response_target(
        received,
        &pattern,
        calendar,
        &uk_time_zone(),
        rota.response_hours,
        by,
    )
}

/// The instants a period of whole London days runs between.
pub(crate) fn day_span(from: Date, to: Date) -> (String, String) {
    let at = |day: Date| {
        day.to_zoned(uk_time_zone())
            .map(|z| instant_text(z.timestamp()))
            .unwrap_or_default()
    };
    (at(from), at(to.tomorrow().unwrap_or(to)))
}
