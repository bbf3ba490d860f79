//! Merging two records of one victim: every referral, case and link moves
//! to the record kept; blanks in it are filled from the other; the other
//! stays, marked as merged, so its history can still be read.

use domain::policy::{self, Action, Actor};
use domain::validation::FieldErrors;
use serde_json::{Value, json};
use store::people::{ContactPreference, Person};

use super::PeopleMessage;
use crate::audit::{AuditAction, Change};
use crate::people::PersonInput;
use crate::referrals::new_person;
use crate::{App, AppError, Result};

/// Which record of a pair is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The record made later.
    Later,
    /// The record made first.
    Earlier,
}

impl Keep {
    /// `later` or `earlier`, as the form sends it.
    pub fn parse(text: &str) -> Option<Keep> {
        match text {
            "later" => Some(Keep::Later),
            "earlier" => Some(Keep::Earlier),
            _ => None,
        }
    }
}

impl App {
    /// Merges a waiting pair into the record chosen; returns its id. Staff
    /// who may work the service's cases may. Everything is checked again
    /// under the writer's lock: the pair still waiting, neither record
    /// merged since, and neither an alleged perpetrator.
    pub async fn merge_possible_duplicate(
        &self,
        actor: &Actor,
        pair_id: &str,
        keep: &str,
    ) -> Result<String> {
        let refuse = |message: PeopleMessage| {
            let mut errors = FieldErrors::new();
            errors.add("keep", message);
            AppError::Invalid(errors)
        };
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let pair = super::pair_to_decide(&mut tx, actor, pair_id).await?;
        let visibility = policy::visibility(actor, Action::ManageCases);
        // Only someone who may see the pair learns what is wrong with the form.
        let keep =
            Keep::parse(keep).ok_or_else(|| refuse(PeopleMessage::ChooseWhichRecordToKeep))?;
        if pair.status != "open" {
            return Err(refuse(PeopleMessage::PairAlreadyDecided));
        }
        let (kept_id, merged_id) = match keep {
            Keep::Later => (&pair.person_id, &pair.other_person_id),
            Keep::Earlier => (&pair.other_person_id, &pair.person_id),
        };
        for id in [kept_id, merged_id] {
            if store::people::merged_into(tx.conn(), id).await?.is_some() {
                return Err(refuse(PeopleMessage::RecordAlreadyMerged));
            }
            if store::people::is_alleged_perpetrator(tx.conn(), id).await? {
                return Err(refuse(PeopleMessage::PerpetratorNeverMerged));
            }
        }
        let kept = store::people::find_visible(tx.conn(), kept_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let merged = store::people::find_visible(tx.conn(), merged_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let service = tx.service(&pair.service_id).await?;
        let mut changes = Vec::new();

        // What the kept record lacks and the other holds is kept too.
        let filled = filled_in(&kept, &merged);
        if filled != kept {
            let mut errors = FieldErrors::new();
            let born = filled
                .date_of_birth
                .as_deref()
                .and_then(|d| d.parse::<jiff::civil::Date>().ok());
            let mut corrected = new_person(
                &PersonInput::from(&filled),
                &kept.service_id,
                born,
                &mut errors,
            );
            errors.into_result().map_err(AppError::Invalid)?;
            corrected.person.id = kept.id.clone();
            corrected.person.created_at = kept.created_at.clone();
            store::people::update(tx.conn(), &corrected).await?;
            let (was, now_is) = super::correct::differences(&kept, &corrected.person);
            changes.push(
                Change::new(AuditAction::PersonCorrected, "person", &kept.id)
                    .place(Some(&service.organisation_id), Some(&service.id))
                    .before(Value::Object(was))
                    .after(Value::Object(now_is)),
            );
        }

        // Where the two records disagree about a channel, the safer answer wins.
        let held = store::people::preferences(tx.conn(), &kept.id).await?;
        let theirs = store::people::preferences(tx.conn(), &merged.id).await?;
        let mut channels = Vec::new();
        for preference in &theirs {
            let combined = combine(
                held.iter().find(|h| h.channel == preference.channel),
                preference,
            );
            if held.iter().all(|h| *h != combined) {
                store::people::set_preference(tx.conn(), &kept.id, &combined, &now).await?;
                channels.push((combined.channel.clone(), combined.safe != 0));
            }
        }
        store::people::forget_preferences(tx.conn(), &merged.id).await?;

        let moved = store::people::merge_records(tx.conn(), &merged.id, &kept.id).await?;
        store::cases::relink_person(tx.conn(), &kept.id).await?;
        store::duplicates::decide(tx.conn(), &pair.id, "merged", &actor.id, &now, None).await?;
        // Other pairs waiting on the merged record now name the one kept,
        // unless that would name one person twice or a pair already listed.
        for other in store::duplicates::waiting_with(tx.conn(), &merged.id).await? {
            let third = if other.person_id == merged.id {
                &other.other_person_id
            } else {
                &other.person_id
            };
            if *third == kept.id || store::duplicates::listed(tx.conn(), &kept.id, third).await? {
                store::duplicates::decide(
                    tx.conn(),
                    &other.id,
                    "superseded",
                    &actor.id,
                    &now,
                    None,
                )
                .await?;
            } else {
                store::duplicates::repoint(tx.conn(), &other.id, &kept.id, third).await?;
            }
        }
        changes.push(
            Change::new(AuditAction::PersonMerged, "person", &merged.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({
                    "person_id": merged.id, "referrals": moved.referrals,
                    "cases": moved.cases, "links": moved.links,
                }))
                .after(json!({
                    "merged_into": kept.id, "possible_duplicate": pair.id,
                    "contact_preferences": channels,
                })),
        );
        tx.commit_all(changes).await?;
        Ok(kept.id)
    }
}

/// The kept record with its blanks filled from the other: details it does
/// not hold, characteristics it has as not known, and an interpreter if
/// either says one is needed. Names are the kept record's.
fn filled_in(kept: &Person, other: &Person) -> Person {
    let or = |mine: &Option<String>, theirs: &Option<String>| mine.clone().or(theirs.clone());
    let known = |mine: &str, theirs: &str| {
        if mine == "not_known" {
            theirs.to_string()
        } else {
            mine.to_string()
        }
    };
    Person {
        date_of_birth: or(&kept.date_of_birth, &other.date_of_birth),
        phone: or(&kept.phone, &other.phone),
        email: or(&kept.email, &other.email),
        address: or(&kept.address, &other.address),
        postcode: or(&kept.postcode, &other.postcode),
        gender: known(&kept.gender, &other.gender),
        ethnicity: known(&kept.ethnicity, &other.ethnicity),
        disability: known(&kept.disability, &other.disability),
        sexual_orientation: known(&kept.sexual_orientation, &other.sexual_orientation),
        religion: known(&kept.religion, &other.religion),
        first_language: or(&kept.first_language, &other.first_language),
        interpreter_needed: kept.interpreter_needed.max(other.interpreter_needed),
        ..kept.clone()
    }
}

/// One channel's preference from both records: unsafe if either says so,
/// with the kept record's times and notes unless it has none.
fn combine(held: Option<&ContactPreference>, theirs: &ContactPreference) -> ContactPreference {
    match held {
        None => theirs.clone(),
        Some(held) => ContactPreference {
            channel: held.channel.clone(),
            safe: held.safe.min(theirs.safe),
            safe_times: held.safe_times.clone().or(theirs.safe_times.clone()),
            notes: held.notes.clone().or(theirs.notes.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preference(safe: i64, notes: Option<&str>) -> ContactPreference {
        ContactPreference {
            channel: "phone".into(),
            safe,
            safe_times: None,
            notes: notes.map(str::to_string),
        }
    }

    #[test]
    fn either_record_saying_a_channel_is_unsafe_makes_it_unsafe() {
        assert_eq!(
            combine(Some(&preference(1, None)), &preference(0, None)).safe,
            0
        );
        assert_eq!(
            combine(Some(&preference(0, None)), &preference(1, None)).safe,
            0
        );
        assert_eq!(
            combine(Some(&preference(1, None)), &preference(1, None)).safe,
            1
        );
        assert_eq!(
            combine(None, &preference(0, Some("x"))),
            preference(0, Some("x"))
        );
        assert_eq!(
            combine(Some(&preference(1, None)), &preference(1, Some("after 6"))).notes,
            Some("after 6".into())
        );
    }
}
