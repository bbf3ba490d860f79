//! Setting up a programme (system administrators and the command line),
//! and importing its baseline's aggregate figures (the service's managers).

use domain::policy::{self, Action, Actor, Place, Visibility};
use domain::programmes::{BaselineMessage, parse_baseline};
use domain::validation::{FieldErrors, required_text};
use domain::values::{Day, Pence};
use jiff::civil::Date;
use serde_json::json;
use store::programmes::{Partner, Programme};

use crate::audit::{AuditAction, Change};
use crate::programmes::ProgrammeInput;
use crate::programmes::access::reached_by_any;
use crate::programmes::messages::ProgrammeMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// A day as typed (d m y or YYYY-MM-DD), or the field named.
fn day(errors: &mut FieldErrors, field: &str, text: &str, what: &str) -> Option<Date> {
    let day = Day::parse(text.trim()).ok().map(|d| d.date());
    if day.is_none() {
        errors.add(
            field,
            ProgrammeMessage::DayReal {
                what: what.to_string(),
            },
        );
    }
    day
}

impl App {
    pub async fn create_programme(
        &self,
        actor: &Actor,
        input: &ProgrammeInput,
    ) -> Result<Programme> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let (checked, partners) = checked(input, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let everything = Visibility {
            everything: true,
            ..Visibility::default()
        };
        let service = store::directory::list_services(tx.conn(), &everything)
            .await?
            .into_iter()
            .find(|s| {
                s.id == input.service.trim() || s.name.eq_ignore_ascii_case(input.service.trim())
            })
            .ok_or_else(|| AppError::invalid("service", ProgrammeMessage::UnknownService))?;
        if store::programmes::programmes(tx.conn())
            .await?
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&checked.name))
        {
            return Err(AppError::invalid("name", ProgrammeMessage::NameTaken));
        }
        let programme = Programme {
            id: new_id(),
            service_id: service.id.clone(),
            service_name: service.name.clone(),
            organisation_id: service.organisation_id.clone(),
            commissioner_id: service.commissioner_id.clone(),
            created_at: now.clone(),
            ..checked
        };
        store::programmes::insert(tx.conn(), &programme, &partners).await?;
        tx.commit(
            Change::new(AuditAction::ProgrammeCreated, "programme", &programme.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(audited(&programme, &partners)),
        )
        .await?;
        Ok(programme)
    }

    /// Corrects a programme's details and partners (its service stays). A
    /// new period is refused while call-outs recorded would fall outside
    /// it.
    pub async fn correct_programme(
        &self,
        actor: &Actor,
        id: &str,
        input: &ProgrammeInput,
    ) -> Result<Programme> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let (checked, partners) = checked(input, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::programmes::find(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if store::programmes::programmes(tx.conn())
            .await?
            .iter()
            .any(|p| p.id != id && p.name.eq_ignore_ascii_case(&checked.name))
        {
            return Err(AppError::invalid("name", ProgrammeMessage::NameTaken));
        }
        let outside = store::programmes::call_out_facts(tx.conn(), id)
            .await?
            .iter()
            .filter(|c| c.on_day < checked.starts_on || c.on_day > checked.ends_on)
            .count();
        if outside > 0 {
            return Err(AppError::invalid(
                "starts_on",
                ProgrammeMessage::PeriodLeavesCallOuts { call_outs: outside },
            ));
        }
        let before_partners = store::programmes::partners(tx.conn(), id).await?;
        let after = Programme {
            id: before.id.clone(),
            service_id: before.service_id.clone(),
            service_name: before.service_name.clone(),
            organisation_id: before.organisation_id.clone(),
            commissioner_id: before.commissioner_id.clone(),
            created_at: before.created_at.clone(),
            ..checked
        };
        store::programmes::update(tx.conn(), &after, &partners).await?;
        tx.commit(
            Change::new(AuditAction::ProgrammeCorrected, "programme", id)
                .place(Some(&after.organisation_id), Some(&after.service_id))
                .before(audited(&before, &before_partners))
                .after(audited(&after, &partners)),
        )
        .await?;
        Ok(after)
    }

    /// A programme and its partners, for a system administrator to correct.
    pub async fn programme_to_correct(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Programme, Vec<Partner>)> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let programme = store::programmes::find(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let partners = store::programmes::partners(&mut conn, id).await?;
        Ok((programme, partners))
    }

    /// Every programme, for a system administrator setting them up.
    pub async fn programmes_set_up(&self, actor: &Actor) -> Result<Vec<Programme>> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::programmes::programmes(&mut conn).await?)
    }

    /// Replaces the baseline's aggregate figures from a file of
    /// `measure,count` lines: all or nothing, every problem named with its
    /// line. The service's managers import it.
    pub async fn import_baseline(
        &self,
        actor: &Actor,
        programme_id: &str,
        file: &str,
    ) -> Result<usize> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let reached = reached_by_any(
            tx.conn(),
            actor,
            programme_id,
            &[Action::AllocateCases, Action::ManageDirectory],
        )
        .await?;
        let counts = parse_baseline(file).map_err(|problems| {
            AppError::invalid(
                "baseline",
                ProgrammeMessage::Baseline {
                    problems: problems
                        .iter()
                        .map(BaselineMessage::english)
                        .collect::<Vec<_>>()
                        .join("; "),
                },
            )
        })?;
        let before = store::programmes::baseline(tx.conn(), programme_id).await?;
        let mut rows: Vec<(String, i64)> = counts
            .iter()
            .map(|(m, c)| (m.code().to_string(), *c))
            .collect();
        rows.sort();
        store::programmes::replace_baseline(tx.conn(), programme_id, &rows, &now).await?;
        tx.commit(
            Change::new(
                AuditAction::ProgrammeBaselineImported,
                "programme",
                programme_id,
            )
            .place(
                Some(&reached.service.organisation_id),
                Some(&reached.service.id),
            )
            .before(json!(before))
            .after(json!(rows)),
        )
        .await?;
        Ok(rows.len())
    }
}

/// A programme's own details and partners, checked: all but its service.
fn checked(input: &ProgrammeInput, errors: &mut FieldErrors) -> (Programme, Vec<Partner>) {
    let name = required_text(errors, "name", &input.name, "the programme's name", 200);
    let starts = day(errors, "starts_on", &input.starts_on, "the day it starts");
    let ends = day(errors, "ends_on", &input.ends_on, "the day it ends");
    let base_from = day(
        errors,
        "baseline_from",
        &input.baseline_from,
        "the day the baseline starts",
    );
    let base_to = day(
        errors,
        "baseline_to",
        &input.baseline_to,
        "the day the baseline ends",
    );
    if let (Some(starts), Some(ends)) = (starts, ends)
        && ends < starts
    {
        errors.add("ends_on", ProgrammeMessage::EndsBeforeStart);
    }
    if let (Some(from), Some(to), Some(starts)) = (base_from, base_to, starts)
        && (to < from || to >= starts)
    {
        errors.add("baseline_to", ProgrammeMessage::BaselineOrder);
    }
    let funding = match input.funding.trim() {
        "" => Pence(0),
        typed => Pence::parse(typed).unwrap_or_else(|_| {
            errors.add("funding", ProgrammeMessage::Funding);
            Pence(0)
        }),
    };
    let funding_source = domain::validation::text(
        errors,
        "funding_source",
        &input.funding_source,
        "the source of the funding",
        200,
        domain::validation::Lines::One,
    )
    .unwrap_or_default();
    let mut partners = Vec::new();
    for typed in input.partners.iter().filter(|p| !p.trim().is_empty()) {
        match typed.split_once(':') {
            Some((name, part)) if !name.trim().is_empty() && !part.trim().is_empty() => {
                partners.push(Partner {
                    name: name.trim().to_string(),
                    part: part.trim().to_string(),
                });
            }
            _ => errors.add("partners", ProgrammeMessage::Partner),
        }
    }
    let text = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let programme = Programme {
        name,
        starts_on: text(starts),
        ends_on: text(ends),
        baseline_from: text(base_from),
        baseline_to: text(base_to),
        funding_pence: funding.0,
        funding_source,
        ..Programme::default()
    };
    (programme, partners)
}

/// What the audit log keeps of a programme.
fn audited(p: &Programme, partners: &[Partner]) -> serde_json::Value {
    json!({
        "name": p.name,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "baseline_from": p.baseline_from,
        "baseline_to": p.baseline_to,
        "funding_pence": p.funding_pence,
        "funding_source": p.funding_source,
        "partners": partners.iter().map(|p| format!("{}: {}", p.name, p.part)).collect::<Vec<_>>(),
    })
}
