//! Areas: police force areas and local authority districts.

use domain::directory::AreaKind;
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::directory::Area;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::directory::messages::DirectoryMessage;

impl App {
    pub async fn areas(&self, actor: &Actor) -> Result<Vec<Area>> {
        if !policy::may_somewhere(actor, Action::ViewDirectory) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_areas(&mut conn).await?)
    }

    /// Only system administrators add areas.
    pub async fn create_area(&self, actor: &Actor, input: &NewArea) -> Result<Area> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", &input.name, "the area's name", 200);
        let kind = AreaKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", DirectoryMessage::ChooseWhetherPoliceForceArea);
        }
        let parent_id = blank_to_none(&input.parent_id);
        let mut conn = self.db.conn().await?;
        if let Some(parent) = &parent_id
            && store::directory::find_area(&mut conn, parent)
                .await?
                .is_none()
        {
            errors.add("parent_id", DirectoryMessage::ChooseAreaList);
        }
        drop(conn);
        if kind == Some(AreaKind::LocalAuthority) && parent_id.is_none() {
            errors.add("parent_id", DirectoryMessage::ChoosePoliceForceAreaDistrict);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let area = Area {
            id: new_id(),
            name,
            kind: kind.map(|k| k.code()).unwrap_or_default().to_string(),
            parent_id,
            created_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_area(tx.conn(), &area)
            .await
            .map_err(|e| unique_as_field(e, "name", DirectoryMessage::AreaNameTaken))?;
        let change = Change::new(AuditAction::AreaCreated, "area", &area.id)
            .after(json!({ "name": area.name, "kind": area.kind, "parent_id": area.parent_id }));
        tx.commit(change).await?;
        Ok(area)
    }
}
