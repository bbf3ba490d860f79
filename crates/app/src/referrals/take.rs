//! Taking one referral, from the form or the API: prepared, then written
//! once, alone (the form) or with others sent at the same moment (senders).

use domain::policy::{Actor, Visibility};
use store::referrals::{NewReferral, Referral};

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
        if choice.links_sure_matches {
            // Senders' referrals arriving together are written together.
            return self.intake.take(self, actor, prepared).await;
        }
        let mut taken = self.write_taken(&[(actor, &prepared)]).await?;
        taken
            .pop()
            .unwrap_or_else(|| Err(AppError::Internal("a referral went missing".into())))
    }

    /// Writes prepared referrals, each for its own actor, in one
    /// transaction with one commit; answers each with what was taken (or
    /// found already received, or refused as sent before differently). An
    /// error is the whole transaction's: nothing was kept.
    pub(crate) async fn write_taken(
        &self,
        jobs: &[(&Actor, &Prepared)],
    ) -> Result<Vec<Result<Taken>>> {
        let Some((first, _)) = jobs.first() else {
            return Ok(Vec::new());
        };
        let now = self.clock.now_text();
        let mut tx = self.write(first, &now).await?;
        // Each actor's referrals are written as one lot: a sender's
        // reference is its own organisation's.
        let mut groups: Vec<(&Actor, Vec<usize>)> = Vec::new();
        for (i, (actor, _)) in jobs.iter().enumerate() {
            match groups.iter_mut().find(|(a, _)| a.id == actor.id) {
                Some((_, members)) => members.push(i),
                None => groups.push((actor, vec![i])),
            }
        }
        let mut answers: Vec<Option<Result<Taken>>> = jobs.iter().map(|_| None).collect();
        let mut changes = Vec::with_capacity(groups.len());
        for (actor, members) in groups {
            let prepared = members.iter().map(|&i| jobs[i].1.clone()).collect();
            let (written, events) = self.write_referrals(&mut tx, actor, prepared).await?;
            for (&i, id) in members.iter().zip(written) {
                let referral = &jobs[i].1.referral;
                answers[i] = Some(match id {
                    Some(id) => {
                        let scope = Visibility {
                            services: vec![jobs[i].1.service.id.clone()],
                            ..Visibility::default()
                        };
                        let stored = store::referrals::find_visible(tx.conn(), &id, &scope)
                            .await?
                            .ok_or(AppError::NotFound)?;
                        Ok(Taken {
                            referral: stored,
                            created: true,
                        })
                    }
                    None => resent(&mut tx, referral).await?,
                });
            }
            changes.push((actor, events));
        }
        tx.commit_for(changes).await?;
        Ok(answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(AppError::Internal("a referral went missing".into()))))
            .collect())
    }
}

/// A referral whose sender's reference had already arrived: the one held,
/// if the same content was sent, else which fields differ.
async fn resent(tx: &mut crate::Write<'_>, referral: &NewReferral) -> Result<Result<Taken>> {
    let (Some(sender), Some(reference)) = (&referral.sender_id, &referral.sender_reference) else {
        return Err(AppError::Internal("a referral went missing".into()));
    };
    let existing = store::referrals::find_by_sender(tx.conn(), sender, reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let held = store::referrals::sender_content(tx.conn(), &existing.id).await?;
    let differ = differences(
        held.as_deref(),
        referral.sender_content.as_deref().unwrap_or_default(),
    );
    Ok(if differ.is_empty() {
        Ok(Taken {
            referral: existing,
            created: false,
        })
    } else {
        Err(AppError::SentDifferently(differ))
    })
}
