//! Group commit for senders' referrals (ADR 14): referrals posted at the
//! same moment by police feeds and partners are written in one transaction,
//! with a handful of statements for the lot and one sync, instead of each
//! waiting its turn for a transaction and a sync of its own.
//!
//! Each sender still gets its answer only after its referral is durable,
//! and everything that made one referral race-free (its reference checked,
//! its person recognised, under the writer's lock) holds for the batch,
//! since the batch is written under that lock too.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use domain::policy::Actor;
use tokio::sync::{mpsc, oneshot};

use super::{Prepared, Taken};
use crate::{App, AppError, Result};

/// Most referrals written in one transaction; more wait for the next.
const MOST_PER_BATCH: usize = 200;

/// Referrals waiting to be written, beyond which a sender waits to queue.
const QUEUE: usize = 4096;

struct Job {
    actor: Actor,
    prepared: Prepared,
    reply: oneshot::Sender<Result<Taken>>,
}

/// The queue of senders' referrals, shared by every copy of the `App`; its
/// writer starts with the first referral and stops when the last copy is
/// dropped.
#[derive(Clone, Default)]
pub(crate) struct Intake {
    queue: Arc<OnceLock<mpsc::Sender<Job>>>,
    /// Transactions written, for tests and figures.
    batches: Arc<AtomicU64>,
}

impl std::fmt::Debug for Intake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Intake").finish_non_exhaustive()
    }
}

impl Intake {
    /// Writes `prepared` with whatever else is waiting; returns once it is
    /// durable.
    pub(crate) async fn take(&self, app: &App, actor: &Actor, prepared: Prepared) -> Result<Taken> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(QUEUE);
            // The writer's own copy has a queue of its own, never started,
            // so the writer does not keep its queue open by holding it.
            let writer = App {
                intake: Intake::default(),
                ..app.clone()
            };
            tokio::spawn(write_batches(writer, receiver, self.batches.clone()));
            sender
        });
        let (reply, answer) = oneshot::channel();
        let stopped = || AppError::Internal("the referral writer has stopped".into());
        let job = Job {
            actor: actor.clone(),
            prepared,
            reply,
        };
        queue.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// How many batches have been written since this `App` began.
    pub(crate) fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }
}

/// Takes whatever has queued while the last batch was written (at least
/// one referral), writes it as one transaction, and answers each sender.
async fn write_batches(app: App, mut receiver: mpsc::Receiver<Job>, batches: Arc<AtomicU64>) {
    let mut batch = Vec::with_capacity(MOST_PER_BATCH);
    while receiver.recv_many(&mut batch, MOST_PER_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        // A second copy of one sender's reference is written after the
        // first has committed, so it is answered as a resend.
        let mut firsts: Vec<Job> = Vec::with_capacity(jobs.len());
        let mut repeats = Vec::new();
        for job in jobs {
            let same = |other: &Job| {
                other.actor.organisation_id == job.actor.organisation_id
                    && other.prepared.referral.sender_reference.is_some()
                    && other.prepared.referral.sender_reference
                        == job.prepared.referral.sender_reference
            };
            if firsts.iter().any(same) {
                repeats.push(job);
            } else {
                firsts.push(job);
            }
        }
        write_together(&app, firsts).await;
        batches.fetch_add(1, Ordering::Relaxed);
        for job in repeats {
            write_together(&app, vec![job]).await;
        }
    }
}

/// Writes jobs in one transaction; if that fails, each alone, so one
/// referral the store refuses does not sink those sent beside it.
async fn write_together(app: &App, jobs: Vec<Job>) {
    let together: Vec<(&Actor, &Prepared)> = jobs.iter().map(|j| (&j.actor, &j.prepared)).collect();
    let written = app.write_taken(&together).await;
    match written {
        Ok(answers) => {
            for (job, answer) in jobs.into_iter().zip(answers) {
                // A sender that has gone (its request cancelled) needs no answer.
                let _ = job.reply.send(answer);
            }
        }
        Err(e) if jobs.len() == 1 => {
            if let Some(job) = jobs.into_iter().next() {
                let _ = job.reply.send(Err(e));
            }
        }
        Err(_) => {
            for job in jobs {
                let answer = app
                    .write_taken(&[(&job.actor, &job.prepared)])
                    .await
                    .and_then(|mut answers| {
                        answers.pop().unwrap_or_else(|| {
                            Err(AppError::Internal("a referral went missing".into()))
                        })
                    });
                let _ = job.reply.send(answer);
            }
        }
    }
}
