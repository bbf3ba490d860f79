//! Risk records for the domestic abuse provider's IDVA service: DASH
//! assessments at every level (one raised by judgement, one incomplete, one
//! overdue for review), incidents enough for potential escalation on one
//! case, and safety plans, made by the service's IDVA; the city's MARAC
//! with the first case referred to its next meeting, and the second heard
//! at its last.

use domain::policy::Actor;
use domain::risk::Template;
use jiff::ToSpan;

use crate::cases::{CaseFilter, CaseSort};
use crate::paging::ListRequest;
use crate::risk::{IncidentInput, RiskInput, SHIPPED, SafetyPlanInput};
use crate::{App, AppError, Result};

/// One demonstration assessment: the template, how many "yes", how many
/// questions left unanswered, a judgement with its reasons, and how many
/// days ago it was done.
struct Planned {
    template: usize,
    yes: usize,
    unanswered: usize,
    judgement: Option<(&'static str, &'static str)>,
    days_ago: i64,
    incidents: &'static [i64],
    plan: bool,
}

const PLANNED: &[Planned] = &[
    Planned {
        template: 0,
        yes: 16,
        unanswered: 0,
        judgement: None,
        days_ago: 20,
        incidents: &[300, 120, 25],
        plan: true,
    },
    Planned {
        template: 0,
        yes: 6,
        unanswered: 0,
        judgement: Some((
            "high",
            "Threats to kill since she left him; he has bought a knife",
        )),
        days_ago: 12,
        incidents: &[14],
        plan: true,
    },
    Planned {
        template: 0,
        yes: 11,
        unanswered: 0,
        judgement: None,
        days_ago: 30,
        incidents: &[],
        plan: false,
    },
    Planned {
        template: 0,
        yes: 12,
        unanswered: 0,
        judgement: None,
        days_ago: 40,
        incidents: &[3],
        plan: false,
    },
    Planned {
        template: 0,
        yes: 4,
        unanswered: 0,
        judgement: None,
        days_ago: 15,
        incidents: &[],
        plan: false,
    },
    Planned {
        template: 0,
        yes: 2,
        unanswered: 0,
        judgement: None,
        days_ago: 90,
        incidents: &[],
        plan: false,
    },
    Planned {
        template: 0,
        yes: 5,
        unanswered: 6,
        judgement: None,
        days_ago: 5,
        incidents: &[],
        plan: false,
    },
    Planned {
        template: 1,
        yes: 8,
        unanswered: 0,
        judgement: None,
        days_ago: 8,
        incidents: &[],
        plan: false,
    },
    Planned {
        template: 2,
        yes: 7,
        unanswered: 0,
        judgement: None,
        days_ago: 10,
        incidents: &[60],
        plan: true,
    },
];

/// The city's MARAC, meeting every four weeks, with its member agencies.
async fn city_marac(app: &App) -> Result<Option<(String, String)>> {
    let cli = crate::command_line_actor();
    let Some(area) = app
        .areas(&cli)
        .await?
        .into_iter()
        .find(|a| a.name == "Eastmoor City")
    else {
        return Ok(None);
    };
    let agencies = [
        ("Eastmoor Police", "police", "Eastmoor Constabulary"),
        (
            "Eastmoor City Children's Services",
            "childrens_social_care",
            "Eastmoor City Council",
        ),
        ("Eastmoor City Adult Social Care", "adult_social_care", ""),
        ("Eastmoor Health", "health", ""),
        ("Eastmoor City Housing", "housing", ""),
        ("Probation Service, Eastmoor", "probation", ""),
        ("City IDVA service", "idva", "City Advocacy Partnership"),
    ];
    let input = crate::marac::MaracInput {
        name: "Eastmoor City MARAC".into(),
        area_id: area.id,
        agencies: agencies
            .iter()
            .map(|(n, k, o)| crate::marac::AgencyInput::new(n, k, o))
            .collect(),
        agenda_order: String::new(),
        minutes_due_days: 5,
    };
    let marac = app.create_marac(&cli, &input).await?;
    let mut first = None;
    for weeks in [1, 5, 9] {
        let on = app.today().saturating_add((weeks * 7).days()).to_string();
        let meeting = app.schedule_marac_meeting(&cli, &marac.id, &on).await?;
        first.get_or_insert(meeting.id);
    }
    Ok(first.map(|meeting| (marac.id, meeting)))
}

/// Records them on the IDVA service's oldest open cases, and refers the
/// first to the city's MARAC; returns how many assessments were recorded.
pub async fn risk_records(app: &App) -> Result<usize> {
    let Some(actor) = super::actor_of(app, "idva@cityadvocacy.example").await? else {
        return Ok(0);
    };
    let filter = CaseFilter {
        status: Some("open".into()),
        ..Default::default()
    };
    let request = ListRequest {
        sort: CaseSort::Opened,
        descending: false,
        start: Default::default(),
    };
    let cases = app.cases(&actor, &filter, &request).await?.rows;
    let today = app.today();
    let day = |days_ago: i64| today.saturating_sub(days_ago.days()).to_string();
    let marac = city_marac(app).await?;
    let mut recorded = 0;
    for (planned, listed) in PLANNED.iter().zip(&cases) {
        let case = &listed.case;
        let template = Template::parse(SHIPPED[planned.template])
            .map_err(|p| AppError::Internal(format!("a shipped template: {p:?}")))?;
        let answered = template.questions.len() - planned.unanswered;
        let answers = template
            .questions
            .iter()
            .take(answered)
            .enumerate()
            .map(|(i, q)| {
                let answer = if i < planned.yes {
                    "yes"
                } else if i % 7 == 3 {
                    "dont_know"
                } else {
                    "no"
                };
                (q.id.clone(), answer.to_string())
            })
            .collect();
        let assessed_on = today.saturating_sub(planned.days_ago.days());
        // Reviews fall due 8 weeks on; the oldest is overdue.
        let review_on = assessed_on.saturating_add(56.days());
        let input = RiskInput {
            template: template.key.clone(),
            assessed_on: assessed_on.to_string(),
            prompted_by: if planned.days_ago > 60 {
                "First assessment at referral".into()
            } else {
                "Police call-out the night before".into()
            },
            answers,
            texts: vec![(
                template.texts[0].id.clone(),
                "Fictional demonstration account.".into(),
            )],
            judgement_level: planned
                .judgement
                .map(|(l, _)| l.to_string())
                .unwrap_or_default(),
            judgement_reasons: planned
                .judgement
                .map(|(_, r)| r.to_string())
                .unwrap_or_default(),
            review_on: review_on.to_string(),
        };
        // Incidents known before the assessment are recorded first; a later
        // one asks for the risk to be assessed again.
        let (before, after): (Vec<i64>, Vec<i64>) = planned
            .incidents
            .iter()
            .partition(|days_ago| **days_ago > planned.days_ago);
        record_incidents(app, &actor, &case.id, &before, &day).await?;
        app.assess_risk(&actor, &case.id, &input).await?;
        recorded += 1;
        record_incidents(app, &actor, &case.id, &after, &day).await?;
        if planned.plan {
            let plan = SafetyPlanInput {
                risks: "He knows her workplace and her route home.".into(),
                safety_measures: "Locks changed; a panic alarm fitted by the police.".into(),
                actions: "IDVA: a non-molestation order application. Housing: a sanctuary scheme referral.".into(),
                safe_places: "Her sister's flat; the neighbour at number 4.".into(),
                emergency_plan: "Call 999 and press 55 if she cannot speak; go to her sister's.".into(),
                code_word: "Bluebell".into(),
                review_on: today.saturating_add(28.days()).to_string(),
            };
            app.save_safety_plan(&actor, &case.id, &plan).await?;
        }
        if recorded == 1
            && let Some((marac, meeting)) = &marac
        {
            let referral = crate::marac::MaracReferralInput {
                marac: marac.clone(),
                meeting: meeting.clone(),
                consent: "given".into(),
                without_consent_reason: String::new(),
            };
            app.refer_to_marac(&actor, &case.id, &referral).await?;
            super::marac::marac_members(app, marac).await?;
        }
        if recorded == 2
            && let Some((marac, _)) = &marac
        {
            super::marac::past_meeting(app, marac, case).await?;
            super::marac::referred_again(app, case).await?;
        }
    }
    Ok(recorded)
}

async fn record_incidents(
    app: &App,
    actor: &Actor,
    case_id: &str,
    days_ago: &[i64],
    day: &dyn Fn(i64) -> String,
) -> Result<()> {
    for days in days_ago {
        let incident = IncidentInput {
            occurred_on: day(*days),
            source: if days % 2 == 0 {
                "police_callout"
            } else {
                "victims_account"
            }
            .into(),
            perpetrator: String::new(),
            summary: "Fictional demonstration incident.".into(),
        };
        app.record_incident(actor, case_id, &incident).await?;
    }
    Ok(())
}
