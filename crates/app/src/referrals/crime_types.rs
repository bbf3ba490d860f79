//! Crime types and their consent rules, as configuration.

use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, required_text};
use domain::victims_code::EnhancedReason;
use serde_json::json;

use crate::audit::AuditAction;
use crate::referrals::messages::ReferralMessage;
use crate::{App, AppError, Result};

/// What a crime type says about its referrals.
#[derive(Debug, Clone, Copy)]
pub struct CrimeTypeRule<'a> {
    pub label: &'a str,
    /// `opt_in` or `opt_out`.
    pub consent: &'a str,
    /// The Code reason for enhanced rights it carries (`most_serious_crime`,
    /// `intimidated`…), or empty for none.
    pub enhanced: &'a str,
}

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
        let rule = CrimeTypeRule {
            label: &found.label,
            consent: &found.consent_rule,
            enhanced: found.enhanced_reason.as_deref().unwrap_or_default(),
        };
        self.set_crime_type(actor, code, rule, offered).await
    }

    /// Adds a crime type, or changes one's label, consent rule, the reason
    /// for enhanced rights it carries, or whether it is offered (system
    /// administrators and the command line). Codes are lower-case words
    /// joined by underscores. Referrals already received keep what they
    /// were given; a correction of one works its rights out again.
    pub async fn set_crime_type(
        &self,
        actor: &Actor,
        code: &str,
        rule: CrimeTypeRule<'_>,
        active: bool,
    ) -> Result<()> {
        let CrimeTypeRule {
            label,
            consent,
            enhanced,
        } = rule;
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
        let enhanced = match enhanced.trim() {
            "" | "none" => None,
            given => match EnhancedReason::parse(given) {
                Some(reason) => Some(reason.code().to_string()),
                None => {
                    errors.add(
                        "enhanced",
                        ReferralMessage::NotAnEnhancedReason { code: given.into() },
                    );
                    None
                }
            },
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let row = store::referrals::CrimeTypeRow {
            code: code.to_string(),
            label: label.clone(),
            consent_rule: rule.to_string(),
            enhanced_reason: enhanced.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        let before = store::referrals::crime_type_settings(tx.conn())
            .await?
            .into_iter()
            .find(|t| t.code == code);
        store::referrals::upsert_crime_type(tx.conn(), &row, active).await?;
        let mut change = crate::audit::Change::new(AuditAction::CrimeTypeSet, "crime_type", code)
            .after(json!({ "label": label, "consent_rule": rule, "enhanced_reason": enhanced, "active": active }));
        if let Some(before) = before {
            change = change.before(json!({
                "label": before.label, "consent_rule": before.consent_rule,
                "enhanced_reason": before.enhanced_reason, "active": before.active != 0,
            }));
        }
        tx.commit(change).await?;
        Ok(())
    }
}
