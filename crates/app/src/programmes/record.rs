//! Recording a call-out, and the checks a correction shares: inside the
//! programme's period, not in the future, an area, a DASH level only with
//! a DASH, a grant only with an application.

use domain::policy::{Action, Actor};
use domain::programmes::JusticeOutcome;
use domain::risk::Level;
use domain::validation::{FieldErrors, required_text};
use domain::values::Day;
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde_json::json;
use store::programmes::{CallOut, Programme};

use crate::audit::{AuditAction, Change};
use crate::calendar::uk_time_zone;
use crate::clock::instant_text;
use crate::people::{PersonInput, date_of_birth};
use crate::programmes::CallOutInput;
use crate::programmes::access::reached;
use crate::programmes::messages::ProgrammeMessage;
use crate::referrals::recognised_or_new;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The longest police incident reference kept.
const REFERENCE_LIMIT: usize = 50;

/// A call-out's own details, checked against its programme: everything
/// but the victim.
pub(super) fn checked(
    input: &CallOutInput,
    programme: &Programme,
    areas: &[store::directory::Area],
    now: Timestamp,
    errors: &mut FieldErrors,
) -> CallOut {
    let day = Day::parse(input.day.trim()).ok().map(|d| d.date());
    if day.is_none() {
        errors.add("day", ProgrammeMessage::CallOutDay);
    }
    let time: Option<Time> = input.time.trim().parse().ok();
    if time.is_none() {
        errors.add("time", ProgrammeMessage::CallOutTime);
    }
    let starts: Option<Date> = programme.starts_on.parse().ok();
    let ends: Option<Date> = programme.ends_on.parse().ok();
    if let (Some(day), Some(starts), Some(ends)) = (day, starts, ends)
        && (day < starts || day > ends)
    {
        errors.add(
            "day",
            ProgrammeMessage::OutsidePeriod {
                from: domain::values::long_date(starts),
                to: domain::values::long_date(ends),
            },
        );
    }
    let attended = day.zip(time).and_then(|(d, t)| {
        d.to_datetime(t)
            .to_zoned(uk_time_zone())
            .ok()
            .map(|z| z.timestamp())
    });
    if attended.is_some_and(|at| at > now) {
        errors.add("time", ProgrammeMessage::CallOutFuture);
    }
    let incident_reference = required_text(
        errors,
        "incident_reference",
        &input.incident_reference,
        "the police incident reference",
        REFERENCE_LIMIT,
    );
    let area = areas
        .iter()
        .find(|a| a.id == input.area.trim() || a.name.eq_ignore_ascii_case(input.area.trim()));
    if area.is_none() {
        errors.add("area", ProgrammeMessage::ChooseArea);
    }
    let level = match input.dash_level.trim() {
        "" => None,
        code => Level::parse(code),
    };
    match (input.dash_done, input.dash_level.trim().is_empty(), level) {
        (true, true, _) | (true, false, None) => {
            errors.add("dash_level", ProgrammeMessage::DashLevel)
        }
        (false, false, _) => errors.add("dash_level", ProgrammeMessage::NoDashNoLevel),
        _ => {}
    }
    if input.protection_granted && !input.protection_applied {
        errors.add("protection_granted", ProgrammeMessage::GrantedNotApplied);
    }
    let outcome = match input.justice_outcome.trim() {
        "" => Some(JusticeOutcome::Awaiting),
        code => JusticeOutcome::parse(code),
    };
    if outcome.is_none() {
        errors.add("justice_outcome", ProgrammeMessage::ChooseOutcome);
    }
    let flag = |set: bool| i64::from(set);
    CallOut {
        programme_id: programme.id.clone(),
        attended_at: attended.map(instant_text).unwrap_or_default(),
        on_day: day.map(|d| d.to_string()).unwrap_or_default(),
        incident_reference,
        area_id: area.map(|a| a.id.clone()).unwrap_or_default(),
        area_name: area.map(|a| a.name.clone()).unwrap_or_default(),
        joint_attendance: flag(input.joint_attendance),
        dash_done: flag(input.dash_done),
        dash_level: level.map(|l| l.code().to_string()),
        safety_plan: flag(input.safety_plan),
        children_present: flag(input.children_present),
        arrest: flag(input.arrest),
        protection_applied: flag(input.protection_applied),
        protection_granted: flag(input.protection_granted),
        engaged: flag(input.engaged),
        onward_referral: flag(input.onward_referral),
        justice_outcome: outcome
            .unwrap_or(JusticeOutcome::Awaiting)
            .code()
            .to_string(),
        ..CallOut::default()
    }
}

/// What the audit log keeps of a call-out: what was done, never who.
pub(super) fn audited(c: &CallOut) -> serde_json::Value {
    json!({
        "attended_at": c.attended_at,
        "incident_reference": c.incident_reference,
        "area_id": c.area_id,
        "joint_attendance": c.joint_attendance,
        "dash_done": c.dash_done,
        "dash_level": c.dash_level,
        "safety_plan": c.safety_plan,
        "children_present": c.children_present,
        "arrest": c.arrest,
        "protection_applied": c.protection_applied,
        "protection_granted": c.protection_granted,
        "engaged": c.engaged,
        "onward_referral": c.onward_referral,
        "justice_outcome": c.justice_outcome,
    })
}

impl App {
    /// Records a call-out in the programme's service, by one of its
    /// workers. The victim the service surely knows is linked; anyone else
    /// is recorded new, and put on the review list if they may be known.
    pub async fn record_call_out(
        &self,
        actor: &Actor,
        programme_id: &str,
        input: &CallOutInput,
    ) -> Result<CallOut> {
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let reached = reached(tx.conn(), actor, programme_id, Action::ManageCases).await?;
        let areas = store::directory::list_areas(tx.conn()).await?;
        let mut errors = FieldErrors::new();
        let mut call_out = checked(
            input,
            &reached.programme,
            &areas,
            self.clock.now(),
            &mut errors,
        );
        let born = date_of_birth(
            &mut errors,
            &input.date_of_birth,
            today,
            ProgrammeMessage::BornReal,
        );
        let person = PersonInput {
            given_name: input.given_name.clone(),
            family_name: input.family_name.clone(),
            ..PersonInput::default()
        };
        let new = crate::referrals::new_person(&person, &reached.service.id, born, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        let mut changes = Vec::new();
        call_out.person_id = recognised_or_new(
            &mut tx,
            &reached.service.organisation_id,
            &reached.service.id,
            new,
            &now,
            &mut changes,
        )
        .await?;
        call_out.id = new_id();
        call_out.recorded_by = actor.id.clone();
        call_out.recorded_at = now.clone();
        store::programmes::insert_call_out(tx.conn(), &call_out).await?;
        changes.push(
            Change::new(AuditAction::CallOutRecorded, "call_out", &call_out.id)
                .place(
                    Some(&reached.service.organisation_id),
                    Some(&reached.service.id),
                )
                .after(json!({
                    "programme_id": programme_id,
                    "person_id": call_out.person_id,
                    "call_out": audited(&call_out),
                })),
        );
        tx.commit_all(changes).await?;
        Ok(call_out)
    }
}
