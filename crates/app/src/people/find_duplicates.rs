//! Searching the records already held for people who may be one victim
//! recorded twice, and putting each pair on its service's review list.
//! Intake does the same for each new referral; this finds the pairs made
//! before it did, or typed in by hand.

use domain::journey;
use domain::policy::{self, Action, Actor};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, Result};

/// What the search found in one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub service_name: String,
    /// Pairs alike enough to look at.
    pub alike: usize,
    /// Of those, the pairs not on the list before (waiting or decided).
    pub added: u64,
}

impl App {
    /// Searches every service the actor administers, one change each.
    pub async fn find_possible_duplicates(&self, actor: &Actor) -> Result<Vec<Found>> {
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let services = {
            let mut conn = self.db.conn().await?;
            store::directory::list_services(&mut conn, &everything).await?
        };
        let mut found = Vec::new();
        for service in services
            .iter()
            .filter(|s| policy::may(actor, Action::ManageDirectory, &place_of_service(s)))
        {
            let now = self.clock.now_text();
            let mut tx = self.write(actor, &now).await?;
            let candidates = store::duplicates::candidates(tx.conn(), &service.id).await?;
            let pairs: Vec<(String, String, String)> = candidates
                .iter()
                .filter(|c| {
                    let one = journey::Likeness {
                        given: &c.given_name,
                        family: &c.family_name,
                        born: c.date_of_birth.as_deref(),
                        phone_key: c.phone_key.as_deref(),
                    };
                    let other = journey::Likeness {
                        given: &c.other_given_name,
                        family: &c.other_family_name,
                        born: c.other_date_of_birth.as_deref(),
                        phone_key: c.other_phone_key.as_deref(),
                    };
                    journey::possibly_the_same(one, other) || journey::possibly_the_same(other, one)
                })
                .map(|c| (new_id(), c.id.clone(), c.other_id.clone()))
                .collect();
            let added =
                store::duplicates::queue(tx.conn(), &service.id, &pairs, "search", &now).await?;
            if added == 0 {
                tx.abandon().await?;
            } else {
                tx.commit(
                    Change::new(AuditAction::PossibleDuplicatesFound, "service", &service.id)
                        .place(Some(&service.organisation_id), Some(&service.id))
                        .after(json!({ "found_by": "search", "added": added })),
                )
                .await?;
            }
            found.push(Found {
                service_name: service.name.clone(),
                alike: pairs.len(),
                added,
            });
        }
        Ok(found)
    }
}
