//! Setting up a rota: its name, the duty role and line partners reach, the
//! cover pattern and the services sharing it (system administrators and
//! the command line).

use domain::duty::Pattern;
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::duty::{Rota, RotaService};

use crate::audit::{AuditAction, Change};
use crate::duty::RotaInput;
use crate::duty::messages::DutyUseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    pub async fn create_duty_rota(&self, actor: &Actor, input: &RotaInput) -> Result<Rota> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let checked = checked(input, &mut errors);
        if input.services.iter().all(|s| s.trim().is_empty()) {
            errors.add("services", DutyUseMessage::ChooseServices);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let mut errors = FieldErrors::new();
        let rota_name = checked.name.clone();
        if store::duty::rotas(tx.conn())
            .await?
            .iter()
            .any(|r| r.name.eq_ignore_ascii_case(&rota_name))
        {
            errors.add("name", DutyUseMessage::NameTaken);
        }
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let all = store::directory::list_services(tx.conn(), &everything).await?;
        let mut services: Vec<String> = Vec::new();
        for wanted in input
            .services
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match all
                .iter()
                .find(|s| s.id == wanted || s.name.eq_ignore_ascii_case(wanted))
            {
                Some(s) if !services.contains(&s.id) => services.push(s.id.clone()),
                Some(_) => {}
                None => errors.add(
                    "services",
                    DutyUseMessage::UnknownService {
                        service: wanted.to_string(),
                    },
                ),
            }
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let rota = Rota {
            id: new_id(),
            created_at: now.clone(),
            ..checked
        };
        store::duty::insert_rota(tx.conn(), &rota, &services).await?;
        tx.commit(
            Change::new(AuditAction::DutyRotaCreated, "duty_rota", &rota.id).after(json!({
                "name": rota.name,
                "role": rota.role,
                "contact": rota.contact,
                "pattern": rota.pattern,
                "services": services,
                "response_hours": rota.response_hours,
                "out_of_hours_by": rota.out_of_hours_by,
                "handover_at": rota.handover_at,
            })),
        )
        .await?;
        Ok(rota)
    }
}

impl App {
    /// Every rota with the services sharing it, for a system administrator.
    pub async fn duty_rotas_to_set_up(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(Rota, Vec<RotaService>)>> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let services = store::duty::rota_services(&mut conn).await?;
        Ok(store::duty::rotas(&mut conn)
            .await?
            .into_iter()
            .map(|r| {
                let shared = services
                    .iter()
                    .filter(|s| s.rota_id == r.id)
                    .cloned()
                    .collect();
                (r, shared)
            })
            .collect())
    }

    /// Corrects a rota's own details (its services stay). A new pattern is
    /// refused while coming shifts would not fit it: they are taken off
    /// first, so no one is left on a shift that no longer exists.
    pub async fn correct_duty_rota(
        &self,
        actor: &Actor,
        rota_id: &str,
        input: &RotaInput,
    ) -> Result<Rota> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let calendar = self
            .calendar(domain::calendar::Nation::EnglandAndWales)
            .await?;
        let mut errors = FieldErrors::new();
        let checked = checked(input, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let rotas = store::duty::rotas(tx.conn()).await?;
        let before = rotas
            .iter()
            .find(|r| r.id == rota_id)
            .cloned()
            .ok_or(AppError::NotFound)?;
        if rotas
            .iter()
            .any(|r| r.id != rota_id && r.name.eq_ignore_ascii_case(&checked.name))
        {
            return Err(AppError::invalid("name", DutyUseMessage::NameTaken));
        }
        let pattern = Pattern::parse(&checked.pattern).unwrap_or_default();
        let zone = crate::calendar::uk_time_zone();
        let unfit = store::duty::coming_shifts(tx.conn(), rota_id, &now)
            .await?
            .iter()
            .filter(|shift| {
                let Ok(day) = shift.on_day.parse::<jiff::civil::Date>() else {
                    return true;
                };
                let slot = usize::try_from(shift.slot).ok();
                let fits = slot
                    .and_then(|i| pattern.slots_on(day, &calendar).get(i).copied())
                    .map(|slot| {
                        let (starts, ends) = slot.on(day, &zone);
                        (
                            crate::clock::instant_text(starts),
                            crate::clock::instant_text(ends),
                        ) == (shift.starts_at.clone(), shift.ends_at.clone())
                    });
                fits != Some(true)
            })
            .count();
        if unfit > 0 {
            return Err(AppError::invalid(
                "pattern",
                DutyUseMessage::PatternLeavesShifts { shifts: unfit },
            ));
        }
        let after = Rota {
            id: before.id.clone(),
            created_at: before.created_at.clone(),
            ..checked
        };
        store::duty::update_rota(tx.conn(), &after).await?;
        let audited = |r: &Rota| {
            json!({
                "name": r.name,
                "role": r.role,
                "contact": r.contact,
                "pattern": r.pattern,
                "response_hours": r.response_hours,
                "out_of_hours_by": r.out_of_hours_by,
                "handover_at": r.handover_at,
            })
        };
        tx.commit(
            Change::new(AuditAction::DutyRotaCorrected, "duty_rota", rota_id)
                .before(audited(&before))
                .after(audited(&after)),
        )
        .await?;
        Ok(after)
    }
}

/// A local time of day as HH:MM (blank: the default), or the field named.
fn local_time(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    default: &str,
    refusal: DutyUseMessage,
) -> String {
    match text.trim() {
        "" => default.to_string(),
        time => match time.parse::<jiff::civil::Time>() {
            Ok(t) => format!("{:02}:{:02}", t.hour(), t.minute()),
            Err(_) => {
                errors.add(field, refusal);
                String::new()
            }
        },
    }
}

/// A rota's own details, checked: every field but its services.
fn checked(input: &RotaInput, errors: &mut FieldErrors) -> Rota {
    let name = required_text(errors, "name", &input.name, "the rota's name", 200);
    let role = required_text(
        errors,
        "role",
        &input.role,
        "the duty role partners ask for, such as Duty IDVA",
        100,
    );
    let contact = required_text(
        errors,
        "contact",
        &input.contact,
        "the duty line partners call (never a person's own number)",
        200,
    );
    let pattern = match Pattern::parse(&input.pattern) {
        Ok(pattern) => Some(pattern),
        Err(problems) => {
            for problem in problems {
                errors.add("pattern", problem);
            }
            None
        }
    };
    let response_hours = match input.response_hours.trim() {
        "" => 2,
        hours => match hours.parse::<i64>() {
            Ok(h) if (1..=72).contains(&h) => h,
            _ => {
                errors.add("response_hours", DutyUseMessage::ResponseHours);
                2
            }
        },
    };
    let out_of_hours_by = local_time(
        errors,
        "out_of_hours_by",
        &input.out_of_hours_by,
        "10:00",
        DutyUseMessage::OutOfHoursBy,
    );
    let handover_at = local_time(
        errors,
        "handover_at",
        &input.handover_at,
        "20:00",
        DutyUseMessage::HandoverAt,
    );
    Rota {
        name,
        role,
        contact,
        pattern: pattern.map(|p| p.text()).unwrap_or_default(),
        response_hours,
        out_of_hours_by,
        handover_at,
        ..Rota::default()
    }
}
