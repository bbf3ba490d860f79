//! Casework: a case opened when a referral is accepted, allocated to a
//! caseworker, with needs, plan, contacts, notes, tasks, onward referrals and
//! closure with the cope-and-recover outcomes. A closed case is read-only.

use domain::cases::{
    CaseStatus, ClosureReason, ContactKind, NeedArea, NeedLevel, OutcomeMeasure, OutcomeResult,
    Satisfaction,
};
use domain::journey::Channel;
use domain::policy::{self, Action, Actor, Role};
use domain::validation::{FieldErrors, required_text};
use jiff::civil::Date;
use serde_json::json;
use store::cases::{
    Case, Caseload, Contact, Need, Note, OnwardReferral, Outcome, PlanItem, StatusChange, Task,
};
use store::directory::Service;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// Everything the case page shows. Sensitive notes come without their text.
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: Case,
    pub needs: Vec<Need>,
    pub plan: Vec<PlanItem>,
    pub contacts: Vec<Contact>,
    pub notes: Vec<Note>,
    pub tasks: Vec<Task>,
    pub onward: Vec<OnwardReferral>,
    pub outcomes: Vec<Outcome>,
    pub history: Vec<StatusChange>,
    pub linked: Vec<store::cases::LinkedPerson>,
}

/// A person's own record and the cases they are linked to. For someone
/// linked to a case (an alleged perpetrator, say) this holds nothing of the
/// victim: not their name, address or contact details.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub person: store::people::Person,
    pub links: Vec<store::cases::Link>,
    pub referrals: Vec<store::referrals::Referral>,
}

/// What a caseworker brings to closure.
#[derive(Debug, Clone, Default)]
pub struct Closure {
    pub reason: String,
    pub satisfaction: String,
    /// (measure code, result code) for each of the five measures.
    pub outcomes: Vec<(String, String)>,
}

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn case_place(case: &Case) -> policy::Place {
    policy::Place {
        service_id: Some(case.service_id.clone()),
        ..policy::Place::default()
    }
}

impl App {
    async fn service_by_id(&self, id: &str) -> Result<Service> {
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        store::directory::find_service(&mut conn, id, &everything)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Opens the case for an accepted referral, in the change under way;
    /// returns its audit event.
    pub(crate) async fn open_case_for_referral(
        &self,
        write: &mut crate::Write<'_>,
        actor: &Actor,
        referral: &store::referrals::Referral,
        service: &Service,
    ) -> Result<Change> {
        let now = write.now().to_string();
        let now = now.as_str();
        let conn = write.conn();
        let id = new_id();
        let today = self.today().to_string();
        store::cases::insert(
            conn,
            &id,
            &referral.id,
            &referral.service_id,
            &referral.person_id,
            now,
            &today,
        )
        .await?;
        store::cases::add_status(
            conn,
            &new_id(),
            &id,
            CaseStatus::Open.code(),
            Some("Referral accepted for support"),
            &actor.id,
            now,
        )
        .await?;
        Ok(Change::new(AuditAction::CaseOpened, "case", &id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "referral_id": referral.id })))
    }

    /// The case opened from a referral, if there is one the actor may see.
    pub async fn case_of_referral(&self, actor: &Actor, referral_id: &str) -> Result<Option<Case>> {
        let mut conn = self.db.conn().await?;
        let Some(case) = store::cases::find_by_referral(&mut conn, referral_id).await? else {
            return Ok(None);
        };
        let visibility = policy::visibility(actor, Action::ViewCases);
        Ok(visibility.contains(&case_place(&case)).then_some(case))
    }

    async fn visible_case(&self, actor: &Actor, id: &str) -> Result<Case> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        store::cases::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A case the actor may change: visible, permitted, and still open.
    async fn open_case_for(
        &self,
        actor: &Actor,
        id: &str,
        action: Action,
    ) -> Result<(Case, Service)> {
        let case = self.visible_case(actor, id).await?;
        let service = self.service_by_id(&case.service_id).await?;
        if !policy::may(actor, action, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        if case.status != CaseStatus::Open.code() {
            return Err(AppError::invalid(
                "case",
                "This case is closed and cannot be changed. Reopening is a decision for the service manager.",
            ));
        }
        Ok((case, service))
    }

    /// Cases the actor may see: their own open cases, or all in their services.
    pub async fn cases(
        &self,
        actor: &Actor,
        mine_only: bool,
        status: Option<&str>,
    ) -> Result<Vec<Case>> {
        if !policy::may_somewhere(actor, Action::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let worker = mine_only.then_some(actor.id.as_str());
        Ok(store::cases::list(&mut conn, &visibility, status, worker).await?)
    }

    /// Open cases per caseworker, for those who allocate.
    pub async fn caseloads(&self, actor: &Actor) -> Result<Vec<Caseload>> {
        if !policy::may_somewhere(actor, Action::AllocateCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::AllocateCases);
        let mut conn = self.db.conn().await?;
        Ok(store::cases::caseloads(&mut conn, &visibility).await?)
    }

    /// The actor's open tasks, soonest first.
    pub async fn my_tasks(&self, actor: &Actor) -> Result<Vec<Task>> {
        let mut conn = self.db.conn().await?;
        Ok(store::cases::open_tasks_for(&mut conn, &actor.id).await?)
    }

    /// A case with all its casework; the read of the person is audited.
    pub async fn case(&self, actor: &Actor, id: &str) -> Result<crate::Seen<CaseDetail>> {
        let case = self.visible_case(actor, id).await?;
        let mut conn = self.db.conn().await?;
        let mut notes = store::cases::notes(&mut conn, &case.id).await?;
        for note in notes.iter_mut().filter(|n| n.sensitive != 0) {
            note.body.clear();
        }
        let detail = CaseDetail {
            needs: store::cases::needs(&mut conn, &case.id).await?,
            plan: store::cases::plan(&mut conn, &case.id).await?,
            contacts: store::cases::contacts(&mut conn, &case.id).await?,
            notes,
            tasks: store::cases::tasks_of_case(&mut conn, &case.id).await?,
            onward: store::cases::onward(&mut conn, &case.id).await?,
            outcomes: store::cases::outcomes(&mut conn, &case.id).await?,
            history: store::cases::status_history(&mut conn, &case.id).await?,
            linked: store::cases::linked_people(&mut conn, &case.id).await?,
            case,
        };
        drop(conn);
        let service = self.service_by_id(&detail.case.service_id).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &detail.case.person_id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "via": "case", "case_id": detail.case.id }));
        self.disclose(actor, read, detail).await
    }

    /// Staff of a case's service who can hold cases.
    pub async fn allocatable(&self, actor: &Actor, case: &Case) -> Result<Vec<User>> {
        let visibility = policy::Visibility {
            services: vec![case.service_id.clone()],
            ..Default::default()
        };
        let mut conn = self.db.conn().await?;
        let staff = store::users::list(&mut conn, &visibility, None).await?;
        let _ = actor;
        Ok(staff
            .into_iter()
            .filter(|u| {
                u.disabled == 0 && u.service_id.as_deref() == Some(case.service_id.as_str())
            })
            .collect())
    }

    /// Allocates a case to a caseworker of its service.
    pub async fn allocate(&self, actor: &Actor, case_id: &str, user_id: &str) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::AllocateCases)
            .await?;
        let staff = self.allocatable(actor, &case).await?;
        let Some(worker) = staff.iter().find(|u| u.id == user_id.trim()) else {
            return Err(AppError::invalid(
                "caseworker_id",
                "Choose a caseworker of this service",
            ));
        };
        let mut conn = self.db.conn().await?;
        let grants = store::users::grants(&mut conn, &worker.id).await?;
        drop(conn);
        let holds_cases = grants.iter().filter_map(|g| g.grant()).any(|g| {
            matches!(
                g.role,
                Role::Caseworker | Role::TeamLeader | Role::ServiceManager
            )
        });
        if !holds_cases {
            return Err(AppError::invalid(
                "caseworker_id",
                "This person's role does not hold cases: choose a caseworker",
            ));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::AllocateCases).await?;
        store::cases::set_caseworker(tx.conn(), &case.id, &worker.id).await?;
        let change = Change::new(AuditAction::CaseAllocated, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({ "caseworker_id": case.caseworker_id }))
            .after(json!({ "caseworker_id": worker.id }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Records the needs assessment: a level for each area that was assessed.
    pub async fn assess_needs(
        &self,
        actor: &Actor,
        case_id: &str,
        needs: &[(String, String, String)],
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let mut valid = Vec::new();
        for (area, level, notes) in needs {
            let Some(area) = NeedArea::parse(area.trim()) else {
                errors.add("needs", format!("'{}' is not an area of need", area.trim()));
                continue;
            };
            if level.trim().is_empty() {
                continue;
            }
            match NeedLevel::parse(level.trim()) {
                Some(level) => valid.push(Need {
                    area: area.code().into(),
                    level: level.code().into(),
                    notes: optional(notes),
                }),
                None => errors.add(
                    &format!("need-{}", area.code()),
                    format!("Choose a level for {}", area.label().to_lowercase()),
                ),
            }
        }
        if valid.is_empty() && errors.is_empty() {
            errors.add(
                "need-health",
                "Choose a level for at least one area of need",
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        for need in &valid {
            store::cases::set_need(tx.conn(), &case.id, need, &actor.id, &now).await?;
        }
        let change = Change::new(AuditAction::CaseNeedsAssessed, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!(
                valid
                    .iter()
                    .map(|n| (n.area.clone(), n.level.clone()))
                    .collect::<Vec<_>>()
            ));
        tx.commit(change).await?;
        Ok(())
    }

    /// Adds a goal, or an action under a goal, to the support plan.
    pub async fn add_plan_item(
        &self,
        actor: &Actor,
        case_id: &str,
        description: &str,
        need_area: &str,
        due_on: &str,
        goal_id: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let description = required_text(
            &mut errors,
            "description",
            description,
            "what the goal or action is",
            500,
        );
        let need_area = optional(need_area);
        if need_area
            .as_deref()
            .is_some_and(|a| NeedArea::parse(a).is_none())
        {
            errors.add("need_area", "Choose an area of need, or none");
        }
        let due = optional(due_on);
        if let Some(d) = &due
            && d.parse::<Date>().is_err()
        {
            errors.add(
                "due_on",
                "Enter the due date as a real date, for example 2026-12-01",
            );
        }
        let goal_id = optional(goal_id);
        if let Some(goal) = &goal_id {
            let mut conn = self.db.conn().await?;
            let plan = store::cases::plan(&mut conn, &case.id).await?;
            if !plan.iter().any(|p| &p.id == goal && p.goal_id.is_none()) {
                errors.add(
                    "goal_id",
                    "Choose a goal of this case, or none to add a goal",
                );
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let item = PlanItem {
            id: new_id(),
            goal_id: goal_id.clone(),
            need_area,
            description,
            due_on: due,
            done_on: None,
        };
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_plan_item(tx.conn(), &case.id, &item, &now).await?;
        let change = Change::new(
            if goal_id.is_some() {
                AuditAction::CaseActionAdded
            } else {
                AuditAction::CaseGoalAdded
            },
            "case",
            &case.id,
        )
        .place(Some(&service.organisation_id), Some(&service.id))
        .after(json!({ "plan_item_id": item.id, "due_on": item.due_on }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Records a support contact; a channel marked unsafe for the person is refused.
    pub async fn record_case_contact(
        &self,
        actor: &Actor,
        case_id: &str,
        kind: &str,
        channel: &str,
        minutes: &str,
        notes: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let kind = ContactKind::parse(kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choose what kind of support this was");
        }
        let channel = Channel::parse(channel.trim());
        if channel.is_none() {
            errors.add("contact_channel", "Choose how the contact was made");
        }
        let minutes: Option<i64> = minutes
            .trim()
            .parse()
            .ok()
            .filter(|m| (1..=1440).contains(m));
        if minutes.is_none() {
            errors.add(
                "duration_minutes",
                "Enter how long it took in minutes, from 1 to 1440",
            );
        }
        if let Some(channel) = channel {
            let mut conn = self.db.conn().await?;
            let prefs = store::people::preferences(&mut conn, &case.person_id).await?;
            if let Some(p) = prefs
                .iter()
                .find(|p| p.channel == channel.code() && p.safe == 0)
            {
                let why = p
                    .notes
                    .as_deref()
                    .map(|n| format!(" Note: {n}"))
                    .unwrap_or_default();
                errors.add(
                    "contact_channel",
                    format!(
                        "{} is marked unsafe for this person: use a channel marked safe.{why}",
                        channel.label()
                    ),
                );
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let contact = Contact {
            id: new_id(),
            kind: kind.map(|k| k.code()).unwrap_or_default().into(),
            channel: channel.map(|c| c.code()).unwrap_or_default().into(),
            duration_minutes: minutes.unwrap_or(0),
            notes: optional(notes),
            contacted_at: now.clone(),
            user_name: None,
        };
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_contact(tx.conn(), &case.id, &contact, &actor.id).await?;
        let change = Change::new(AuditAction::CaseContactRecorded, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({ "kind": contact.kind, "channel": contact.channel, "minutes": contact.duration_minutes }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Adds a note; a sensitive note is hidden until someone reveals it.
    pub async fn add_case_note(
        &self,
        actor: &Actor,
        case_id: &str,
        body: &str,
        sensitive: bool,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let body = required_text(&mut errors, "note", body, "the note", 20_000);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_note(tx.conn(), &id, &case.id, &body, sensitive, &actor.id, &now).await?;
        let change = Change::new(AuditAction::CaseNoteAdded, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "note_id": id, "sensitive": sensitive }));
        tx.commit(change).await?;
        Ok(())
    }

    /// The text of a sensitive note; each reveal is audited.
    pub async fn reveal_note(
        &self,
        actor: &Actor,
        case_id: &str,
        note_id: &str,
    ) -> Result<crate::Seen<String>> {
        let case = self.visible_case(actor, case_id).await?;
        let service = self.service_by_id(&case.service_id).await?;
        let mut conn = self.db.conn().await?;
        let note = store::cases::notes(&mut conn, &case.id)
            .await?
            .into_iter()
            .find(|n| n.id == note_id)
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let read = Change::new(AuditAction::CaseNoteRevealed, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "note_id": note.id }));
        self.disclose(actor, read, note.body).await
    }

    /// Adds a task with a due date, for the actor unless someone else is named.
    pub async fn add_task(
        &self,
        actor: &Actor,
        case_id: &str,
        title: &str,
        due_on: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let title = required_text(&mut errors, "task_title", title, "what needs doing", 300);
        let due = due_on.trim().parse::<Date>();
        if due.is_err() {
            errors.add(
                "task_due_on",
                "Enter when it is due as a real date, for example 2026-12-01",
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let due = due.map(|d| d.to_string()).unwrap_or_default();
        let now = self.clock.now_text();
        let id = new_id();
        let assignee = case
            .caseworker_id
            .clone()
            .unwrap_or_else(|| actor.id.clone());
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_task(
            tx.conn(),
            &id,
            &case.id,
            &title,
            &due,
            Some(&assignee),
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CaseTaskAdded, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "task_id": id, "due_on": due, "assigned_to": assignee }));
        tx.commit(change).await?;
        Ok(())
    }

    pub async fn complete_task(&self, actor: &Actor, case_id: &str, task_id: &str) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        if !store::cases::complete_task(tx.conn(), task_id, &case.id, &now).await? {
            return Err(AppError::invalid(
                "task",
                "This task is already done, or is not on this case",
            ));
        }
        let change = Change::new(AuditAction::CaseTaskDone, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "task_id": task_id }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Refers the victim on to another agency. Without their consent this is
    /// refused, unless someone with the override permission records why.
    pub async fn refer_on(
        &self,
        actor: &Actor,
        case_id: &str,
        agency: &str,
        reason: &str,
        consent_given: bool,
        override_reason: &str,
    ) -> Result<()> {
        let (_, service) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let agency = required_text(&mut errors, "agency", agency, "the agency", 200);
        let reason = required_text(
            &mut errors,
            "onward_reason",
            reason,
            "why they are being referred",
            1000,
        );
        let override_reason = optional(override_reason);
        if !consent_given {
            if !policy::may(actor, Action::OverrideConsent, &place_of_service(&service)) {
                errors.add(
                    "consent_given",
                    "The victim has not consented to this referral. Ask for consent, or ask a team leader to decide whether to refer without it",
                );
            } else if override_reason.is_none() {
                errors.add(
                    "override_reason",
                    "Record why this referral is being made without the victim's consent",
                );
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let onward = OnwardReferral {
            id: new_id(),
            agency,
            reason,
            consent_given: i64::from(consent_given),
            override_reason: if consent_given { None } else { override_reason },
            made_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::cases::add_onward(tx.conn(), &case.id, &onward, &actor.id).await?;
        let change = Change::new(if consent_given { AuditAction::CaseReferredOn } else { AuditAction::CaseReferredOnWithoutConsent }, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({ "onward_id": onward.id, "agency": onward.agency, "consent_given": consent_given }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Closes a case with its reason, satisfaction and an answer for each
    /// of the five cope-and-recover measures.
    pub async fn close_case(&self, actor: &Actor, case_id: &str, closure: &Closure) -> Result<()> {
        let mut errors = FieldErrors::new();
        let reason = ClosureReason::parse(closure.reason.trim());
        if reason.is_none() {
            errors.add("closure_reason", "Choose why the case is closing");
        }
        let satisfaction = Satisfaction::parse(closure.satisfaction.trim());
        if satisfaction.is_none() {
            errors.add(
                "satisfaction",
                "Choose how satisfied they were, or not asked",
            );
        }
        let mut outcomes = Vec::new();
        for measure in OutcomeMeasure::ALL {
            let given = closure
                .outcomes
                .iter()
                .find(|(m, _)| m == measure.code())
                .map(|(_, r)| r.trim());
            match given.and_then(OutcomeResult::parse) {
                Some(result) => outcomes.push(Outcome {
                    measure: measure.code().into(),
                    result: result.code().into(),
                }),
                None => errors.add(
                    &format!("outcome-{}", measure.code()),
                    format!(
                        "Choose an answer for {}, or not asked",
                        measure.label().to_lowercase()
                    ),
                ),
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let reason = reason.map(|r| r.code()).unwrap_or_default();
        let satisfaction = satisfaction.map(|s| s.code()).unwrap_or_default();
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        for outcome in &outcomes {
            store::cases::set_outcome(tx.conn(), &case.id, outcome).await?;
        }
        let today = self.today().to_string();
        store::cases::close(tx.conn(), &case.id, reason, satisfaction, &now, &today).await?;
        store::cases::add_status(
            tx.conn(),
            &new_id(),
            &case.id,
            CaseStatus::Closed.code(),
            Some(reason),
            &actor.id,
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CaseClosed, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({
                    "reason": reason, "satisfaction": satisfaction,
                    "outcomes": outcomes.iter().map(|o| (o.measure.clone(), o.result.clone())).collect::<Vec<_>>(),
                }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Links another person to a case: a child, the alleged perpetrator, a
    /// household member. They get a record of their own, with none of the
    /// victim's details.
    pub async fn link_person(
        &self,
        actor: &Actor,
        case_id: &str,
        given_name: &str,
        family_name: &str,
        date_of_birth: &str,
        relationship: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let given = required_text(
            &mut errors,
            "link_given_name",
            given_name,
            "their first name",
            100,
        );
        let family = required_text(
            &mut errors,
            "link_family_name",
            family_name,
            "their last name",
            100,
        );
        let relationship = domain::cases::Relationship::parse(relationship.trim());
        if relationship.is_none() {
            errors.add("relationship", "Choose how they are linked to the case");
        }
        let born = optional(date_of_birth);
        if let Some(b) = &born
            && b.parse::<Date>().map(|d| d > self.today()).unwrap_or(true)
        {
            errors.add(
                "link_date_of_birth",
                "Enter a real date of birth, not in the future, for example 2015-06-01",
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let relationship = relationship.map(|r| r.code()).unwrap_or_default();
        let now = self.clock.now_text();
        let person = store::people::Person {
            id: new_id(),
            service_id: case.service_id.clone(),
            given_name: given.clone(),
            family_name: family.clone(),
            date_of_birth: born,
            phone: None,
            email: None,
            address: None,
            postcode: None,
            gender: "not_known".into(),
            ethnicity: "not_known".into(),
            disability: "not_known".into(),
            sexual_orientation: "not_known".into(),
            religion: "not_known".into(),
            first_language: None,
            interpreter_needed: 0,
            created_at: now.clone(),
        };
        let new = store::people::NewPerson {
            name_key: domain::journey::name_key(&given, &family),
            given_key: domain::journey::word_key(&given),
            family_key: domain::journey::word_key(&family),
            phone_key: None,
            postcode_key: None,
            person,
        };
        let link_id = new_id();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::people::insert(tx.conn(), &new).await?;
        store::cases::link_person(
            tx.conn(),
            &link_id,
            &case.id,
            &new.person.id,
            relationship,
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CasePersonLinked, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "person_id": new.person.id, "relationship": relationship }));
        tx.commit(change).await?;
        Ok(())
    }

    /// A person's own record; the read is audited.
    pub async fn person(&self, actor: &Actor, person_id: &str) -> Result<crate::Seen<PersonView>> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let person = store::people::find_visible(&mut conn, person_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let links = store::cases::links_of_person(&mut conn, &person.id).await?;
        let referrals = store::referrals::referrals_of_person(&mut conn, &person.id).await?;
        drop(conn);
        let service = self.service_by_id(&person.service_id).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &person.id)
            .place(Some(&service.organisation_id), Some(&service.id));
        let view = PersonView {
            person,
            links,
            referrals,
        };
        self.disclose(actor, read, view).await
    }
}
