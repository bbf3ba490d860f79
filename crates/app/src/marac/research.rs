//! An agency's research on a case on its agenda, each item marked
//! shareable or not, with the reason.

use domain::policy::{Action, Actor};
use domain::validation::{FieldErrors, required_lines};
use serde_json::json;
use store::marac::Research;

use crate::audit::{AuditAction, Change};
use crate::marac::ResearchInput;
use crate::marac::access::{agency_of, referral_for};
use crate::marac::messages::MaracMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// Refuses a change to a meeting's cases by someone who has not
/// acknowledged its confidentiality.
pub(crate) async fn require_acknowledged(
    conn: &mut store::Conn,
    meeting_id: &str,
    actor: &Actor,
) -> Result<()> {
    if store::marac::has_acknowledged(conn, meeting_id, &actor.id).await? {
        Ok(())
    } else {
        Err(AppError::invalid(
            "confidentiality",
            MaracMessage::AcknowledgeFirst,
        ))
    }
}

impl App {
    pub async fn add_marac_research(
        &self,
        actor: &Actor,
        referral_id: &str,
        input: &ResearchInput,
    ) -> Result<Research> {
        let mut errors = FieldErrors::new();
        let item = required_lines(
            &mut errors,
            "item",
            &input.item,
            "what your agency knows",
            5_000,
        );
        let shareable = match input.shareable.trim() {
            "yes" | "true" => Some(true),
            "no" | "false" => Some(false),
            _ => {
                errors.add("shareable", MaracMessage::ChooseShareable);
                None
            }
        };
        let reason = required_lines(
            &mut errors,
            "reason",
            &input.reason,
            "the reason it may, or may not, be shared",
            1_000,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let referral =
            referral_for(tx.conn(), actor, referral_id, Action::ContributeToMarac).await?;
        let Some(agency) = agency_of(tx.conn(), actor, &referral.marac_id).await? else {
            return Err(AppError::invalid(
                "agency",
                MaracMessage::NotOnAgencysAgenda,
            ));
        };
        require_acknowledged(tx.conn(), &referral.meeting_id, actor).await?;
        let research = Research {
            id: new_id(),
            referral_id: referral.id.clone(),
            agency_id: agency.id.clone(),
            agency_name: agency.name.clone(),
            item,
            shareable: i64::from(shareable == Some(true)),
            reason,
            added_by: actor.id.clone(),
            added_at: now.clone(),
        };
        store::marac::insert_research(tx.conn(), &research).await?;
        tx.commit(
            Change::new(
                AuditAction::MaracResearchAdded,
                "marac_referral",
                &referral.id,
            )
            .place(None, Some(&referral.service_id))
            .after(json!({
                "research_id": research.id,
                "agency_id": agency.id,
                "shareable": research.shareable != 0,
            })),
        )
        .await?;
        Ok(research)
    }
}
