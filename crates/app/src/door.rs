//! The one door for every change of state.
//!
//! A use case opens a [`Write`] with [`App::write`]: one write transaction,
//! in which it loads the record it changes, checks the policy for that
//! record, validates and writes. The only way to commit is
//! [`Write::commit`] (or [`Write::commit_all`]), which takes the change's
//! audit events, appends them to the chain and commits, all in that one
//! transaction. A `Write` dropped without committing keeps nothing.
//!
//! Reads of personal data go through the door too: [`App::disclose`]
//! records the read and is the only maker of [`Seen`], the wrapper such use
//! cases return.
//!
//! Checks made before the transaction are races: a case closed between the
//! check and the write would still be changed. So the loading helpers a use
//! case checks with ([`Write::open_case`], [`Write::service`]) read through
//! the transaction.

use domain::policy::{self, Action, Actor};
use store::directory::Service;
use store::{Conn, WriteTx};

use crate::audit::{Change, record_many};
use crate::{App, AppError, Result};

/// A change under way: a write transaction and who makes it.
pub struct Write<'a> {
    actor: Option<&'a Actor>,
    /// The one-time key of the form the change was sent from; recorded with
    /// the change. A read recorded through the door carries none.
    submission: Option<&'a str>,
    label: String,
    now: String,
    tx: WriteTx,
}

impl App {
    /// Opens the door for a change by `actor`, stamped `now`.
    pub(crate) async fn write<'a>(&self, actor: &'a Actor, now: &str) -> Result<Write<'a>> {
        Ok(Write {
            actor: Some(actor),
            submission: actor.submission.as_deref(),
            label: actor.label.clone(),
            now: now.to_string(),
            tx: self.db.begin_write(now).await?,
        })
    }

    /// Opens the door for a change that no signed-in person makes: a failed
    /// sign-in, or work at the command line, under `label`.
    pub(crate) async fn write_unattributed(
        &self,
        label: &str,
        now: &str,
    ) -> Result<Write<'static>> {
        Ok(Write {
            actor: None,
            submission: None,
            label: label.to_string(),
            now: now.to_string(),
            tx: self.db.begin_write(now).await?,
        })
    }

    /// Hands out personal data read for `actor`, after recording the read
    /// (`read` names the record, its place and how it was reached). Reads
    /// made at the same moment are committed together, one transaction for
    /// the batch (`audit::ReadLog`); each waits until its own event is
    /// durable. The only way to make a [`Seen`].
    pub(crate) async fn disclose<T>(
        &self,
        actor: &Actor,
        read: Change,
        value: T,
    ) -> Result<Seen<T>> {
        if !read.action.is_read() {
            return Err(AppError::Internal(format!(
                "{} is not a read",
                read.action.code()
            )));
        }
        // A read does not use up the form's key it was sent with: only the
        // change the form asked for does.
        let event = crate::audit::event(&self.clock.now_text(), Some(actor), &actor.label, read);
        self.reads.record(&self.db, &self.clock, event).await?;
        Ok(Seen(value))
    }
}

/// Personal data on its way to a person: made only by [`App::disclose`],
/// after the read was recorded, so a use case that returns a `Seen` cannot
/// forget to audit it.
#[derive(Debug)]
pub struct Seen<T>(T);

impl<T> Seen<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Seen<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl Write<'_> {
    /// The transaction's connection, for the use case's reads and writes.
    pub fn conn(&mut self) -> &mut Conn {
        self.tx.conn()
    }

    /// Who makes the change ("" for the system itself).
    pub fn actor_id(&self) -> &str {
        self.actor.map(|a| a.id.as_str()).unwrap_or_default()
    }

    /// When the change is made.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// Appends the change's audit event and commits. `Ok` means durable.
    pub async fn commit(self, change: Change) -> Result<()> {
        self.commit_all(vec![change]).await
    }

    /// Appends several audit events, in order, and commits.
    pub async fn commit_all(mut self, changes: Vec<Change>) -> Result<()> {
        if changes.is_empty() {
            return Err(AppError::Internal(
                "a change must record what it changed".into(),
            ));
        }
        // The form's one-time key commits with the change, so a form sent
        // twice changes once, and a change that fails leaves the key unused.
        if let (Some(actor), Some(key)) = (self.actor, self.submission)
            && !store::sessions::record_submission(self.tx.conn(), key, &actor.id, &self.now)
                .await?
        {
            return Err(AppError::AlreadySent);
        }
        record_many(self.tx.conn(), &self.now, self.actor, &self.label, changes).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Appends the audit events of changes made for several actors at once
    /// (referrals sent at the same moment by different senders, written in
    /// one transaction), each attributed to its own actor, and commits. A
    /// change with no events at all keeps nothing.
    pub async fn commit_for(mut self, changes: Vec<(&Actor, Vec<Change>)>) -> Result<()> {
        if changes.iter().all(|(_, events)| events.is_empty()) {
            return self.abandon().await;
        }
        for (actor, events) in changes {
            if events.is_empty() {
                continue;
            }
            if let Some(key) = actor.submission.as_deref()
                && !store::sessions::record_submission(self.tx.conn(), key, &actor.id, &self.now)
                    .await?
            {
                return Err(AppError::AlreadySent);
            }
            record_many(self.tx.conn(), &self.now, Some(actor), &actor.label, events).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }

    /// Commits a write that changes no record anyone reads as casework or
    /// administration: sign-in counters and sessions. Every other change
    /// commits with its audit event.
    pub async fn commit_housekeeping(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Ends the transaction keeping nothing, when the use case finds there
    /// is nothing to change (a referral already received, say).
    pub async fn abandon(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// A service by id, read in the transaction.
    pub async fn service(&mut self, id: &str) -> Result<Service> {
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        store::directory::find_service(self.conn(), id, &everything)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A case this actor may change, read in the transaction: visible to
    /// them, the action allowed in its service, and still open. Because it is
    /// read here, a case closed by someone else a moment ago is refused.
    pub async fn open_case(
        &mut self,
        id: &str,
        action: Action,
    ) -> Result<(store::cases::Case, Service)> {
        let actor = self.actor.ok_or(AppError::Forbidden)?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let case = store::cases::find_visible(self.conn(), id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let service = self.service(&case.service_id).await?;
        crate::cases::may_change_case(actor, action, &case, &service)?;
        Ok((case, service))
    }
}

#[cfg(test)]
mod tests {
    /// Every change goes through the door: nothing outside it begins a
    /// write transaction or appends to the audit chain.
    #[test]
    fn no_use_case_opens_a_transaction_of_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let relative = path.strip_prefix(&root).expect("inside src");
                if relative == std::path::Path::new("door.rs")
                    || relative.starts_with("audit")
                    || path.extension().is_none_or(|e| e != "rs")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("read");
                for needle in ["begin_write(", "record_many(", "audit::record("] {
                    if text.contains(needle) {
                        offenders.push(format!("{} uses {needle}", relative.display()));
                    }
                }
                if text.contains("commit_housekeeping(") && !relative.starts_with("auth") {
                    offenders.push(format!("{} commits without audit", relative.display()));
                }
            }
        }
        assert!(offenders.is_empty(), "{offenders:#?}");
    }
}
