//! Swaps: a worker asks that a colleague of the same service take one of
//! their coming shifts, and a manager of that service approves or refuses.
//! An approved swap gives the shift to the colleague, who must be free.

use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use serde_json::json;
use store::duty::{Shift, Swap};
use store::users::User;

use crate::audit::{AuditAction, Change};
use crate::duty::SwapInput;
use crate::duty::access::{service_place, shared};
use crate::duty::messages::DutyUseMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The worker's form: their shift and the colleagues who could take it.
#[derive(Debug, Clone)]
pub struct SwapForm {
    pub shift: Shift,
    pub role: String,
    pub colleagues: Vec<User>,
}

impl App {
    /// A coming shift of the actor's own, with who could cover it.
    pub async fn duty_swap_form(&self, actor: &Actor, shift_id: &str) -> Result<SwapForm> {
        let mut conn = self.db.conn().await?;
        let shift = store::duty::shift(&mut conn, shift_id)
            .await?
            .filter(|s| s.worker_id == actor.id)
            .ok_or(AppError::NotFound)?;
        let role = store::duty::rotas(&mut conn)
            .await?
            .into_iter()
            .find(|r| r.id == shift.rota_id)
            .map(|r| r.role)
            .unwrap_or_default();
        drop(conn);
        let colleagues = self
            .holders_in_service(&shift.service_id)
            .await?
            .into_iter()
            .filter(|u| u.id != actor.id)
            .collect();
        Ok(SwapForm {
            shift,
            role,
            colleagues,
        })
    }

    /// The worker on a coming shift asks that a colleague of the same
    /// service take it.
    pub async fn ask_duty_swap(
        &self,
        actor: &Actor,
        shift_id: &str,
        input: &SwapInput,
    ) -> Result<Swap> {
        let mut errors = FieldErrors::new();
        let reason = text(
            &mut errors,
            "reason",
            &input.reason,
            "why",
            500,
            Lines::Many,
        )
        .unwrap_or_default();
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let shift = store::duty::shift(tx.conn(), shift_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if shift.worker_id != actor.id {
            return Err(AppError::NotFound);
        }
        if shift.ends_at <= now {
            return Err(AppError::invalid("cover_by", DutyUseMessage::DayPassed));
        }
        if store::duty::pending_swaps(tx.conn(), &shift.rota_id)
            .await?
            .iter()
            .any(|w| w.shift_id == shift.id)
        {
            return Err(AppError::invalid("cover_by", DutyUseMessage::SwapPending));
        }
        let service = tx.service(&shift.service_id).await?;
        let colleague = crate::cases::holder_in(&mut tx, &service, input.cover_by.trim())
            .await?
            .filter(|u| u.id != actor.id)
            .ok_or_else(|| AppError::invalid("cover_by", DutyUseMessage::ChooseColleague))?;
        let id = new_id();
        store::duty::insert_swap(tx.conn(), &id, &shift, &colleague.id, &reason, &now).await?;
        tx.commit(
            Change::new(AuditAction::DutySwapAsked, "duty_rota", &shift.rota_id).after(json!({
                "swap_id": id,
                "shift_id": shift.id,
                "cover_by": colleague.id,
            })),
        )
        .await?;
        let mut conn = self.db.conn().await?;
        store::duty::swap(&mut conn, &id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A manager of the service the shift is covered for approves a swap
    /// (the colleague takes the shift, if they are free then) or refuses it.
    pub async fn decide_duty_swap(
        &self,
        actor: &Actor,
        rota_id: &str,
        swap_id: &str,
        decision: &str,
    ) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let shared = shared(tx.conn(), actor, rota_id).await?;
        let swap = store::duty::swap(tx.conn(), swap_id)
            .await?
            .filter(|w| w.rota_id == rota_id)
            .ok_or(AppError::NotFound)?;
        let service = shared
            .services
            .iter()
            .find(|s| s.service_id == swap.service_id)
            .ok_or(AppError::NotFound)?;
        if !policy::may(actor, Action::AllocateCases, &service_place(service)) {
            return Err(AppError::Forbidden);
        }
        let approve = match decision.trim() {
            "approve" => true,
            "refuse" => false,
            _ => {
                return Err(AppError::invalid(
                    "decision",
                    DutyUseMessage::ChooseDecision,
                ));
            }
        };
        if swap.status != "pending" {
            return Err(AppError::invalid("decision", DutyUseMessage::SwapDecided));
        }
        if approve {
            if swap.ends_at <= now {
                return Err(AppError::invalid("decision", DutyUseMessage::DayPassed));
            }
            let found = tx.service(&swap.service_id).await?;
            if crate::cases::holder_in(&mut tx, &found, &swap.cover_by)
                .await?
                .is_none()
            {
                return Err(AppError::invalid(
                    "decision",
                    DutyUseMessage::ChooseColleague,
                ));
            }
            if let Some(clash) = store::duty::worker_shifts_overlapping(
                tx.conn(),
                &swap.cover_by,
                &swap.starts_at,
                &swap.ends_at,
                &swap.shift_id,
            )
            .await?
            .first()
            {
                return Err(AppError::invalid(
                    "decision",
                    DutyUseMessage::Overlaps {
                        day: clash.on_day.clone(),
                    },
                ));
            }
            store::duty::reassign_shift(
                tx.conn(),
                &swap.shift_id,
                &swap.cover_by,
                &swap.service_id,
            )
            .await?;
        }
        let status = if approve { "approved" } else { "refused" };
        store::duty::decide_swap(tx.conn(), &swap.id, status, &actor.id, &now).await?;
        tx.commit(
            Change::new(AuditAction::DutySwapDecided, "duty_rota", rota_id)
                .before(json!({ "swap_id": swap.id, "shift_id": swap.shift_id, "worker_id": swap.asked_by }))
                .after(json!({
                    "swap_id": swap.id,
                    "status": status,
                    "worker_id": if approve { &swap.cover_by } else { &swap.asked_by },
                })),
        )
        .await
    }
}
