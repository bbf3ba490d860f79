//! A payment made under a contract, recorded by a commissioning officer.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, Lines, text};
use domain::values::{Day, Pence};
use serde_json::json;
use store::commissioning::Payment;

use super::PaymentInput;
use super::access::check_office;
use super::messages::CommissioningMessage;
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// A contract's value over its period (its extension aside): its value a
/// year for each year or part of a year it runs.
pub fn contract_value(contract: &store::commissioning::Contract) -> i64 {
    let (Ok(starts), Ok(ends)) = (
        contract.starts_on.parse::<jiff::civil::Date>(),
        contract.ends_on.parse::<jiff::civil::Date>(),
    ) else {
        return contract.annual_pence;
    };
    let months = (i64::from(ends.year()) - i64::from(starts.year())) * 12 + i64::from(ends.month())
        - i64::from(starts.month())
        + 1;
    let years = ((months + 11) / 12).max(1);
    contract.annual_pence * years
}

impl App {
    pub async fn record_payment(
        &self,
        actor: &Actor,
        contract_id: &str,
        input: &PaymentInput,
    ) -> Result<Payment> {
        let today = self.today();
        let mut errors = FieldErrors::new();
        let paid_on = Day::parse(&input.paid_on)
            .ok()
            .map(|d| d.date())
            .filter(|d| *d <= today);
        if paid_on.is_none() {
            errors.add("paid_on", CommissioningMessage::PaidOn);
        }
        let amount = Pence::parse(&input.amount).ok().filter(|p| p.0 > 0);
        if amount.is_none() {
            errors.add("amount", CommissioningMessage::PaymentAmount);
        }
        let note = text(
            &mut errors,
            "note",
            &input.note,
            "the note",
            500,
            Lines::One,
        )
        .unwrap_or_default();
        let reason = text(
            &mut errors,
            "beyond_value_reason",
            &input.beyond_value_reason,
            "the reason",
            1_000,
            Lines::One,
        )
        .unwrap_or_default();
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let contract = store::commissioning::find_contract(tx.conn(), contract_id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &contract.office_id, Action::ManageCommissioning)?;
        // Beyond the contract's value, a payment needs its reason.
        let value = contract_value(&contract);
        let paid = contract.paid_pence + amount.map_or(0, |p| p.0);
        if paid > value && reason.is_empty() {
            return Err(AppError::invalid(
                "beyond_value_reason",
                CommissioningMessage::BeyondValue {
                    paid: Pence(paid).to_string(),
                    value: Pence(value).to_string(),
                },
            ));
        }
        let payment = Payment {
            id: new_id(),
            contract_id: contract.id.clone(),
            paid_on: paid_on.map(|d| d.to_string()).unwrap_or_default(),
            amount_pence: amount.map_or(0, |p| p.0),
            note,
            recorded_by_name: actor.label.clone(),
        };
        store::commissioning::insert_payment(tx.conn(), &payment, &actor.id, &now).await?;
        tx.commit(
            Change::new(AuditAction::PaymentRecorded, "contract", &contract.id)
                .place(Some(&contract.office_id), None)
                .after(json!({
                    "payment_id": payment.id,
                    "paid_on": payment.paid_on,
                    "amount_pence": payment.amount_pence,
                    "note": payment.note,
                    "beyond_value_reason": (!reason.is_empty()).then_some(reason),
                })),
        )
        .await?;
        Ok(payment)
    }
}
