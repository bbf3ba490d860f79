//! Organisations: commissioners, providers, police and partners.

use domain::directory::OrganisationKind;
use domain::policy::{self, Action, Actor, Place};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::directory::Organisation;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

use super::*;
use crate::directory::messages::DirectoryMessage;

impl App {
    pub async fn organisations(&self, actor: &Actor) -> Result<Vec<Organisation>> {
        if !policy::may_somewhere(actor, Action::ViewDirectory)
            && !policy::may_somewhere(actor, Action::ManageStaff)
        {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::directory::list_organisations(&mut conn).await?)
    }

    /// Only system administrators add organisations.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: &NewOrganisation,
    ) -> Result<Organisation> {
        if !policy::may(actor, Action::ManageDirectory, &Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let name = required_text(
            &mut errors,
            "name",
            &input.name,
            "the organisation's name",
            200,
        );
        let kind = OrganisationKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", DirectoryMessage::ChooseWhatKindOrganisation);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let org = Organisation {
            id: new_id(),
            name,
            kind: kind.map(|k| k.code()).unwrap_or_default().to_string(),
            created_at: now.clone(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::directory::insert_organisation(tx.conn(), &org)
            .await
            .map_err(|e| unique_as_field(e, "name", DirectoryMessage::OrganisationNameTaken))?;
        let change = Change::new(AuditAction::OrganisationCreated, "organisation", &org.id)
            .place(Some(&org.id), None)
            .after(json!({ "name": org.name, "kind": org.kind }));
        tx.commit(change).await?;
        Ok(org)
    }
}
