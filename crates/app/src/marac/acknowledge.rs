//! The confidentiality statement, acknowledged by each attendee for each
//! meeting before they see its cases.

use domain::policy::{Action, Actor};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::marac::access::{agency_of, meeting_for};
use crate::{App, Result};

/// What each attendee agrees to before a meeting's cases are shown.
pub const CONFIDENTIALITY_STATEMENT: &str = "What is shared at this meeting is shared only to keep the victims, their children and others safe. I will use it for that alone, share it onward only as the meeting agrees and the law allows, and keep any notes I take secure.";

impl App {
    /// Records that the actor acknowledged the statement for this meeting;
    /// a second acknowledgement changes nothing.
    pub async fn acknowledge_confidentiality(&self, actor: &Actor, meeting_id: &str) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let meeting = meeting_for(tx.conn(), actor, meeting_id, Action::ContributeToMarac).await?;
        if store::marac::has_acknowledged(tx.conn(), &meeting.id, &actor.id).await? {
            return tx.abandon().await;
        }
        let agency = agency_of(tx.conn(), actor, &meeting.marac_id).await?;
        let agency_id = agency.as_ref().map(|a| a.id.as_str());
        store::marac::acknowledge(tx.conn(), &meeting.id, &actor.id, agency_id, &now).await?;
        tx.commit(
            Change::new(
                AuditAction::MaracConfidentialityAcknowledged,
                "marac_meeting",
                &meeting.id,
            )
            .after(json!({ "marac_id": meeting.marac_id, "agency_id": agency_id })),
        )
        .await
    }
}
