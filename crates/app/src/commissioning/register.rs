//! The public register: published decisions of every office, for anyone,
//! with no sign-in. What is exempt is withheld with its reason; drafts and
//! decisions whose publication is deferred are not there at all.

use domain::commissioning::{Exemption, SectionB};
use store::commissioning::{
    Amount, ContractFilter, ContractSort, Decision, DecisionFilter, DecisionSort,
};

use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::{App, Result};

/// What the register is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    /// The financial year, by the year it starts in ("2026").
    pub year: String,
    pub words: String,
    pub recipient: String,
    /// The provider (organisation id) of the contract a decision affects.
    pub provider: String,
    /// An objective (id) served by the contract a decision affects.
    pub objective: String,
}

/// A published decision as the public sees it.
#[derive(Debug, Clone)]
pub struct PublicDecision {
    /// The record, with what is exempt taken out.
    pub decision: Decision,
    pub amounts: Vec<Amount>,
    /// Why part of the supporting information is not published.
    pub withheld: Option<&'static str>,
    /// Whether the Section B report is withheld.
    pub section_b_withheld: bool,
    pub corrected_by: Vec<(String, String)>,
    /// The references of the contracts and the names of the programmes
    /// it affects.
    pub affects: Vec<String>,
}

/// What the funded services are narrowed to: a provider's organisation
/// id, an objective's id, or neither.
#[derive(Debug, Clone, Default)]
pub struct FundedFilter {
    pub provider: String,
    pub objective: String,
}

/// The choices of the register's filters, each (id, name), by name.
#[derive(Debug, Clone, Default)]
pub struct FundedChoices {
    pub providers: Vec<(String, String)>,
    pub objectives: Vec<(String, String)>,
}

/// A contract or grant as the public register lists it.
#[derive(Debug, Clone)]
pub struct FundedService {
    pub contract: store::commissioning::Contract,
    pub office: String,
    pub services: Vec<String>,
    /// The objectives it serves: (id, "code: title").
    pub objectives: Vec<(String, String)>,
}

/// The record with what may not be published removed.
fn published(mut d: Decision) -> Decision {
    d.exempt_text.clear();
    d
}

impl App {
    /// A page of published decisions, latest published first unless asked.
    pub async fn register(
        &self,
        filter: &RegisterFilter,
        request: &ListRequest<DecisionSort>,
    ) -> Result<Page<Decision>> {
        let mut conn = self.db.conn().await?;
        let year = filter
            .year
            .trim()
            .parse::<i16>()
            .ok()
            .and_then(|y| jiff::civil::Date::new(y, 4, 1).ok())
            .map(domain::reports::financial_year);
        let store_filter = DecisionFilter {
            every_office: true,
            published_by: Some(self.today().to_string()),
            from: year.map(|y| y.0.to_string()),
            to: year.map(|y| y.1.to_string()),
            words: filter.words.clone(),
            recipient: filter.recipient.clone(),
            provider: filter.provider.clone(),
            objective: filter.objective.clone(),
            ..DecisionFilter::default()
        };
        let page = store::commissioning::page_of_decisions(
            &mut conn,
            &store_filter,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        Ok(page.map(published))
    }

    /// Every published decision the filter lets through, with its amounts,
    /// latest published first: the register's downloads and feed.
    pub async fn register_download(&self, filter: &RegisterFilter) -> Result<Vec<PublicDecision>> {
        let mut request = ListRequest {
            sort: DecisionSort::Day,
            descending: true,
            start: crate::paging::Start::First,
        };
        let mut all = Vec::new();
        loop {
            let page = self.register(filter, &request).await?;
            let last = page.rows.last().map(|d| d.id.clone());
            for d in page.rows {
                if let Some(p) = self.published_decision(&d.id).await? {
                    all.push(p);
                }
            }
            match (page.later, last) {
                (true, Some(id)) => request.start = crate::paging::Start::After(id),
                _ => break,
            }
        }
        Ok(all)
    }

    /// A page of the funded services: every office's contracts and grants,
    /// with their providers' services, periods and values, narrowed to a
    /// provider and an objective when named.
    pub async fn funded_services(
        &self,
        filter: &FundedFilter,
        request: &ListRequest<ContractSort>,
    ) -> Result<Page<FundedService>> {
        let mut conn = self.db.conn().await?;
        let named = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let page = store::commissioning::page_of_contracts(
            &mut conn,
            &ContractFilter {
                office: None,
                provider: named(&filter.provider),
                objective: named(&filter.objective),
            },
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        let everything = domain::policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let services = store::directory::list_services(&mut conn, &everything).await?;
        let organisations = store::directory::list_organisations(&mut conn).await?;
        let all_objectives = store::commissioning::objectives(&mut conn, None).await?;
        let mut rows = Vec::new();
        for contract in &page.rows {
            let served = store::commissioning::contract_objectives(&mut conn, &contract.id).await?;
            let parts = store::commissioning::contract_parts(&mut conn, &contract.id).await?;
            rows.push(FundedService {
                objectives: all_objectives
                    .iter()
                    .filter(|o| served.contains(&o.id))
                    .map(|o| (o.id.clone(), format!("{}: {}", o.code, o.title)))
                    .collect(),
                office: organisations
                    .iter()
                    .find(|o| o.id == contract.office_id)
                    .map_or_else(String::new, |o| o.name.clone()),
                services: services
                    .iter()
                    .filter(|s| parts.service_ids.contains(&s.id))
                    .map(|s| s.name.clone())
                    .collect(),
                contract: contract.clone(),
            });
        }
        Ok(Page {
            rows,
            total: page.total,
            more_than_total: page.more_than_total,
            earlier: page.earlier,
            later: page.later,
        })
    }

    /// Every funded service the filter lets through, by reference: the
    /// register's download.
    pub async fn funded_download(&self, filter: &FundedFilter) -> Result<Vec<FundedService>> {
        let mut request = ListRequest::default();
        let mut all = Vec::new();
        loop {
            let page = self.funded_services(filter, &request).await?;
            let last = page.rows.last().map(|f| f.contract.id.clone());
            all.extend(page.rows);
            match (page.later, last) {
                (true, Some(id)) => request.start = crate::paging::Start::After(id),
                _ => break,
            }
        }
        Ok(all)
    }

    /// The providers funded and the objectives served, each (id, name) by
    /// name: the register's filters.
    pub async fn funded_choices(&self) -> Result<FundedChoices> {
        let mut conn = self.db.conn().await?;
        Ok(FundedChoices {
            providers: store::commissioning::funded_providers(&mut conn).await?,
            objectives: store::commissioning::served_objectives(&mut conn)
                .await?
                .into_iter()
                .map(|o| (o.id, format!("{}: {}", o.code, o.title)))
                .collect(),
        })
    }

    /// Every recipient named in a published decision, for the filter.
    pub async fn register_recipients(&self) -> Result<Vec<String>> {
        let mut conn = self.db.conn().await?;
        Ok(
            store::commissioning::published_recipients(&mut conn, &self.today().to_string())
                .await?,
        )
    }

    /// A published decision, or nothing: a draft, or one deferred, is not
    /// found.
    pub async fn published_decision(&self, id: &str) -> Result<Option<PublicDecision>> {
        let mut conn = self.db.conn().await?;
        let Some(decision) = store::commissioning::find_decision(&mut conn, id).await? else {
            return Ok(None);
        };
        let today = self.today().to_string();
        let out = decision.stage != "approved"
            || decision
                .publish_on
                .as_deref()
                .is_none_or(|d| d > today.as_str());
        if out {
            return Ok(None);
        }
        let amounts = store::commissioning::amounts(&mut conn, id).await?;
        let corrected_by = store::commissioning::corrected_by(&mut conn, id).await?;
        let affects = store::commissioning::affects(&mut conn, id)
            .await?
            .into_iter()
            .map(|a| a.label)
            .collect();
        Ok(Some(PublicDecision {
            affects,
            withheld: Exemption::parse(&decision.exemption).map(|e| e.label()),
            section_b_withheld: SectionB::parse(&decision.section_b) == Some(SectionB::Withheld),
            decision: published(decision),
            amounts,
            corrected_by,
        }))
    }
}
