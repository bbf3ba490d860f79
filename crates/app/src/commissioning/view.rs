//! A contract as the office sees it (figures protected, as for anyone
//! outside the service) or as its provider's contract manager sees it
//! (exact): its terms, payments, and each KPI against its target for each
//! reporting period of the contract that has ended, with the provider's
//! narrative.

use domain::commissioning::Kpi;
use domain::policy::{self, Action, Actor};
use jiff::civil::Date;
use store::commissioning::{
    Contract, ContractFilter, ContractParts, ContractSort, Narrative, Payment,
};

use super::access::office_place;
use super::narrative::provider_place;
use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::{App, AppError, Result};

/// A page of contracts, and whether the reader may set one up.
#[derive(Debug, Clone)]
pub struct ContractList {
    pub page: Page<Contract>,
    pub may_set_up: bool,
}

/// One KPI in one period, for one service.
#[derive(Debug, Clone)]
pub struct KpiFigure {
    pub service: String,
    pub kpi: Kpi,
    pub target: i64,
    /// As shown to the reader: protected for the office.
    pub shown: String,
    /// Whether the figure as shown meets the target; `None` when it
    /// cannot say (a count under 5, a share not shown).
    pub met: Option<bool>,
}

/// One reporting period of the contract, with its figures and narrative.
#[derive(Debug, Clone)]
pub struct ContractQuarter {
    pub from: Date,
    pub to: Date,
    pub figures: Vec<KpiFigure>,
    pub narrative: Option<Narrative>,
}

#[derive(Debug, Clone)]
pub struct ContractView {
    pub contract: Contract,
    pub parts: ContractParts,
    /// (service id, name)
    pub services: Vec<(String, String)>,
    /// (source name, share in basis points)
    pub funding: Vec<(String, i64)>,
    /// The office's objectives it serves: (code, title).
    pub objectives: Vec<(String, String)>,
    /// The same, by id, for its form.
    pub objective_ids: Vec<String>,
    pub payments: Vec<Payment>,
    /// The approved decisions naming it: (id, number, amount, new value).
    pub decisions: Vec<(String, String, i64, Option<i64>)>,
    pub quarters: Vec<ContractQuarter>,
    /// Whether the figures are protected (the reader is outside the service).
    pub protected: bool,
    pub may_correct: bool,
    pub may_write_narrative: bool,
}

/// The contract's reporting periods that have ended, latest first, at
/// most four: each a whole block, as a commissioner's return is.
pub(super) fn ended_quarters(app: &App, contract: &Contract) -> Vec<(Date, Date)> {
    let periods = app.settings.report_periods;
    let (Ok(starts), Ok(ends)) = (
        contract.starts_on.parse::<Date>(),
        contract
            .extension_until
            .as_deref()
            .unwrap_or(&contract.ends_on)
            .parse::<Date>(),
    ) else {
        return Vec::new();
    };
    let mut blocks = Vec::new();
    let mut block = periods.before(app.reporting_day());
    while blocks.len() < 4 && block.1 >= starts {
        if block.0 <= ends {
            blocks.push(block);
        }
        block = periods.before(block.0);
    }
    blocks
}

impl App {
    /// The services the actor's office commissions, for a contract's form.
    pub async fn services_commissioned(
        &self,
        actor: &Actor,
    ) -> Result<Vec<store::directory::Service>> {
        let office_id = actor.organisation_id.as_str();
        super::access::check_office(actor, office_id, Action::ViewCommissioning)?;
        let mut conn = self.db.conn().await?;
        let commissioned = domain::policy::Visibility {
            commissioned_by: vec![office_id.to_string()],
            ..Default::default()
        };
        Ok(store::directory::list_services(&mut conn, &commissioned).await?)
    }

    /// A page of the contracts the actor may see: their office's, or
    /// their provider's; and whether they may set one up.
    pub async fn contracts(
        &self,
        actor: &Actor,
        request: &ListRequest<ContractSort>,
    ) -> Result<ContractList> {
        let office = &actor.organisation_id;
        let filter = if policy::may(actor, Action::ViewCommissioning, &office_place(office)) {
            ContractFilter {
                office: Some(office.clone()),
                ..ContractFilter::default()
            }
        } else if policy::may(actor, Action::ReportOnContracts, &provider_place(office)) {
            ContractFilter {
                provider: Some(office.clone()),
                ..ContractFilter::default()
            }
        } else {
            return Err(AppError::NotFound);
        };
        let mut conn = self.db.conn().await?;
        let page = store::commissioning::page_of_contracts(
            &mut conn,
            &filter,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        Ok(ContractList {
            page,
            may_set_up: policy::may(actor, Action::ManageCommissioning, &office_place(office)),
        })
    }

    pub async fn contract(&self, actor: &Actor, id: &str) -> Result<ContractView> {
        let mut conn = self.db.conn().await?;
        let contract = store::commissioning::find_contract(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let office = office_place(&contract.office_id);
        let provider = provider_place(&contract.provider_id);
        let office_reads = policy::may(actor, Action::ViewCommissioning, &office);
        let provider_reads = policy::may(actor, Action::ReportOnContracts, &provider);
        if !office_reads && !provider_reads {
            return Err(AppError::NotFound);
        }
        let parts = store::commissioning::contract_parts(&mut conn, id).await?;
        let everything = domain::policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let services: Vec<(String, String)> =
            store::directory::list_services(&mut conn, &everything)
                .await?
                .into_iter()
                .filter(|s| parts.service_ids.contains(&s.id))
                .map(|s| (s.id, s.name))
                .collect();
        let sources = store::commissioning::sources(&mut conn, &contract.office_id).await?;
        let funding = parts
            .funding
            .iter()
            .map(|(source, share)| {
                let name = sources
                    .iter()
                    .find(|s| &s.id == source)
                    .map_or_else(String::new, |s| s.name.clone());
                (name, *share)
            })
            .collect();
        let objective_ids = store::commissioning::contract_objectives(&mut conn, id).await?;
        let objectives = store::commissioning::objectives(&mut conn, Some(&contract.office_id))
            .await?
            .into_iter()
            .filter(|o| objective_ids.contains(&o.id))
            .map(|o| (o.code, o.title))
            .collect();
        let payments = store::commissioning::payments(&mut conn, id).await?;
        let narratives = store::commissioning::narratives(&mut conn, id).await?;
        let decisions = store::commissioning::decisions_for_contract(&mut conn, id).await?;
        drop(conn);
        // The office is outside the service: its figures are protected.
        let protected = !provider_reads;
        let kpis: Vec<(Kpi, i64)> = parts
            .kpis
            .iter()
            .filter_map(|(code, target)| Some((Kpi::parse(code)?, *target)))
            .collect();
        let mut quarters = Vec::new();
        for (from, to) in ended_quarters(self, &contract) {
            let mut figures = Vec::new();
            if !kpis.is_empty() {
                for (service_id, service) in &services {
                    let report = self
                        .moj_return_for_system(
                            from,
                            to,
                            std::slice::from_ref(service_id),
                            protected,
                        )
                        .await?;
                    for (kpi, target) in &kpis {
                        let (table, row, column) = kpi.in_return();
                        let shown = report.figure(table, row, column).unwrap_or_default();
                        figures.push(KpiFigure {
                            service: service.clone(),
                            kpi: *kpi,
                            target: *target,
                            met: kpi.meets(&shown, *target),
                            shown,
                        });
                    }
                }
            }
            quarters.push(ContractQuarter {
                from,
                to,
                figures,
                narrative: narratives
                    .iter()
                    .find(|n| n.quarter_from == from.to_string())
                    .cloned(),
            });
        }
        Ok(ContractView {
            may_correct: policy::may(actor, Action::ManageCommissioning, &office),
            may_write_narrative: provider_reads,
            contract,
            parts,
            services,
            funding,
            objectives,
            objective_ids,
            payments,
            decisions,
            quarters,
            protected,
        })
    }
}
