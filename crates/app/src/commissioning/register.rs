//! The public register: published decisions of every office, for anyone,
//! with no sign-in. What is exempt is withheld with its reason; drafts and
//! decisions whose publication is deferred are not there at all.

use domain::commissioning::{Exemption, SectionB};
use store::commissioning::{Amount, Decision, DecisionFilter, DecisionSort};

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

    /// The funded services: every office's contracts and grants, with their
    /// providers' services, periods and values, narrowed to a provider.
    pub async fn funded_services(
        &self,
        provider: &str,
        objective: &str,
    ) -> Result<Vec<FundedService>> {
        let mut conn = self.db.conn().await?;
        let everything = domain::policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let services = store::directory::list_services(&mut conn, &everything).await?;
        let organisations = store::directory::list_organisations(&mut conn).await?;
        let provider = provider.trim();
        let objective = objective.trim();
        let all_objectives = store::commissioning::objectives(&mut conn, None).await?;
        let mut out = Vec::new();
        for contract in store::commissioning::contracts_of(&mut conn, None, None).await? {
            if !provider.is_empty() && contract.provider_id != provider {
                continue;
            }
            let served = store::commissioning::contract_objectives(&mut conn, &contract.id).await?;
            if !objective.is_empty() && !served.iter().any(|o| o == objective) {
                continue;
            }
            let parts = store::commissioning::contract_parts(&mut conn, &contract.id).await?;
            out.push(FundedService {
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
                contract,
            });
        }
        Ok(out)
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
        Ok(Some(PublicDecision {
            withheld: Exemption::parse(&decision.exemption).map(|e| e.label()),
            section_b_withheld: SectionB::parse(&decision.section_b) == Some(SectionB::Withheld),
            decision: published(decision),
            amounts,
            corrected_by,
        }))
    }
}
