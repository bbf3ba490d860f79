//! The provider's account of a quarter of a contract, written by its
//! contract manager, and rewritten in place with the text before audited.

use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_lines};
use serde_json::json;

use super::NarrativeInput;
use super::messages::CommissioningMessage;
use super::view::ended_quarters;
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

/// Where a contract belongs for its provider: the provider's organisation.
pub(super) fn provider_place(provider_id: &str) -> Place {
    Place {
        organisation_id: Some(provider_id.to_string()),
        ..Place::default()
    }
}

impl App {
    pub async fn write_narrative(
        &self,
        actor: &Actor,
        contract_id: &str,
        input: &NarrativeInput,
    ) -> Result<()> {
        let mut errors = FieldErrors::new();
        let narrative = required_lines(
            &mut errors,
            "narrative",
            &input.narrative,
            "the narrative",
            10_000,
        );
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let contract = store::commissioning::find_contract(tx.conn(), contract_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !policy::may(
            actor,
            Action::ReportOnContracts,
            &provider_place(&contract.provider_id),
        ) {
            return Err(AppError::NotFound);
        }
        let quarters = ended_quarters(self, &contract);
        let quarter = quarters
            .iter()
            .find(|(from, _)| from.to_string() == input.quarter.trim());
        if quarter.is_none() {
            errors.add("quarter", CommissioningMessage::ChooseQuarter);
        }
        if narrative.is_empty() && !errors.0.iter().any(|e| e.field == "narrative") {
            errors.add("narrative", CommissioningMessage::NarrativeNeeded);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let quarter_from = input.quarter.trim().to_string();
        let before = store::commissioning::set_narrative(
            tx.conn(),
            contract_id,
            &quarter_from,
            &narrative,
            &actor.id,
            &now,
        )
        .await?;
        tx.commit(
            Change::new(AuditAction::NarrativeWritten, "contract", contract_id)
                .place(Some(&contract.provider_id), None)
                .before(json!({ "quarter_from": quarter_from, "narrative": before }))
                .after(json!({ "quarter_from": quarter_from, "narrative": narrative })),
        )
        .await?;
        Ok(())
    }
}
