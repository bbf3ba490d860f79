//! The assessment templates Waymark ships, those a service imported, and
//! importing one (all or nothing, every problem with its line).

use domain::policy::{Action, Actor};
use domain::risk::{RiskMessage, Template};
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::risk::messages::RiskUseMessage;
use crate::{App, AppError, Result};

/// The templates shipped with Waymark, as files: the DASH checklist's
/// topics in Waymark's own words, its young people's variant, and a
/// stalking screen.
pub const SHIPPED: &[&str] = &[
    include_str!("templates/dash.txt"),
    include_str!("templates/dash-young.txt"),
    include_str!("templates/stalking.txt"),
];

/// A template that can be used, and where it came from.
#[derive(Debug, Clone)]
pub struct AvailableTemplate {
    pub template: Template,
    pub shipped: bool,
}

/// Every version of every template: shipped first, then imported ones.
pub(crate) async fn all_versions(conn: &mut store::Conn) -> Result<Vec<AvailableTemplate>> {
    let mut all: Vec<AvailableTemplate> = SHIPPED
        .iter()
        .map(|source| Template::parse(source))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|problems| AppError::Internal(format!("a shipped template: {problems:?}")))?
        .into_iter()
        .map(|template| AvailableTemplate {
            template,
            shipped: true,
        })
        .collect();
    for stored in store::risk::imported_templates(conn).await? {
        let template = Template::parse(&stored.source).map_err(|problems| {
            AppError::Internal(format!(
                "imported template {} {}: {problems:?}",
                stored.template_key, stored.version
            ))
        })?;
        all.push(AvailableTemplate {
            template,
            shipped: false,
        });
    }
    Ok(all)
}

/// The latest version of each template, in the order first shipped or
/// imported.
pub(crate) fn latest(all: Vec<AvailableTemplate>) -> Vec<AvailableTemplate> {
    let mut latest: Vec<AvailableTemplate> = Vec::new();
    for available in all {
        match latest
            .iter_mut()
            .find(|l| l.template.key == available.template.key)
        {
            Some(held) if held.template.version < available.template.version => *held = available,
            Some(_) => {}
            None => latest.push(available),
        }
    }
    latest
}

/// What the assessment form needs: the case it is for, and the templates.
#[derive(Debug, Clone)]
pub struct RiskForm {
    pub case_id: String,
    pub case_reference: String,
    pub templates: Vec<AvailableTemplate>,
}

impl RiskForm {
    /// The template chosen, or the first (the DASH topics).
    pub fn template(&self, key: &str) -> Option<&Template> {
        self.templates
            .iter()
            .map(|a| &a.template)
            .find(|t| t.key == key)
            .or_else(|| self.templates.first().map(|a| &a.template))
    }
}

impl App {
    /// The assessment form for an open case the actor works: no personal
    /// data, only the case's reference and the templates.
    pub async fn risk_form(&self, actor: &Actor, case_id: &str) -> Result<RiskForm> {
        let (case, _) = self
            .open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        Ok(RiskForm {
            case_id: case.id,
            case_reference: case.reference,
            templates: self.risk_templates().await?,
        })
    }

    /// The templates an assessment can use now: the latest version of each.
    pub async fn risk_templates(&self) -> Result<Vec<AvailableTemplate>> {
        let mut conn = self.db.conn().await?;
        Ok(latest(all_versions(&mut conn).await?))
    }

    /// Imports a template file: checked whole, and refused with every
    /// problem (each with its line) unless it is right and newer than any
    /// version of the same template Waymark has.
    pub async fn import_risk_template(&self, actor: &Actor, source: &str) -> Result<Template> {
        if !domain::policy::may(
            actor,
            Action::ManageDirectory,
            &domain::policy::Place::default(),
        ) {
            return Err(AppError::Forbidden);
        }
        let template = Template::parse(source).map_err(|problems| {
            let mut errors = domain::validation::FieldErrors::new();
            for problem in problems {
                errors.add("file", problem);
            }
            AppError::Invalid(errors)
        })?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        // Checked under the writer's lock: two imports of one version race.
        let held = all_versions(tx.conn())
            .await?
            .into_iter()
            .filter(|a| a.template.key == template.key)
            .map(|a| a.template.version)
            .max();
        if let Some(latest) = held
            && template.version <= latest
        {
            let mut errors = domain::validation::FieldErrors::new();
            errors.add(
                "file",
                RiskUseMessage::VersionNotNewer {
                    key: template.key.clone(),
                    version: template.version,
                    latest,
                },
            );
            return Err(AppError::Invalid(errors));
        }
        let stored = store::risk::StoredTemplate {
            template_key: template.key.clone(),
            version: i64::from(template.version),
            name: template.name.clone(),
            source: source.to_string(),
        };
        store::risk::insert_template(tx.conn(), &stored, &actor.id, &now).await?;
        tx.commit(
            Change::new(
                AuditAction::RiskTemplateImported,
                "risk_template",
                &template.key,
            )
            .after(json!({
                "version": template.version,
                "name": template.name,
                "questions": template.questions.len(),
                "bands": bands_text(&template.bands),
            })),
        )
        .await?;
        Ok(template)
    }
}

/// Bands as written: `standard 0, medium 10, high 14`.
pub(crate) fn bands_text(bands: &[domain::risk::Band]) -> String {
    bands
        .iter()
        .map(|b| format!("{} {}", b.level.code(), b.from))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads bands as written, checked against a template with `questions`.
pub(crate) fn parse_bands(
    text: &str,
    questions: usize,
) -> std::result::Result<Vec<domain::risk::Band>, Vec<RiskMessage>> {
    let mut bands = Vec::new();
    for (i, part) in text.split(',').enumerate() {
        match domain::risk::parse_band(part.trim()) {
            Some(band) => bands.push((i + 1, band)),
            None => return Err(vec![RiskMessage::BadBand { line: i + 1 }]),
        }
    }
    let problems = domain::risk::band_problems(&bands, questions);
    if problems.is_empty() {
        Ok(bands.into_iter().map(|(_, b)| b).collect())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_read_and_score_as_documented() {
        for source in SHIPPED {
            let template = Template::parse(source).expect("a shipped template reads");
            assert!(template.judgement);
            assert_eq!(template.bands[0].from, 0);
        }
        let dash = Template::parse(SHIPPED[0]).expect("dash");
        assert_eq!(dash.key, "dash");
        assert_eq!(dash.questions.len(), 24);
        assert_eq!(bands_text(&dash.bands), "standard 0, medium 10, high 14");
        let young = Template::parse(SHIPPED[1]).expect("young");
        assert_eq!(young.questions.len(), 24);
        assert_eq!((young.ages.from, young.ages.to), (Some(13), Some(17)));
    }

    #[test]
    fn bands_as_written_are_checked() {
        assert_eq!(
            parse_bands("standard 0, high 14", 24).map(|b| bands_text(&b)),
            Ok("standard 0, high 14".to_string())
        );
        assert!(parse_bands("medium 10, high 14", 24).is_err());
        assert!(parse_bands("standard 0, high 25", 24).is_err());
        assert!(parse_bands("standard zero", 24).is_err());
    }
}
