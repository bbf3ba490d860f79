//! Who reaches a rota: the staff of the services that share it see it, and
//! their managers plan the shifts of their own services' workers.

use domain::policy::{self, Action, Actor};
use store::duty::{Rota, RotaService};

use crate::{AppError, Result};

/// A rota with the services sharing it.
pub(crate) struct Shared {
    pub rota: Rota,
    pub services: Vec<RotaService>,
}

/// Whether the actor may do `action` in any of the rota's services.
pub(crate) fn may_on(actor: &Actor, action: Action, services: &[RotaService]) -> bool {
    services
        .iter()
        .any(|s| policy::may(actor, action, &service_place(s)))
}

/// A rota's service as the policy places it, for casework and planning
/// (commissioners reach neither, so their fields are not needed).
pub(crate) fn service_place(s: &RotaService) -> policy::Place {
    policy::Place {
        organisation_id: Some(s.organisation_id.clone()),
        service_id: Some(s.service_id.clone()),
        ..policy::Place::default()
    }
}

/// The rota, if the actor sees it (staff of a service sharing it);
/// otherwise not found, the same as one that does not exist.
pub(crate) async fn shared(conn: &mut store::Conn, actor: &Actor, rota_id: &str) -> Result<Shared> {
    let rota = store::duty::rotas(conn)
        .await?
        .into_iter()
        .find(|r| r.id == rota_id)
        .ok_or(AppError::NotFound)?;
    let services: Vec<RotaService> = store::duty::rota_services(conn)
        .await?
        .into_iter()
        .filter(|s| s.rota_id == rota.id)
        .collect();
    if !may_on(actor, Action::ViewCases, &services) {
        return Err(AppError::NotFound);
    }
    Ok(Shared { rota, services })
}
