//! An office's decisions as its staff see them, drafts included, and one
//! decision with its amounts, consultations and what may be done next.

use domain::commissioning::{Consultee, DecisionStage, stage_on};
use domain::policy::{self, Action, Actor};
use store::commissioning::{Amount, Consultation, Decision, DecisionFilter, DecisionSort};

use super::access::{check_office, office_place};
use super::consult::consultee_of;
use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::{App, AppError, Result};

/// A page of an office's decisions.
#[derive(Debug, Clone)]
pub struct DecisionList {
    pub decisions: Page<Decision>,
    pub may_draft: bool,
}

/// A decision as the office's staff see it.
#[derive(Debug, Clone)]
pub struct DecisionView {
    pub decision: Decision,
    /// Its stage today: approved decisions are published from their day.
    pub stage: DecisionStage,
    pub amounts: Vec<Amount>,
    pub consultations: Vec<Consultation>,
    /// The decisions that correct it: (id, number).
    pub corrected_by: Vec<(String, String)>,
    /// How its amounts were split from one sum, if they were.
    pub split: Option<store::commissioning::Split>,
    /// The contracts and programmes it affects.
    pub affects: Vec<store::commissioning::Affected>,
    pub may_amend: bool,
    /// The consultee the reader is, if their approval is still wanted.
    pub may_consult_as: Option<Consultee>,
    pub may_approve: bool,
}

impl App {
    /// The actor's office's decisions, latest number first unless asked,
    /// narrowed by words in the number or title.
    pub async fn office_decisions(
        &self,
        actor: &Actor,
        words: &str,
        request: &ListRequest<DecisionSort>,
    ) -> Result<DecisionList> {
        let office = actor.organisation_id.clone();
        check_office(actor, &office, Action::ViewCommissioning)?;
        let filter = DecisionFilter {
            offices: vec![office.clone()],
            words: words.to_string(),
            ..DecisionFilter::default()
        };
        let mut conn = self.db.conn().await?;
        let decisions = store::commissioning::page_of_decisions(
            &mut conn,
            &filter,
            request.sort,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        Ok(DecisionList {
            decisions,
            may_draft: policy::may(actor, Action::ManageCommissioning, &office_place(&office)),
        })
    }

    pub async fn decision(&self, actor: &Actor, id: &str) -> Result<DecisionView> {
        let mut conn = self.db.conn().await?;
        let decision = store::commissioning::find_decision(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        check_office(actor, &decision.office_id, Action::ViewCommissioning)?;
        let amounts = store::commissioning::amounts(&mut conn, id).await?;
        let consultations = store::commissioning::consultations(&mut conn, id).await?;
        let corrected_by = store::commissioning::corrected_by(&mut conn, id).await?;
        let split = store::commissioning::split_of(&mut conn, id).await?;
        let affects = store::commissioning::affects(&mut conn, id).await?;
        let stored = DecisionStage::parse(&decision.stage)
            .ok_or_else(|| AppError::Internal("a stored stage".into()))?;
        let publish_on = decision.publish_on.as_deref().and_then(|d| d.parse().ok());
        let stage = stage_on(stored, publish_on, self.today());
        let place = office_place(&decision.office_id);
        let open = matches!(stored, DecisionStage::Draft | DecisionStage::Consulted);
        let may_consult_as = consultee_of(actor)
            .filter(|_| open && policy::may(actor, Action::ConsultOnDecisions, &place))
            .filter(|who| !consultations.iter().any(|c| c.consultee == who.code()));
        Ok(DecisionView {
            stage,
            may_amend: open && policy::may(actor, Action::ManageCommissioning, &place),
            may_consult_as,
            may_approve: stored == DecisionStage::Consulted
                && policy::may(actor, Action::ApproveDecisions, &place),
            decision,
            amounts,
            consultations,
            corrected_by,
            split,
            affects,
        })
    }
}
