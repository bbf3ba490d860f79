//! Who is on duty now: each rota's duty role and how to reach it, for
//! staff and for partners' systems. Never a person's own number; the
//! worker's name only for the staff of the rota's services.

use domain::policy::{self, Action, Actor};
use serde::Serialize;
use utoipa::ToSchema;

use crate::duty::access::may_on;
use crate::{App, AppError, Result};

/// A rota's duty now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnDuty {
    /// The rota's id: where a partner sends duty requests.
    pub rota_id: String,
    pub rota: String,
    /// The duty role, such as "Duty IDVA".
    pub role: String,
    /// The duty line.
    pub contact: String,
    /// Whether anyone holds the shift running now.
    pub covered: bool,
    /// When the shift running now ends (UTC), if one is.
    pub until: Option<String>,
    /// Who holds it: only for the staff of the rota's services.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<String>,
}

impl App {
    /// Every rota's duty at this moment. The worker's name is given only to
    /// staff of a service sharing the rota.
    /// Staff who see the directory or casework, and partners' tokens
    /// reading the directory, see it.
    pub async fn on_duty_now(&self, actor: &Actor) -> Result<Vec<OnDuty>> {
        if !policy::may_somewhere(actor, Action::ViewDirectory)
            && !policy::may_somewhere(actor, Action::ViewCases)
        {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let rotas = store::duty::rotas(&mut conn).await?;
        let services = store::duty::rota_services(&mut conn).await?;
        let running = store::duty::shifts_at(&mut conn, &self.clock.now_text()).await?;
        Ok(rotas
            .into_iter()
            .map(|r| {
                let own: Vec<_> = services
                    .iter()
                    .filter(|s| s.rota_id == r.id)
                    .cloned()
                    .collect();
                let shift = running.iter().find(|s| s.rota_id == r.id);
                OnDuty {
                    covered: shift.is_some(),
                    until: shift.map(|s| s.ends_at.clone()),
                    worker: shift
                        .filter(|_| may_on(actor, Action::ViewCases, &own))
                        .map(|s| s.worker_name.clone()),
                    rota_id: r.id,
                    rota: r.name,
                    role: r.role,
                    contact: r.contact,
                }
            })
            .collect())
    }
}
