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

/// The research fields, checked: (item, shareable, reason).
fn read_input(input: &ResearchInput) -> Result<(String, bool, String)> {
    let mut errors = FieldErrors::new();
    let item = required_lines(
        &mut errors,
        "item",
        &input.item,
        "what your agency knows",
        5_000,
    );
    let shareable = match input.shareable.trim() {
        "yes" | "true" => true,
        "no" | "false" => false,
        _ => {
            errors.add("shareable", MaracMessage::ChooseShareable);
            false
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
    Ok((item, shareable, reason))
}

impl App {
    pub async fn add_marac_research(
        &self,
        actor: &Actor,
        referral_id: &str,
        input: &ResearchInput,
    ) -> Result<Research> {
        let (item, shareable, reason) = read_input(input)?;
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
            shareable: i64::from(shareable),
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

    /// Corrects an item of research: only its own agency's people. The
    /// audit event keeps what it said before.
    pub async fn correct_marac_research(
        &self,
        actor: &Actor,
        research_id: &str,
        input: &ResearchInput,
    ) -> Result<Research> {
        let (item, shareable, reason) = read_input(input)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let before = store::marac::research_item(tx.conn(), research_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let referral = referral_for(
            tx.conn(),
            actor,
            &before.referral_id,
            Action::ContributeToMarac,
        )
        .await?;
        let agency = agency_of(tx.conn(), actor, &referral.marac_id).await?;
        if agency.is_none_or(|a| a.id != before.agency_id) {
            // Another agency's item: refused if they may read it, not found
            // if they may not.
            return Err(if before.shareable != 0 {
                AppError::Forbidden
            } else {
                AppError::NotFound
            });
        }
        require_acknowledged(tx.conn(), &referral.meeting_id, actor).await?;
        let after = Research {
            item,
            shareable: i64::from(shareable),
            reason,
            ..before.clone()
        };
        store::marac::correct_research(tx.conn(), &after).await?;
        tx.commit(
            Change::new(
                AuditAction::MaracResearchCorrected,
                "marac_referral",
                &referral.id,
            )
            .place(None, Some(&referral.service_id))
            .before(json!({ "research_id": before.id, "item": before.item,
                    "shareable": before.shareable != 0, "reason": before.reason }))
            .after(json!({ "research_id": after.id, "item": after.item,
                    "shareable": after.shareable != 0, "reason": after.reason })),
        )
        .await?;
        Ok(after)
    }
}
