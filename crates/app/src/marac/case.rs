//! A case on a MARAC's agenda, as the meeting sees it: the referral, who
//! it is about, the children and the alleged perpetrators (names and dates
//! of birth only, never an address or contacts), the research the actor's
//! agency may read, the actions and the outcome. Never the case file.

use domain::cases::Relationship;
use domain::policy::{self, Action, Actor};
use serde_json::json;
use store::cases::LinkedPerson;
use store::marac::{Agency, Marac, MaracReferral, Meeting, Research, Subject};

use crate::audit::{AuditAction, Change};
use crate::marac::access::{agency_of, marac_place, referral_for};
use crate::{App, AppError, Result, Seen};

#[derive(Debug, Clone)]
pub struct MaracCaseView {
    pub referral: MaracReferral,
    pub marac: Marac,
    pub meeting: Meeting,
    pub subject: Subject,
    pub children: Vec<LinkedPerson>,
    pub perpetrators: Vec<LinkedPerson>,
    pub research: Vec<Research>,
    pub actions: Vec<store::marac::Action>,
    pub agency: Option<Agency>,
    pub agencies: Vec<Agency>,
    pub can_run: bool,
    pub can_contribute: bool,
}

/// A case read, or the meeting whose confidentiality must be acknowledged
/// before it can be.
#[derive(Debug)]
pub enum MaracCaseRead {
    Seen(Box<Seen<MaracCaseView>>),
    AcknowledgeFirst { meeting_id: String },
}

impl App {
    pub async fn marac_case(&self, actor: &Actor, referral_id: &str) -> Result<MaracCaseRead> {
        let mut conn = self.db.conn().await?;
        let referral = referral_for(&mut conn, actor, referral_id, Action::ViewMarac).await?;
        if !store::marac::has_acknowledged(&mut conn, &referral.meeting_id, &actor.id).await? {
            return Ok(MaracCaseRead::AcknowledgeFirst {
                meeting_id: referral.meeting_id,
            });
        }
        let marac = store::marac::maracs(&mut conn)
            .await?
            .into_iter()
            .find(|m| m.id == referral.marac_id)
            .ok_or(AppError::NotFound)?;
        let meeting = store::marac::meeting(&mut conn, &referral.meeting_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let subject = store::marac::subject(&mut conn, &referral.person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let linked = store::cases::linked_people(&mut conn, &referral.case_id).await?;
        let (children, perpetrators) = (
            linked
                .iter()
                .filter(|l| l.relationship == Relationship::Child.code())
                .cloned()
                .collect(),
            linked
                .iter()
                .filter(|l| l.relationship == Relationship::Perpetrator.code())
                .cloned()
                .collect(),
        );
        let agency = agency_of(&mut conn, actor, &marac.id).await?;
        let research = store::marac::research_of(
            &mut conn,
            &referral.id,
            agency.as_ref().map(|a| a.id.as_str()),
        )
        .await?;
        let place = marac_place(&marac.id);
        let view = MaracCaseView {
            actions: store::marac::actions_of_referral(&mut conn, &referral.id).await?,
            agencies: store::marac::agencies(&mut conn, &marac.id).await?,
            can_run: policy::may(actor, Action::RunMarac, &place),
            can_contribute: policy::may(actor, Action::ContributeToMarac, &place),
            referral,
            marac,
            meeting,
            subject,
            children,
            perpetrators,
            research,
            agency,
        };
        drop(conn);
        let read = Change::new(
            AuditAction::MaracCaseViewed,
            "marac_referral",
            &view.referral.id,
        )
        .place(None, Some(&view.referral.service_id))
        .after(json!({
            "marac_id": view.marac.id,
            "research_read": view.research.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        }));
        Ok(MaracCaseRead::Seen(Box::new(
            self.disclose(actor, read, view).await?,
        )))
    }
}
