//! Setting up a rota: its name, the duty role and line partners reach, the
//! cover pattern and the services sharing it (system administrators and
//! the command line).

use domain::duty::Pattern;
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::duty::Rota;

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
        let name = required_text(&mut errors, "name", &input.name, "the rota's name", 200);
        let role = required_text(
            &mut errors,
            "role",
            &input.role,
            "the duty role partners ask for, such as Duty IDVA",
            100,
        );
        let contact = required_text(
            &mut errors,
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
            &mut errors,
            "out_of_hours_by",
            &input.out_of_hours_by,
            "10:00",
            DutyUseMessage::OutOfHoursBy,
        );
        let handover_at = local_time(
            &mut errors,
            "handover_at",
            &input.handover_at,
            "20:00",
            DutyUseMessage::HandoverAt,
        );
        if input.services.iter().all(|s| s.trim().is_empty()) {
            errors.add("services", DutyUseMessage::ChooseServices);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let mut errors = FieldErrors::new();
        if store::duty::rotas(tx.conn())
            .await?
            .iter()
            .any(|r| r.name.eq_ignore_ascii_case(&name))
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
            name,
            role,
            contact,
            pattern: pattern.map(|p| p.text()).unwrap_or_default(),
            created_at: now.clone(),
            response_hours,
            out_of_hours_by,
            handover_at,
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
