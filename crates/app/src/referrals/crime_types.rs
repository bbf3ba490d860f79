//! Crime types and their consent rules, as configuration.

use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;

use crate::audit::AuditAction;
use crate::referrals::messages::ReferralMessage;
use crate::{App, AppError, Result};

impl App {
    /// Crime types, for forms and imports.
    pub async fn crime_types(&self) -> Result<Vec<store::referrals::CrimeTypeRow>> {
        let mut conn = self.db.conn().await?;
        Ok(store::referrals::crime_types(&mut conn).await?)
    }

    /// Every crime type with whether it is offered, for administrators.
    pub async fn crime_type_settings(
        &self,
        actor: &Actor,
    ) -> Result<Vec<store::referrals::CrimeTypeSetting>> {
        if !policy::may(actor, Action::ManageDirectory, &policy::Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::referrals::crime_type_settings(&mut conn).await?)
    }

    /// Retires a crime type (no longer offered for new referrals; those
    /// already recorded keep it) or offers it again.
    pub async fn offer_crime_type(&self, actor: &Actor, code: &str, offered: bool) -> Result<()> {
        let settings = self.crime_type_settings(actor).await?;
        let Some(found) = settings.iter().find(|t| t.code == code) else {
            return Err(AppError::invalid(
                "code",
                ReferralMessage::NoSuchCrimeType { code: code.into() },
            ));
        };
        self.set_crime_type(actor, code, &found.label, &found.consent_rule, offered)
            .await
    }

    /// Adds a crime type, or changes one's label, consent rule or whether
    /// it is offered (system administrators and the command line). Codes are
    /// lower-case words joined by underscores; existing referrals keep theirs.
    pub async fn set_crime_type(
        &self,
        actor: &Actor,
        code: &str,
        label: &str,
        consent: &str,
        active: bool,
    ) -> Result<()> {
        if !policy::may(actor, Action::ManageDirectory, &policy::Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let code = code.trim();
        if code.is_empty()
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.add("code", ReferralMessage::GiveCodeLowerCaseLetters);
        }
        let label = required_text(&mut errors, "label", label, "the crime type's name", 100);
        let rule = match consent.trim() {
            "opt_in" | "opt-in" => "opt_in",
            "opt_out" | "opt-out" => "opt_out",
            _ => {
                errors.add("consent", ReferralMessage::ChooseOptPassedOnlyConsent);
                ""
            }
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let row = store::referrals::CrimeTypeRow {
            code: code.to_string(),
            label: label.clone(),
            consent_rule: rule.to_string(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::referrals::upsert_crime_type(tx.conn(), &row, active).await?;
        let change = crate::audit::Change::new(AuditAction::CrimeTypeSet, "crime_type", code)
            .after(json!({ "label": label, "consent_rule": rule, "active": active }));
        tx.commit(change).await?;
        Ok(())
    }
}
