//! Correcting a call-out: what was recorded wrongly, and the criminal
//! justice outcome once it is known. The victim stays as recorded; the
//! audit log keeps what it said before and after.

use domain::policy::{Action, Actor};
use domain::validation::FieldErrors;
use serde_json::json;
use store::programmes::{CallOut, Programme};

use crate::audit::{AuditAction, Change};
use crate::programmes::CallOutInput;
use crate::programmes::access::reached;
use crate::programmes::record::{audited, checked};
use crate::{App, AppError, Result, Seen};

impl App {
    /// A call-out to correct, with its programme: a read of its victim's
    /// name, audited.
    pub async fn call_out_to_correct(
        &self,
        actor: &Actor,
        programme_id: &str,
        call_out_id: &str,
    ) -> Result<Seen<(Programme, CallOut)>> {
        let mut conn = self.db.conn().await?;
        let reached = reached(&mut conn, actor, programme_id, Action::ManageCases).await?;
        let call_out = store::programmes::call_out(&mut conn, call_out_id)
            .await?
            .filter(|c| c.programme_id == programme_id)
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let read = Change::new(AuditAction::CallOutViewed, "call_out", call_out_id)
            .place(
                Some(&reached.service.organisation_id),
                Some(&reached.service.id),
            )
            .after(json!({ "person_id": call_out.person_id }));
        self.disclose(actor, read, (reached.programme, call_out))
            .await
    }

    pub async fn correct_call_out(
        &self,
        actor: &Actor,
        programme_id: &str,
        call_out_id: &str,
        input: &CallOutInput,
    ) -> Result<()> {
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let reached = reached(tx.conn(), actor, programme_id, Action::ManageCases).await?;
        let before = store::programmes::call_out(tx.conn(), call_out_id)
            .await?
            .filter(|c| c.programme_id == programme_id)
            .ok_or(AppError::NotFound)?;
        let areas = store::directory::list_areas(tx.conn()).await?;
        let mut errors = FieldErrors::new();
        let mut after = checked(
            input,
            &reached.programme,
            &areas,
            self.clock.now(),
            &mut errors,
        );
        errors.into_result().map_err(AppError::Invalid)?;
        after.id = before.id.clone();
        after.person_id = before.person_id.clone();
        store::programmes::correct_call_out(tx.conn(), &after, &now).await?;
        tx.commit(
            Change::new(AuditAction::CallOutCorrected, "call_out", call_out_id)
                .place(
                    Some(&reached.service.organisation_id),
                    Some(&reached.service.id),
                )
                .before(audited(&before))
                .after(audited(&after)),
        )
        .await
    }
}
