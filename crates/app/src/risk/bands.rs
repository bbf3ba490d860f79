//! A service's own risk bands for a template, such as a medium band from
//! 10 where the area uses one.

use domain::policy::{self, Action, Actor};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::directory::place_of_service;
use crate::risk::messages::RiskUseMessage;
use crate::risk::templates::{all_versions, bands_text, latest, parse_bands};
use crate::{App, AppError, Result};

impl App {
    /// Sets the bands a service scores a template with, from now on;
    /// assessments already made keep the bands they were scored with.
    pub async fn set_risk_bands(
        &self,
        actor: &Actor,
        service_id: &str,
        template_key: &str,
        bands: &str,
    ) -> Result<String> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let service = tx.service(service_id).await?;
        if !policy::may(actor, Action::ManageDirectory, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let mut errors = domain::validation::FieldErrors::new();
        let Some(template) = latest(all_versions(tx.conn()).await?)
            .into_iter()
            .map(|a| a.template)
            .find(|t| t.key == template_key)
        else {
            errors.add(
                "template",
                RiskUseMessage::UnknownTemplate {
                    key: template_key.into(),
                },
            );
            return Err(AppError::Invalid(errors));
        };
        let parsed = match parse_bands(bands, template.questions.len()) {
            Ok(parsed) => parsed,
            Err(problems) => {
                errors.add("bands", RiskUseMessage::BandsProblem);
                for problem in problems {
                    errors.add("bands", problem);
                }
                return Err(AppError::Invalid(errors));
            }
        };
        let written = bands_text(&parsed);
        let before = store::risk::service_bands(tx.conn(), &service.id, &template.key).await?;
        store::risk::set_service_bands(
            tx.conn(),
            &service.id,
            &template.key,
            &written,
            &actor.id,
            &now,
        )
        .await?;
        tx.commit(
            Change::new(AuditAction::RiskBandsSet, "service", &service.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "template": template.key, "bands": before.unwrap_or_else(|| bands_text(&template.bands)) }))
                .after(json!({ "template": template.key, "bands": written })),
        )
        .await?;
        Ok(written)
    }
}
