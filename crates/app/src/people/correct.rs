//! Correcting a person's details after intake: a new name, a move after
//! fleeing, a date of birth typed wrong. Every change is audited with what
//! it was and what it became, and shows in the person's history.

use domain::policy::{self, Action, Actor};
use domain::validation::FieldErrors;
use domain::values::DateOfBirth;
use serde_json::{Map, Value, json};
use store::people::Person;

use super::PersonInput;
use crate::audit::{AuditAction, Change};
use crate::referrals::new_person;
use crate::{App, AppError, Result};

impl App {
    /// Corrects a person's details; the fields left as they were are not
    /// touched. Staff who may work the person's service's cases may.
    pub async fn correct_person(
        &self,
        actor: &Actor,
        person_id: &str,
        input: &PersonInput,
    ) -> Result<Person> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let visibility = policy::visibility(actor, Action::ManageCases);
        let before = store::people::find_visible(tx.conn(), person_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = FieldErrors::new();
        let born = match input.date_of_birth.trim() {
            "" => None,
            given => DateOfBirth::parse(given, self.today())
                .map_err(|refusal| errors.add("date_of_birth", refusal.to_string()))
                .ok()
                .map(DateOfBirth::date),
        };
        let mut corrected = new_person(input, &before.service_id, born, &mut errors);
        errors.into_result().map_err(AppError::Invalid)?;
        corrected.person.id = before.id.clone();
        corrected.person.created_at = before.created_at.clone();
        let (was, now_is) = differences(&before, &corrected.person);
        if was.is_empty() {
            tx.abandon().await?;
            return Ok(before);
        }
        let service = tx.service(&before.service_id).await?;
        store::people::update(tx.conn(), &corrected).await?;
        tx.commit(
            Change::new(AuditAction::PersonCorrected, "person", &before.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(Value::Object(was))
                .after(Value::Object(now_is)),
        )
        .await?;
        Ok(corrected.person)
    }
}

/// The fields that changed: what each was, and what it became.
pub(super) fn differences(
    before: &Person,
    after: &Person,
) -> (Map<String, Value>, Map<String, Value>) {
    crate::audit::changed_fields(
        Value::Object(person_fields(before)),
        Value::Object(person_fields(after)),
    )
}

/// A person's correctable fields, by name.
fn person_fields(p: &Person) -> Map<String, Value> {
    let fields = json!({
        "given_name": p.given_name, "family_name": p.family_name,
        "date_of_birth": p.date_of_birth, "phone": p.phone, "email": p.email,
        "address": p.address, "postcode": p.postcode, "gender": p.gender,
        "ethnicity": p.ethnicity, "disability": p.disability,
        "sexual_orientation": p.sexual_orientation, "religion": p.religion,
        "first_language": p.first_language, "interpreter_needed": p.interpreter_needed,
    });
    match fields {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
