//! Taking one referral, from the form or the API: prepared, then written once.

use domain::policy::{Actor, Visibility};
use store::referrals::Referral;

use crate::{App, AppError, Result};

use super::*;

/// The outcome of taking a referral.
#[derive(Debug, Clone)]
pub struct Taken {
    pub referral: Referral,
    /// False when the same sender's reference had already been received.
    pub created: bool,
}

impl App {
    /// Takes a referral into a service: validates it, links or creates the
    /// person, computes its Victims' Code deadlines, and records it, once.
    pub async fn take_referral(
        &self,
        actor: &Actor,
        input: &ReferralInput,
        choice: &PersonChoice,
    ) -> Result<Taken> {
        let mut lookups = Lookups::default();
        let prepared = match self
            .prepare_referral(actor, input, choice, &mut lookups)
            .await?
        {
            Prepare::AlreadyReceived(existing) => {
                return Ok(Taken {
                    referral: *existing,
                    created: false,
                });
            }
            Prepare::Ready(prepared) => *prepared,
        };
        let service_id = prepared.service.id.clone();
        let (sender, reference, content) = (
            prepared.referral.sender_id.clone(),
            prepared.referral.sender_reference.clone(),
            prepared.referral.sender_content.clone().unwrap_or_default(),
        );
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let scope = Visibility {
            services: vec![service_id],
            ..Visibility::default()
        };
        let (mut written, events) = self.write_referrals(&mut tx, actor, vec![prepared]).await?;
        let Some(id) = written.pop().flatten() else {
            let (Some(sender), Some(reference)) = (sender, reference) else {
                return Err(AppError::Internal("a referral went missing".into()));
            };
            let existing = store::referrals::find_by_sender(tx.conn(), &sender, &reference)
                .await?
                .ok_or(AppError::NotFound)?;
            let held = store::referrals::sender_content(tx.conn(), &existing.id).await?;
            tx.abandon().await?;
            let differ = differences(held.as_deref(), &content);
            if !differ.is_empty() {
                return Err(AppError::SentDifferently(differ));
            }
            return Ok(Taken {
                referral: existing,
                created: false,
            });
        };
        let stored = store::referrals::find_visible(tx.conn(), &id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit_all(events).await?;
        Ok(Taken {
            referral: stored,
            created: true,
        })
    }
}
