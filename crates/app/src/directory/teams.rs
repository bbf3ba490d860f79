//! Teams within a service.

use domain::policy::{self, Action, Actor};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::directory::Team;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::directory::messages::DirectoryMessage;

impl App {
    pub async fn teams(&self, actor: &Actor, service_id: Option<&str>) -> Result<Vec<Team>> {
        let visibility = policy::visibility(actor, Action::ViewDirectory);
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_teams(&mut conn, &visibility, service_id).await?)
    }

    pub async fn team(&self, actor: &Actor, id: &str) -> Result<Team> {
        let visibility = policy::visibility(actor, Action::ViewDirectory);
        let mut conn = self.db.conn().await?;
        store::directory::find_team(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Service managers and administrators add teams to a service.
    pub async fn create_team(
        &self,
        actor: &Actor,
        service_id: &str,
        input: &NewTeam,
    ) -> Result<Team> {
        let service = self.service(actor, service_id).await?;
        if !policy::may(actor, Action::ManageTeams, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the team's name", 120);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_team(tx.conn(), &id, &service.id, &name, &now)
            .await
            .map_err(|e| unique_as_field(e, "name", DirectoryMessage::TeamNameTaken))?;
        let change = Change::new(AuditAction::TeamCreated, "team", &id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "name": name, "service_id": service.id }));
        tx.commit(change).await?;
        self.team(actor, &id).await
    }

    /// Renames a team; the old and new names are audited.
    pub async fn rename_team(&self, actor: &Actor, team_id: &str, input: &NewTeam) -> Result<Team> {
        let team = self.team(actor, team_id).await?;
        let service = self.service(actor, &team.service_id).await?;
        if !policy::may(actor, Action::ManageTeams, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the team's name", 120);
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::directory::rename_team(tx.conn(), &team.id, &name)
            .await
            .map_err(|e| unique_as_field(e, "name", DirectoryMessage::TeamNameTaken))?;
        let change = Change::new(AuditAction::TeamRenamed, "team", &team.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .before(json!({ "name": team.name }))
            .after(json!({ "name": name }));
        tx.commit(change).await?;
        self.team(actor, &team.id).await
    }
}
