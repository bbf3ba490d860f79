//! A meeting's agenda: its referrals in the MARAC's documented order, with
//! the places the coordinator set by hand first, and the coordinator's
//! moves.

use domain::marac::{AgendaItem, DEFAULT_AGENDA, agenda, parse_agenda_order};
use domain::policy::{Action, Actor};
use serde_json::json;
use store::marac::{AgendaEntry, Marac};

use crate::audit::{AuditAction, Change};
use crate::marac::access::referral_for;
use crate::{App, AppError, Result};

/// A meeting's referrals in agenda order.
pub(crate) async fn ordered(
    conn: &mut store::Conn,
    marac: &Marac,
    meeting_id: &str,
) -> Result<Vec<AgendaEntry>> {
    let mut entries = store::marac::agenda_entries(conn, meeting_id).await?;
    let order = parse_agenda_order(&marac.agenda_order).unwrap_or(DEFAULT_AGENDA.to_vec());
    let items = entries
        .iter()
        .map(|e| AgendaItem {
            id: e.id.clone(),
            repeat: e.is_repeat != 0,
            children: u32::try_from(e.children).unwrap_or(0),
            score: e.score.and_then(|s| u32::try_from(s).ok()).unwrap_or(0),
            referred_on: e.referred_on.parse().unwrap_or_default(),
            placed: e.agenda_place.and_then(|p| u32::try_from(p).ok()),
        })
        .collect();
    let ids: Vec<String> = agenda(items, &order).into_iter().map(|i| i.id).collect();
    entries.sort_by_key(|e| ids.iter().position(|id| *id == e.id));
    Ok(entries)
}

impl App {
    /// Moves a case one place up (`up`) or down the agenda. The whole
    /// agenda is then held in the order shown, so later referrals join it
    /// after the cases already placed.
    pub async fn move_on_agenda(&self, actor: &Actor, referral_id: &str, up: bool) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let referral = referral_for(tx.conn(), actor, referral_id, Action::RunMarac).await?;
        let marac = store::marac::maracs(tx.conn())
            .await?
            .into_iter()
            .find(|m| m.id == referral.marac_id)
            .ok_or(AppError::NotFound)?;
        let mut entries = ordered(tx.conn(), &marac, &referral.meeting_id).await?;
        let at = entries
            .iter()
            .position(|e| e.id == referral.id)
            .ok_or(AppError::NotFound)?;
        let to = if up {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|t| *t < entries.len())
        };
        let Some(to) = to else {
            return tx.abandon().await;
        };
        let before: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
        entries.swap(at, to);
        for (place, entry) in entries.iter().enumerate() {
            store::marac::set_agenda_place(tx.conn(), &entry.id, place as i64 + 1).await?;
        }
        let after: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
        tx.commit(
            Change::new(
                AuditAction::MaracAgendaOrdered,
                "marac_meeting",
                &referral.meeting_id,
            )
            .before(json!({ "order": before }))
            .after(json!({ "order": after })),
        )
        .await
    }
}
