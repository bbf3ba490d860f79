//! Group commit for read events: many people's reads recorded in one
//! transaction, so a read waits for one sync shared with whoever read at the
//! same moment instead of queueing behind each of them in turn (ADR 11).
//!
//! A reader still gets its data only after its own event has committed: the
//! batch is no weaker than a transaction per read. Events are chained in the
//! order they arrived, under the chain head's lock in the database, so the
//! chain verifies and several processes may share one database.

use std::sync::{Arc, OnceLock};

use store::audit::NewEvent;
use store::{Db, StoreError};
use tokio::sync::{mpsc, oneshot};

use crate::clock::Clock;

/// Most events committed in one transaction; more wait for the next.
const MOST_PER_BATCH: usize = 500;

/// Reads waiting to be recorded, beyond which a reader waits to queue.
const QUEUE: usize = 4096;

/// Why a batch did not commit, told to every reader in it.
#[derive(Debug, Clone)]
struct Failure {
    unavailable: bool,
    detail: String,
}

type Reply = oneshot::Sender<Result<(), Failure>>;

/// The writer's queue, shared by every copy of the `App`; the writer starts
/// with the first read and stops when the last copy is dropped.
#[derive(Clone, Default)]
pub(crate) struct ReadLog {
    queue: Arc<OnceLock<mpsc::Sender<(NewEvent, Reply)>>>,
    /// Batches committed, for tests and figures.
    batches: Arc<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for ReadLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadLog").finish_non_exhaustive()
    }
}

impl ReadLog {
    /// Records `event` and returns once it is durable.
    pub(crate) async fn record(
        &self,
        db: &Db,
        clock: &Clock,
        event: NewEvent,
    ) -> crate::Result<()> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            tokio::spawn(write_batches(
                db.clone(),
                clock.clone(),
                receiver,
                self.batches.clone(),
            ));
            sender
        });
        let (reply, answer) = oneshot::channel();
        let stopped = || crate::AppError::Internal("the audit writer has stopped".into());
        queue.send((event, reply)).await.map_err(|_| stopped())?;
        match answer.await.map_err(|_| stopped())? {
            Ok(()) => Ok(()),
            Err(Failure {
                unavailable: true,
                detail,
            }) => Err(StoreError::Unavailable(detail).into()),
            Err(Failure { detail, .. }) => Err(crate::AppError::Internal(detail)),
        }
    }

    /// How many batches have committed since this `App` began.
    pub fn batches(&self) -> u64 {
        self.batches.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Takes whatever has queued while the last batch committed (at least one
/// event), commits it as one transaction, and answers each reader.
async fn write_batches(
    db: Db,
    clock: Clock,
    mut receiver: mpsc::Receiver<(NewEvent, Reply)>,
    batches: Arc<std::sync::atomic::AtomicU64>,
) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    while receiver.recv_many(&mut batch, MOST_PER_BATCH).await > 0 {
        let (events, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut batch).into_iter().unzip();
        let outcome = commit(&db, &clock.now_text(), events).await;
        if outcome.is_ok() {
            batches.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let outcome = outcome.map_err(|e| Failure {
            unavailable: e.is_unavailable(),
            detail: e.to_string(),
        });
        for reply in replies {
            // A reader that has gone (its request cancelled) needs no answer.
            let _ = reply.send(outcome.clone());
        }
    }
}

async fn commit(db: &Db, now: &str, events: Vec<NewEvent>) -> Result<(), StoreError> {
    let mut tx = db.begin_write(now).await?;
    store::audit::append_many(tx.conn(), events).await?;
    tx.commit().await
}
