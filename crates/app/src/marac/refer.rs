//! A referral to a MARAC from a case: the criteria the case meets are
//! computed, and the referral is filled in from the latest risk assessment
//! and the case, so nothing is typed twice.

use domain::cases::Relationship;
use domain::marac::{CaseRisk, Criterion, criteria};
use domain::policy::{Action, Actor};
use domain::risk::{Level, incidents_within_year};
use domain::validation::{FieldErrors, Lines, text};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::json;
use store::marac::{Marac, MaracReferral, Meeting};
use store::risk::Assessment;
use utoipa::ToSchema;

use crate::audit::{AuditAction, Change};
use crate::marac::messages::MaracMessage;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The one field list for a referral to a MARAC.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MaracReferralInput {
    pub marac: String,
    pub meeting: String,
    /// `given` or `not_given`.
    pub consent: String,
    pub without_consent_reason: String,
}

/// What a referral from this case would say, for each MARAC.
#[derive(Debug, Clone, Default)]
pub struct MaracDraft {
    pub options: Vec<MaracOption>,
    pub assessment: Option<Assessment>,
    pub children: usize,
    pub incidents_in_year: usize,
    /// The victim's referrals to MARACs so far, the latest first.
    pub previous: Vec<MaracReferral>,
}

#[derive(Debug, Clone, Default)]
pub struct MaracOption {
    pub marac: Marac,
    /// Its coming meetings, the soonest first.
    pub meetings: Vec<Meeting>,
    pub criteria: Vec<Criterion>,
}

impl MaracDraft {
    /// Whether the case meets a criterion for any MARAC.
    pub fn meets_any(&self) -> bool {
        self.options.iter().any(|o| !o.criteria.is_empty())
    }

    /// The summary the referral carries, from the assessment and the case.
    pub fn summary(&self) -> String {
        summary(
            self.assessment.as_ref(),
            self.children,
            self.incidents_in_year,
        )
    }
}

fn summary(assessment: Option<&Assessment>, children: usize, incidents: usize) -> String {
    let risk = match assessment {
        Some(a) => {
            let level = a
                .level
                .as_deref()
                .and_then(Level::parse)
                .map_or("incomplete", |l| l.label());
            let judged = match (&a.judgement_level, a.judgement_reasons.is_empty()) {
                (Some(j), false) => format!(
                    " Professional judgement: {j}, because {}.",
                    a.judgement_reasons
                ),
                _ => String::new(),
            };
            let done = a
                .assessed_on
                .parse::<jiff::civil::Date>()
                .map_or(a.assessed_on.clone(), domain::values::long_date);
            format!(
                "{}, done {done}: {} yes, {}.{judged}",
                a.template_name, a.yes_count, level
            )
        }
        None => "No risk assessment recorded.".to_string(),
    };
    format!(
        "{risk} Incidents in the last 12 months: {incidents}. Children in the household: {children}."
    )
}

/// Everything the criteria are computed from, read in one place so the
/// form and the referral agree.
struct Facts {
    assessment: Option<Assessment>,
    incidents: Vec<jiff::civil::Date>,
    threshold: usize,
    children: usize,
    previous: Vec<MaracReferral>,
}

async fn facts(conn: &mut store::Conn, case: &store::cases::Case) -> Result<Facts> {
    let assessment = store::risk::assessments(conn, &case.id)
        .await?
        .into_iter()
        .next();
    let incidents = store::risk::incidents_of(conn, &case.person_id, &case.service_id)
        .await?
        .iter()
        .filter_map(|i| i.occurred_on.parse().ok())
        .collect();
    let threshold = crate::risk::escalation_threshold(
        store::risk::escalation_incidents(conn, &case.service_id).await?,
    );
    let children = store::cases::linked_people(conn, &case.id)
        .await?
        .iter()
        .filter(|l| l.relationship == Relationship::Child.code())
        .count();
    let previous = store::marac::referrals_of_person(conn, &case.person_id).await?;
    Ok(Facts {
        assessment,
        incidents,
        threshold,
        children,
        previous,
    })
}

impl Facts {
    fn case_risk(&self, marac_id: &str) -> CaseRisk {
        let level = |code: &Option<String>| code.as_deref().and_then(Level::parse);
        CaseRisk {
            actuarial: self
                .assessment
                .as_ref()
                .and_then(|a| level(&a.actuarial_level)),
            judgement: self
                .assessment
                .as_ref()
                .and_then(|a| level(&a.judgement_level)),
            incidents: self.incidents.clone(),
            escalation_threshold: self.threshold,
            last_referral_on: self
                .previous
                .iter()
                .filter(|r| r.marac_id == marac_id && r.status != "withdrawn")
                .filter_map(|r| r.referred_on.parse().ok())
                .max(),
        }
    }
}

impl App {
    /// The referral a case would make to each MARAC, for the form: no more
    /// than the case page already shows.
    pub async fn marac_draft(&self, actor: &Actor, case_id: &str) -> Result<MaracDraft> {
        let case = self.visible_case(actor, case_id).await?;
        let today = self.today();
        let mut conn = self.db.conn().await?;
        let facts = facts(&mut conn, &case).await?;
        let mut options = Vec::new();
        for marac in store::marac::maracs(&mut conn).await? {
            let meetings =
                store::marac::meetings_from(&mut conn, &marac.id, &today.to_string()).await?;
            let criteria = criteria(&facts.case_risk(&marac.id), today);
            options.push(MaracOption {
                marac,
                meetings,
                criteria,
            });
        }
        Ok(MaracDraft {
            options,
            incidents_in_year: incidents_within_year(&facts.incidents, today),
            children: facts.children,
            assessment: facts.assessment,
            previous: facts.previous,
        })
    }

    /// Refers an open case to a MARAC's coming meeting, with the criteria
    /// it meets and what they were computed from.
    pub async fn refer_to_marac(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &MaracReferralInput,
    ) -> Result<MaracReferral> {
        let now = self.clock.now_text();
        let today = self.today();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        let mut errors = FieldErrors::new();
        let marac = store::marac::maracs(tx.conn())
            .await?
            .into_iter()
            .find(|m| m.id == input.marac.trim());
        let Some(marac) = marac else {
            // The form chooses a MARAC by choosing one of its meetings.
            if input.marac.trim().is_empty() && input.meeting.trim().is_empty() {
                errors.add("meeting", MaracMessage::ChooseMeeting);
            } else {
                errors.add("marac", MaracMessage::ChooseMarac);
            }
            return Err(AppError::Invalid(errors));
        };
        let meeting = store::marac::meeting(tx.conn(), input.meeting.trim())
            .await?
            .filter(|m| m.marac_id == marac.id);
        coming_meeting(&mut errors, meeting.as_ref(), today);
        let facts = facts(tx.conn(), &case).await?;
        let risk = facts.case_risk(&marac.id);
        let met = criteria(&risk, today);
        if met.is_empty() {
            errors.add("criteria", MaracMessage::NoCriteria);
        }
        let high = met.iter().any(|c| {
            matches!(
                c,
                Criterion::VisibleHighRisk | Criterion::ProfessionalJudgement
            )
        });
        let reason = consent(&mut errors, input, high);
        if let Some(pending) = facts
            .previous
            .iter()
            .find(|r| r.case_id == case.id && r.marac_id == marac.id && r.status == "pending")
        {
            errors.add(
                "marac",
                MaracMessage::AlreadyPending {
                    meets_on: pending.meets_on.clone(),
                },
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(meeting) = meeting else {
            return Err(AppError::Internal(
                "a checked referral lost its meeting".into(),
            ));
        };
        let incidents_in_year = incidents_within_year(&facts.incidents, today);
        let referral = MaracReferral {
            id: new_id(),
            marac_id: marac.id.clone(),
            marac_name: marac.name.clone(),
            meeting_id: meeting.id.clone(),
            meets_on: meeting.meets_on.clone(),
            case_id: case.id.clone(),
            person_id: case.person_id.clone(),
            service_id: service.id.clone(),
            referred_on: today.to_string(),
            criteria: met.iter().map(|c| c.code()).collect::<Vec<_>>().join(","),
            assessment_id: facts.assessment.as_ref().map(|a| a.id.clone()),
            score: facts.assessment.as_ref().map(|a| a.yes_count),
            level: facts.assessment.as_ref().and_then(|a| a.level.clone()),
            children: facts.children as i64,
            incidents_in_year: incidents_in_year as i64,
            is_repeat: i64::from(met.contains(&Criterion::Repeat)),
            summary: summary(facts.assessment.as_ref(), facts.children, incidents_in_year),
            consent: input.consent.trim().to_string(),
            without_consent_reason: reason,
            status: "pending".into(),
            referred_by: actor.id.clone(),
            created_at: now.clone(),
            ..MaracReferral::default()
        };
        store::marac::insert_referral(tx.conn(), &referral).await?;
        tx.commit(
            Change::new(AuditAction::MaracReferralMade, "case", &case.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .after(json!({
                    "referral_id": referral.id,
                    "marac_id": marac.id,
                    "meeting_id": meeting.id,
                    "criteria": referral.criteria,
                    "consent": referral.consent,
                    "repeat": referral.is_repeat != 0,
                })),
        )
        .await?;
        Ok(referral)
    }
}

/// Checks the consent given and the reason for going without it: allowed
/// without consent only at high risk, and then only with a reason. Gives
/// the reason as kept.
pub(super) fn consent(errors: &mut FieldErrors, input: &MaracReferralInput, high: bool) -> String {
    let reason = text(
        errors,
        "without_consent_reason",
        &input.without_consent_reason,
        "the reason",
        2_000,
        Lines::Many,
    )
    .unwrap_or_default();
    match input.consent.trim() {
        "given" => {}
        "not_given" if !high => errors.add("consent", MaracMessage::ConsentNeedsHighRisk),
        "not_given" if reason.is_empty() => {
            errors.add(
                "without_consent_reason",
                MaracMessage::GiveWhyWithoutConsent,
            );
        }
        "not_given" => {}
        _ => errors.add("consent", MaracMessage::ChooseConsent),
    }
    reason
}

/// Refuses a meeting that is not the MARAC's, or has already met.
pub(super) fn coming_meeting(errors: &mut FieldErrors, meeting: Option<&Meeting>, today: Date) {
    match meeting {
        None => errors.add("meeting", MaracMessage::ChooseMeeting),
        Some(m) if m.meets_on < today.to_string() => {
            errors.add("meeting", MaracMessage::MeetingPassed);
        }
        Some(_) => {}
    }
}
