//! The programmes someone may see, and one programme with a page of its
//! call-outs: a read of the victims named on it, audited.

use domain::policy::{self, Action, Actor};
use serde_json::json;
use store::programmes::{CallOut, Partner, Programme};

use crate::audit::{AuditAction, Change};
use crate::directory::place_of_service;
use crate::paging::{ListRequest, PAGE_SIZE, Page};
use crate::programmes::access::reached;
use crate::{App, Result, Seen};

/// A programme as its service's staff see it.
#[derive(Debug, Clone)]
pub struct ProgrammeView {
    pub programme: Programme,
    pub partners: Vec<Partner>,
    /// The baseline's aggregate figures, if imported: (measure, count).
    pub baseline: Vec<(String, i64)>,
    pub call_outs: Page<CallOut>,
    /// The published decisions that say they affect it: (id, number,
    /// title, total pence).
    pub decisions: Vec<(String, String, String, i64)>,
    /// Whether the reader records call-outs, and imports the baseline.
    pub may_record: bool,
    pub may_import: bool,
}

impl App {
    /// The programmes delivered by services whose casework the actor sees,
    /// or which they commission.
    pub async fn programmes(&self, actor: &Actor) -> Result<Vec<Programme>> {
        let mut conn = self.db.conn().await?;
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        let services = store::directory::list_services(&mut conn, &everything).await?;
        Ok(store::programmes::programmes(&mut conn)
            .await?
            .into_iter()
            .filter(|p| {
                services.iter().any(|s| {
                    let place = place_of_service(s);
                    s.id == p.service_id
                        && [Action::ViewCases, Action::ViewAggregates]
                            .iter()
                            .any(|a| policy::may(actor, *a, &place))
                })
            })
            .collect())
    }

    /// A programme with a page of its call-outs, the latest first unless
    /// asked: for the staff of its service.
    pub async fn programme(
        &self,
        actor: &Actor,
        id: &str,
        request: &ListRequest<()>,
    ) -> Result<Seen<ProgrammeView>> {
        let mut conn = self.db.conn().await?;
        let reached = reached(&mut conn, actor, id, Action::ViewCases).await?;
        let partners = store::programmes::partners(&mut conn, id).await?;
        let baseline = store::programmes::baseline(&mut conn, id).await?;
        let call_outs = store::programmes::page_of_call_outs(
            &mut conn,
            id,
            request.descending,
            &request.start,
            PAGE_SIZE,
        )
        .await?;
        let decisions = store::commissioning::decisions_affecting_programme(
            &mut conn,
            id,
            &self.today().to_string(),
        )
        .await?;
        drop(conn);
        let place = reached.place();
        let read = Change::new(AuditAction::CallOutsViewed, "programme", id)
            .place(
                Some(&reached.service.organisation_id),
                Some(&reached.service.id),
            )
            .after(json!({
                "call_outs": call_outs.rows.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
            }));
        let view = ProgrammeView {
            programme: reached.programme,
            partners,
            baseline,
            call_outs,
            decisions,
            may_record: policy::may(actor, Action::ManageCases, &place),
            may_import: policy::may(actor, Action::AllocateCases, &place),
        };
        self.disclose(actor, read, view).await
    }
}
