//! Who reaches a programme: the staff of the service that delivers it see
//! it and its call-outs, its workers record them, and the commissioners of
//! the service see its evaluation, protected.

use domain::policy::{self, Action, Actor, Place, Visibility};
use store::directory::Service;
use store::programmes::Programme;

use crate::directory::place_of_service;
use crate::{AppError, Result};

/// A programme and the service delivering it.
pub(crate) struct Reached {
    pub programme: Programme,
    pub service: Service,
}

impl Reached {
    pub fn place(&self) -> Place {
        place_of_service(&self.service)
    }
}

/// The programme, if the actor may do `action` where it is delivered;
/// otherwise not found, the same as one that does not exist.
pub(crate) async fn reached(
    conn: &mut store::Conn,
    actor: &Actor,
    id: &str,
    action: Action,
) -> Result<Reached> {
    reached_by_any(conn, actor, id, &[action]).await
}

/// The programme, if the actor may do any of `actions` where it is
/// delivered (a system administrator's actions anywhere).
pub(crate) async fn reached_by_any(
    conn: &mut store::Conn,
    actor: &Actor,
    id: &str,
    actions: &[Action],
) -> Result<Reached> {
    let programme = store::programmes::find(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let everything = Visibility {
        everything: true,
        ..Visibility::default()
    };
    let service = store::directory::find_service(conn, &programme.service_id, &everything)
        .await?
        .ok_or(AppError::NotFound)?;
    let place = place_of_service(&service);
    // Setting programmes up is a system administrator's, wherever they are.
    if !actions.iter().any(|a| match a {
        Action::ManageDirectory => policy::may(actor, *a, &Place::default()),
        _ => policy::may(actor, *a, &place),
    }) {
        return Err(AppError::NotFound);
    }
    Ok(Reached { programme, service })
}
