//! Writing prepared referrals, one or many, in the change under way.

use std::collections::HashMap;

use domain::journey::{self};
use domain::policy::Actor;
use serde_json::json;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, Result};

use super::*;

impl App {
    /// Writes prepared referrals in the change under way, each with its new
    /// person and its readable reference, using a handful of statements for
    /// the lot. Returns each one's id in order, or `None` where the same
    /// sender's reference had already arrived, and the audit events for the
    /// change to commit with.
    pub(crate) async fn write_referrals(
        &self,
        write: &mut crate::Write<'_>,
        actor: &Actor,
        prepared: Vec<Prepared>,
    ) -> Result<(Vec<Option<String>>, Vec<Change>)> {
        let now = write.now().to_string();
        let now = now.as_str();
        let conn = write.conn();
        // A resend racing the first copy is caught here, under the writer's lock.
        let references: Vec<&str> = prepared
            .iter()
            .filter_map(|p| p.referral.sender_reference.as_deref())
            .collect();
        let sent = if references.is_empty() {
            Default::default()
        } else {
            store::referrals::sent_already(conn, &actor.organisation_id, &references).await?
        };
        let mut years: HashMap<i16, i64> = HashMap::new();
        let fresh: Vec<bool> = prepared
            .iter()
            .map(|p| {
                let fresh = p
                    .referral
                    .sender_reference
                    .as_ref()
                    .is_none_or(|r| !sent.contains_key(r));
                if fresh {
                    *years.entry(p.received_year).or_default() += 1;
                }
                fresh
            })
            .collect();
        let mut next_number: HashMap<i16, i64> = HashMap::new();
        for (year, count) in years {
            let first =
                store::referrals::next_reference_numbers(conn, i64::from(year), count).await?;
            next_number.insert(year, first);
        }

        // Whom each service may already know, read for the whole batch.
        let mut known: HashMap<String, store::people::Candidates> = HashMap::new();
        let mut asked: HashMap<&str, Vec<&store::people::NewPerson>> = HashMap::new();
        for (p, fresh) in prepared.iter().zip(&fresh) {
            if *fresh
                && p.links_sure_match
                && let Some(new) = &p.new_person
            {
                asked.entry(p.service.id.as_str()).or_default().push(new);
            }
        }
        for (service_id, news) in asked {
            let candidates = store::people::alike_any(conn, service_id, &news).await?;
            known.insert(service_id.to_string(), candidates);
        }

        let mut people = Vec::new();
        let mut referrals = Vec::new();
        let mut events = Vec::new();
        let mut said = Vec::new();
        let mut alike_pairs: HashMap<String, Vec<(String, String, String)>> = HashMap::new();
        let mut ids = Vec::with_capacity(prepared.len());
        for (prepared, fresh) in prepared.into_iter().zip(fresh) {
            if !fresh {
                ids.push(None);
                continue;
            }
            let Prepared {
                service,
                preferences,
                mut new_person,
                mut referral,
                received_year,
                links_sure_match,
            } = prepared;
            // A sender cannot see whom the service knows: someone surely
            // known, already or earlier in this change, is linked, not made
            // twice; someone who may be known goes on the review list.
            let mut alike = Vec::new();
            if links_sure_match && let Some(new) = &new_person {
                let none = store::people::Candidates::default();
                let stored = known.get(&service.id).unwrap_or(&none);
                let recognised = recognise(&service.id, new, stored, &people);
                if let Some(known) = recognised.surely {
                    referral.person_id = known;
                    new_person = None;
                } else {
                    alike = recognised.possibly;
                }
            }
            if let Some(mut new) = new_person {
                new.person.created_at = now.to_string();
                events.push(
                    Change::new(AuditAction::PersonCreated, "person", &new.person.id)
                        .place(Some(&service.organisation_id), Some(&service.id)),
                );
                if !alike.is_empty() {
                    events.push(
                        Change::new(
                            AuditAction::PossibleDuplicatesFound,
                            "person",
                            &new.person.id,
                        )
                        .place(Some(&service.organisation_id), Some(&service.id))
                        .after(json!({ "found_by": "intake", "others": alike })),
                    );
                    let pairs = alike_pairs.entry(service.id.clone()).or_default();
                    for other in alike {
                        pairs.push((new_id(), new.person.id.clone(), other));
                    }
                }
                referral.person_id = new.person.id.clone();
                people.push(new);
            }
            let number = next_number.entry(received_year).or_default();
            referral.id = new_id();
            referral.reference = journey::referral_reference(received_year, *number);
            *number += 1;
            referral.created_at = now.to_string();
            // The audit records what was decided, not the victim's details.
            events.push(
                Change::new(AuditAction::ReferralReceived, "referral", &referral.id)
                    .place(Some(&service.organisation_id), Some(&service.id))
                    .after(json!({
                        "reference": referral.reference, "source": referral.source, "crime_type": referral.crime_type,
                        "consent": referral.consent, "enhanced_reasons": referral.enhanced_reasons,
                        "sender_reference": referral.sender_reference,
                    })),
            );
            if !preferences.is_empty() {
                events.push(
                    Change::new(
                        AuditAction::PersonContactPreferenceSet,
                        "person",
                        &referral.person_id,
                    )
                    .place(Some(&service.organisation_id), Some(&service.id))
                    .after(json!({
                        "at_intake": true,
                        "channels": preferences.iter().map(|p| (p.channel.clone(), p.safe != 0)).collect::<Vec<_>>(),
                    })),
                );
                said.push((referral.person_id.clone(), preferences));
            }
            ids.push(Some(referral.id.clone()));
            referrals.push(referral);
        }
        store::people::insert_many(conn, &people).await?;
        store::referrals::insert_many(conn, &referrals).await?;
        for (service_id, pairs) in &alike_pairs {
            store::duplicates::queue(conn, service_id, pairs, "intake", now).await?;
        }
        for (person_id, preferences) in &said {
            for preference in preferences {
                store::people::set_preference(conn, person_id, preference, now).await?;
            }
        }
        Ok((ids, events))
    }
}

/// The person a record sent or taken without a duplicate check is about:
/// someone the service surely knows (the same name and date of birth) is
/// linked; anyone else is recorded new, and put on the service's review
/// list beside whoever they may be. Answers the person's id; the audit
/// events join `changes`.
pub(crate) async fn recognised_or_new(
    tx: &mut crate::Write<'_>,
    organisation_id: &str,
    service_id: &str,
    mut new: store::people::NewPerson,
    now: &str,
    changes: &mut Vec<Change>,
) -> Result<String> {
    let known = store::people::alike_any(tx.conn(), service_id, &[&new]).await?;
    let recognised = recognise(service_id, &new, &known, &[]);
    if let Some(known) = recognised.surely {
        return Ok(known);
    }
    new.person.created_at = now.to_string();
    store::people::insert(tx.conn(), &new).await?;
    let id = new.person.id.clone();
    changes.push(
        Change::new(AuditAction::PersonCreated, "person", &id)
            .place(Some(organisation_id), Some(service_id)),
    );
    if !recognised.possibly.is_empty() {
        let pairs: Vec<(String, String, String)> = recognised
            .possibly
            .iter()
            .map(|other| (new_id(), id.clone(), other.clone()))
            .collect();
        store::duplicates::queue(tx.conn(), service_id, &pairs, "intake", now).await?;
        changes.push(
            Change::new(AuditAction::PossibleDuplicatesFound, "person", &id)
                .place(Some(organisation_id), Some(service_id))
                .after(json!({ "found_by": "intake", "others": recognised.possibly })),
        );
    }
    Ok(id)
}

/// Whom the service may already know as `new`, among those stored and
/// those created earlier in this change.
struct Recognised {
    /// The one person surely the same (the same name and date of birth);
    /// none if there is none, or more than one.
    surely: Option<String>,
    /// Everyone else who may be the same, for someone to look at.
    possibly: Vec<String>,
}

fn recognise(
    service_id: &str,
    new: &store::people::NewPerson,
    stored: &store::people::Candidates,
    created: &[store::people::NewPerson],
) -> Recognised {
    let p = &new.person;
    let sure = |given: &str, family: &str, born: Option<&str>| {
        journey::surely_the_same(
            (&p.given_name, &p.family_name, p.date_of_birth.as_deref()),
            (given, family, born),
        )
    };
    let typed = journey::Likeness {
        given: &p.given_name,
        family: &p.family_name,
        born: p.date_of_birth.as_deref(),
        phone_key: new.phone_key.as_deref(),
    };
    // (id, surely the same)
    let alike: Vec<(String, bool)> = stored
        .alike(new)
        .take(10)
        .map(|c| {
            let surely = sure(&c.given_name, &c.family_name, c.date_of_birth.as_deref());
            (c.id.clone(), surely)
        })
        .chain(
            created
                .iter()
                .filter(|c| {
                    c.person.service_id == service_id
                        && journey::possibly_the_same(
                            typed,
                            store::people::likeness(&c.person, c.phone_key.as_deref()),
                        )
                })
                .map(|c| {
                    let surely = sure(
                        &c.person.given_name,
                        &c.person.family_name,
                        c.person.date_of_birth.as_deref(),
                    );
                    (c.person.id.clone(), surely)
                }),
        )
        .collect();
    let mut sure_ones = alike.iter().filter(|(_, surely)| *surely);
    let surely = match (sure_ones.next(), sure_ones.next()) {
        (Some((only, _)), None) => Some(only.clone()),
        _ => None,
    };
    Recognised {
        possibly: if surely.is_some() {
            Vec::new()
        } else {
            alike.into_iter().map(|(id, _)| id).collect()
        },
        surely,
    }
}
