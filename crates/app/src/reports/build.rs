//! Building the return: the services chosen, four counts read at once, and
//! each table from them.

use domain::risk::{AbuseType, Template};
use jiff::civil::Date;
use store::directory::Service;
use store::reports::{
    FirstAndLast, OutcomeCount, ReferralGroup, RiskChange, Scope, SupportedGroup, Waits,
};

use super::frozen::Figures;
use super::tables::*;
use super::{MojReturn, Table};
use crate::reports::messages::ReportMessage;
use crate::{App, AppError, Result};

/// What the four counts of a period found.
#[derive(Default)]
pub(super) struct Counts {
    pub(super) groups: Vec<ReferralGroup>,
    pub(super) referred: i64,
    pub(super) contacted: i64,
    pub(super) supported: Vec<SupportedGroup>,
    pub(super) continuing: i64,
    pub(super) outcomes: Vec<OutcomeCount>,
    pub(super) waits_for_contact: Waits,
    pub(super) waits_for_support: Waits,
    pub(super) satisfaction: Vec<(Option<String>, i64)>,
    pub(super) risk: Vec<RiskChange>,
    /// For each case closed with an assessment: the kinds of abuse its
    /// first assessment showed, and its last.
    pub(super) abuse: Vec<(Vec<AbuseType>, Vec<AbuseType>)>,
}

impl App {
    /// The return for `services` (all of `visible` if none), from `from` to `to`.
    pub(super) async fn build_return(
        &self,
        visible: Vec<Service>,
        from: Date,
        to: Date,
        services: &[String],
        suppressed: bool,
    ) -> Result<MojReturn> {
        if to < from {
            return Err(AppError::invalid(
                "to",
                ReportMessage::EndPeriodMustAfterStart,
            ));
        }
        let chosen = chosen_services(&visible, services)?;
        let ids: Vec<String> = chosen.iter().map(|s| s.id.clone()).collect();
        let protected = async {
            let mut tables = tables_of(&self.counts(&ids, from, to).await?);
            super::disclosure::protect_tables(&mut tables);
            Ok(tables)
        };
        let (tables, frozen_at) = match (suppressed, chosen.as_slice()) {
            // A commissioner's return is one service's (`one_service`).
            (true, [service]) => {
                let figures = Figures::Return {
                    service_id: &service.id,
                };
                let shapes = tables_of(&Counts::default());
                let (tables, at) = self
                    .frozen(figures, (from, to), shapes, protected, |tables, kept| {
                        super::disclosure::withhold_continuing_beside(
                            tables,
                            kept.before.as_deref(),
                            kept.after.as_deref(),
                        )
                    })
                    .await?;
                (tables, Some(at))
            }
            (true, _) => (protected.await?, None),
            (false, _) => (tables_of(&self.counts(&ids, from, to).await?), None),
        };
        Ok(MojReturn {
            title: super::MOJ_RETURN,
            from,
            to,
            services: chosen.iter().map(|s| s.name.clone()).collect(),
            suppressed,
            tables,
            frozen_at,
        })
    }

    /// The counts read different rows, so each runs on a connection of its
    /// own, at the same time.
    async fn counts(&self, ids: &[String], from: Date, to: Date) -> Result<Counts> {
        let (from_text, to_text) = (from.to_string(), to.to_string());
        let scope = Scope {
            services: ids,
            from: &from_text,
            to: &to_text,
        };
        let until = to.min(self.today()).to_string();
        let (
            groups,
            (referred, contacted),
            supported,
            outcomes,
            continuing,
            waits_for_contact,
            waits_for_support,
            satisfaction,
            assessed,
        ) = tokio::try_join!(
            async {
                let mut conn = self.db.conn().await?;
                store::reports::referral_groups(&mut conn, &scope, &until).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::victims_referred_and_contacted(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::supported(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::outcomes(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::continuing(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::waits_for_contact(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::waits_for_support(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::satisfaction(&mut conn, &scope).await
            },
            async {
                let mut conn = self.db.conn().await?;
                store::reports::assessments_at_intake_and_exit(&mut conn, &scope).await
            },
        )?;
        let mut conn = self.db.conn().await?;
        let templates: Vec<Template> = crate::risk::all_versions(&mut conn)
            .await?
            .into_iter()
            .map(|a| a.template)
            .collect();
        drop(conn);
        let risk = risk_changes(&assessed);
        let abuse = assessed
            .iter()
            .map(|a| abuse_present(a, &templates))
            .collect();
        Ok(Counts {
            groups,
            referred,
            contacted,
            supported,
            continuing,
            outcomes,
            waits_for_contact,
            waits_for_support,
            satisfaction,
            risk,
            abuse,
        })
    }
}

/// The return's tables, from what the counts found.
fn tables_of(counts: &Counts) -> Vec<Table> {
    let mut tables = referral_tables(counts);
    tables.extend(demographic_tables(&counts.supported));
    tables.push(outcome_table(&counts.outcomes));
    tables.push(national_outcomes_table(counts));
    tables.push(compliance_table(&counts.groups));
    tables.push(waiting_table(counts));
    tables.extend(risk_tables(&counts.risk));
    tables.push(abuse_table(&counts.abuse));
    tables
}

/// The services asked for, by id or name, among those visible; all of them
/// if none was asked for.
fn chosen_services<'a>(visible: &'a [Service], asked: &[String]) -> Result<Vec<&'a Service>> {
    if asked.is_empty() {
        return Ok(visible.iter().collect());
    }
    asked
        .iter()
        .map(|id| {
            visible
                .iter()
                .find(|s| &s.id == id || s.name.eq_ignore_ascii_case(id))
                .ok_or_else(|| AppError::invalid("services", ReportMessage::ChooseServicesList))
        })
        .collect()
}

/// The kinds of abuse a case's first and last assessments showed, each by
/// the template version it used.
/// How many cases went from each risk level at intake to each at exit.
fn risk_changes(assessed: &[FirstAndLast]) -> Vec<RiskChange> {
    let mut counted: std::collections::HashMap<(&Option<String>, &Option<String>), i64> =
        std::collections::HashMap::new();
    for case in assessed {
        *counted
            .entry((&case.intake_level, &case.exit_level))
            .or_default() += 1;
    }
    counted
        .into_iter()
        .map(|((intake, exit), cases)| RiskChange {
            intake: intake.clone(),
            exit: exit.clone(),
            cases,
        })
        .collect()
}

fn abuse_present(
    answers: &FirstAndLast,
    templates: &[Template],
) -> (Vec<AbuseType>, Vec<AbuseType>) {
    let kinds = |key: &str, version: i64, answers: &str| {
        let Some(template) = templates
            .iter()
            .find(|t| t.key == key && i64::from(t.version) == version)
        else {
            return Vec::new();
        };
        let answers: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(answers).unwrap_or_default();
        template.abuse_present(|id| answers.get(id).and_then(|v| v.as_str()) == Some("yes"))
    };
    (
        kinds(
            &answers.intake_template,
            answers.intake_version,
            &answers.intake_answers,
        ),
        kinds(
            &answers.exit_template,
            answers.exit_version,
            &answers.exit_answers,
        ),
    )
}
