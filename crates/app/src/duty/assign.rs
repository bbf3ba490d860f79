//! Putting a worker on one of the pattern's shifts, and taking them off
//! (the shift becomes a gap). The manager plans for their own services'
//! workers; a worker never holds two shifts at once, on any rota.

use domain::calendar::Nation;
use domain::duty::Pattern;
use domain::policy::{self, Action, Actor};
use domain::validation::FieldErrors;
use domain::values::Day;
use serde_json::json;
use store::duty::Shift;

use crate::audit::{AuditAction, Change};
use crate::calendar::uk_time_zone;
use crate::clock::instant_text;
use crate::duty::ShiftInput;
use crate::duty::access::{service_place, shared};
use crate::duty::messages::DutyUseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

impl App {
    /// Puts a worker on a shift of the rota: a coming shift of the day's
    /// pattern that nobody holds, a worker who holds cases in one of the
    /// rota's services the actor plans for, and who is free then.
    pub async fn assign_duty_shift(
        &self,
        actor: &Actor,
        rota_id: &str,
        input: &ShiftInput,
    ) -> Result<Shift> {
        let calendar = self.calendar(Nation::EnglandAndWales).await?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let shared = shared(tx.conn(), actor, rota_id).await?;
        let planned: Vec<_> = shared
            .services
            .iter()
            .filter(|s| policy::may(actor, Action::AllocateCases, &service_place(s)))
            .cloned()
            .collect();
        if planned.is_empty() {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let day = Day::parse(&input.day).map(Day::date).ok();
        if day.is_none() {
            errors.add("day", DutyUseMessage::ChooseDay);
        }
        let pattern = Pattern::parse(&shared.rota.pattern).unwrap_or_default();
        let index: Option<usize> = input.slot.trim().parse().ok();
        let slot =
            day.and_then(|d| index.and_then(|i| pattern.slots_on(d, &calendar).get(i).copied()));
        let span = day.zip(slot).map(|(d, s)| s.on(d, &uk_time_zone()));
        match span {
            None if day.is_some() => errors.add("slot", DutyUseMessage::NotInPattern),
            Some((_, ends)) if ends <= self.clock.now() => {
                errors.add("day", DutyUseMessage::DayPassed);
            }
            _ => {}
        }
        let mut worker = None;
        for service in &planned {
            let everything = policy::Visibility {
                everything: true,
                ..Default::default()
            };
            let Some(found) =
                store::directory::find_service(tx.conn(), &service.service_id, &everything).await?
            else {
                continue;
            };
            if let Some(user) =
                crate::cases::holder_in(&mut tx, &found, input.worker.trim()).await?
            {
                worker = Some((user, service.service_id.clone()));
                break;
            }
        }
        if worker.is_none() {
            errors.add("worker", DutyUseMessage::ChooseWorker);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some(day), Some(index), Some((starts, ends)), Some((worker, service_id))) =
            (day, index, span, worker)
        else {
            return Err(AppError::Internal("a checked shift lost a value".into()));
        };
        let (starts_at, ends_at) = (instant_text(starts), instant_text(ends));
        let held =
            store::duty::shifts_between(tx.conn(), rota_id, &day.to_string(), &day.to_string())
                .await?;
        if held.iter().any(|s| s.slot == index as i64) {
            return Err(AppError::invalid("slot", DutyUseMessage::ShiftTaken));
        }
        if let Some(clash) =
            store::duty::worker_shifts_overlapping(tx.conn(), &worker.id, &starts_at, &ends_at, "")
                .await?
                .first()
        {
            return Err(AppError::invalid(
                "worker",
                DutyUseMessage::Overlaps {
                    day: clash.on_day.clone(),
                },
            ));
        }
        let shift = Shift {
            id: new_id(),
            rota_id: rota_id.to_string(),
            on_day: day.to_string(),
            slot: index as i64,
            starts_at,
            ends_at,
            worker_id: worker.id.clone(),
            worker_name: worker.display_name.clone(),
            service_id,
            created_at: now.clone(),
        };
        store::duty::insert_shift(tx.conn(), &shift).await?;
        tx.commit(
            Change::new(AuditAction::DutyShiftAssigned, "duty_rota", rota_id).after(json!({
                "shift_id": shift.id,
                "day": shift.on_day,
                "slot": shift.slot,
                "worker_id": shift.worker_id,
                "service_id": shift.service_id,
            })),
        )
        .await?;
        Ok(shift)
    }

    /// Takes the worker off a coming shift, by a manager of the service
    /// they cover it for: the shift is a gap again.
    pub async fn clear_duty_shift(
        &self,
        actor: &Actor,
        rota_id: &str,
        shift_id: &str,
    ) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let shared = shared(tx.conn(), actor, rota_id).await?;
        let shift = store::duty::shift(tx.conn(), shift_id)
            .await?
            .filter(|s| s.rota_id == rota_id)
            .ok_or(AppError::NotFound)?;
        let service = shared
            .services
            .iter()
            .find(|s| s.service_id == shift.service_id)
            .ok_or(AppError::NotFound)?;
        if !policy::may(actor, Action::AllocateCases, &service_place(service)) {
            return Err(AppError::Forbidden);
        }
        if shift.ends_at <= now {
            return Err(AppError::invalid("shift", DutyUseMessage::DayPassed));
        }
        store::duty::delete_shift(tx.conn(), &shift.id).await?;
        tx.commit(
            Change::new(AuditAction::DutyShiftCleared, "duty_rota", rota_id)
                .before(json!({
                    "shift_id": shift.id,
                    "day": shift.on_day,
                    "slot": shift.slot,
                    "worker_id": shift.worker_id,
                }))
                .after(json!({ "shift_id": shift.id, "worker_id": null })),
        )
        .await
    }
}
