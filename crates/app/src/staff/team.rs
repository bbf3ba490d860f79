//! Moving someone to another team of their service.

use domain::policy::{self, Actor};
use serde_json::json;
use store::users::User;

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::staff::messages::StaffMessage;
use crate::{App, AppError, Result};

impl App {
    /// Moves a staff member to another team of their service, or to none.
    pub async fn set_staff_team(
        &self,
        actor: &Actor,
        id: &str,
        team_id: Option<&str>,
    ) -> Result<User> {
        let user = self.managed_user(actor, id).await?;
        let team_id = team_id.map(str::trim).filter(|t| !t.is_empty());
        if let Some(team) = team_id {
            let everything = policy::Visibility {
                everything: true,
                ..Default::default()
            };
            let mut conn = self.db.conn().await?;
            match store::directory::find_team(&mut conn, team, &everything).await? {
                Some(t) if Some(&t.service_id) == user.service_id.as_ref() => {}
                _ => {
                    return Err(AppError::invalid(
                        "team_id",
                        StaffMessage::ChooseTeamPersonsServiceNone,
                    ));
                }
            }
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::users::set_team(tx.conn(), &user.id, team_id).await?;
        let change = Change::new(AuditAction::UserTeamChanged, "user", &user.id)
            .place(Some(&user.organisation_id), user.service_id.as_deref())
            .before(json!({ "team_id": user.team_id }))
            .after(json!({ "team_id": team_id }));
        let updated = store::users::find(tx.conn(), &user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(updated)
    }
}
