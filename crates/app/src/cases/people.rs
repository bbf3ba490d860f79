//! People linked to a case, and a person's own record (a read, audited).

use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::cases::messages::CaseMessage;

/// A person's own record and the cases they are linked to. For someone
/// linked to a case (an alleged perpetrator, say) this holds nothing of the
/// victim: not their name, address or contact details.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub person: store::people::Person,
    pub links: Vec<store::cases::Link>,
    pub referrals: Vec<store::referrals::Referral>,
    /// Their own cases across time, the latest first.
    pub cases: Vec<store::cases::Case>,
    /// Corrections of their details, newest first.
    pub corrections: Vec<crate::people::Correction>,
    /// The record this one was merged into, if it was: it holds their
    /// referrals and cases now.
    pub merged_into: Option<String>,
    /// Records of the same person merged into this one.
    pub merged_from: Vec<String>,
}

impl App {
    /// Links another person to a case: a child, the alleged perpetrator, a
    /// household member. They get a record of their own, with none of the
    /// victim's details.
    pub async fn link_person(
        &self,
        actor: &Actor,
        case_id: &str,
        given_name: &str,
        family_name: &str,
        date_of_birth: &str,
        relationship: &str,
    ) -> Result<()> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let given = required_text(
            &mut errors,
            "link_given_name",
            given_name,
            "their first name",
            100,
        );
        let family = required_text(
            &mut errors,
            "link_family_name",
            family_name,
            "their last name",
            100,
        );
        let relationship = domain::cases::Relationship::parse(relationship.trim());
        if relationship.is_none() {
            errors.add("relationship", CaseMessage::ChooseHowTheyAreLinked);
        }
        let born = optional(date_of_birth);
        if let Some(b) = &born
            && domain::values::DateOfBirth::parse(b, self.today()).is_err()
        {
            errors.add("link_date_of_birth", CaseMessage::EnterRealDateBirthNot);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let relationship = relationship.map(|r| r.code()).unwrap_or_default();
        let now = self.clock.now_text();
        let person = store::people::Person {
            id: new_id(),
            service_id: case.service_id.clone(),
            given_name: given.clone(),
            family_name: family.clone(),
            date_of_birth: born,
            phone: None,
            email: None,
            address: None,
            postcode: None,
            gender: "not_known".into(),
            ethnicity: "not_known".into(),
            disability: "not_known".into(),
            sexual_orientation: "not_known".into(),
            religion: "not_known".into(),
            first_language: None,
            interpreter_needed: 0,
            created_at: now.clone(),
        };
        let new = store::people::NewPerson {
            name_key: domain::journey::name_key(&given, &family),
            given_key: domain::journey::word_key(&given),
            family_key: domain::journey::word_key(&family),
            phone_key: None,
            postcode_key: None,
            person,
        };
        let link_id = new_id();
        let mut tx = self.write(actor, &now).await?;
        // Checked again under the writer's lock: the case may have closed meanwhile.
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::people::insert(tx.conn(), &new).await?;
        store::cases::link_person(
            tx.conn(),
            &link_id,
            &case.id,
            &new.person.id,
            relationship,
            &now,
        )
        .await?;
        let change = Change::new(AuditAction::CasePersonLinked, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "person_id": new.person.id, "relationship": relationship }));
        tx.commit(change).await?;
        Ok(())
    }

    /// A person's own record; the read is audited.
    pub async fn person(&self, actor: &Actor, person_id: &str) -> Result<crate::Seen<PersonView>> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let person = store::people::find_visible(&mut conn, person_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let links = store::cases::links_of_person(&mut conn, &person.id).await?;
        let referrals = store::referrals::referrals_of_person(&mut conn, &person.id).await?;
        let cases = store::cases::cases_of_person(&mut conn, &person.id).await?;
        let merged_into = store::people::merged_into(&mut conn, &person.id).await?;
        let merged_from = store::people::merged_from(&mut conn, &person.id).await?;
        drop(conn);
        let corrections = self
            .corrections(crate::audit::AuditAction::PersonCorrected, &person.id)
            .await?;
        let service = self.service_by_id(&person.service_id).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &person.id)
            .place(Some(&service.organisation_id), Some(&service.id));
        let view = PersonView {
            person,
            links,
            referrals,
            cases,
            corrections,
            merged_into,
            merged_from,
        };
        self.disclose(actor, read, view).await
    }
}
