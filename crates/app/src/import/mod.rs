//! Importing a police referral feed from CSV. The whole file is checked
//! first and every bad row reported by line and column; then the good rows
//! are written in batches, each row whole or not at all. A referral already
//! received with the same police reference is not written again, so
//! importing the same file twice creates nothing new. The format is in
//! `docs/police-feed.md`.

mod feed;

use feed::*;
pub use feed::{COLUMNS, OPTIONAL_COLUMNS};

use domain::policy::Actor;

use crate::referrals::{Lookups, PersonChoice, Prepare, Prepared, ReferralInput};
use crate::{App, AppError, Result};

/// Rows are written this many to a transaction.
const BATCH: usize = 250;

/// The shortest and longest pause between batches (see `import_referrals`):
/// longer than a waiting writer's longest sleep between tries (100 ms in
/// SQLite's busy handler) would only slow the import.
const FAIR_GAP_LEAST: std::time::Duration = std::time::Duration::from_millis(10);
const FAIR_GAP_MOST: std::time::Duration = std::time::Duration::from_millis(100);

/// One problem with one row (or with the file, at line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {}: {}", self.line, column, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// What an import found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    pub valid: usize,
    pub imported: usize,
    pub already_received: usize,
    pub errors: Vec<RowError>,
}

impl ImportReport {
    pub(crate) fn file_error(line: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        ImportReport {
            errors: vec![RowError {
                line,
                column: column.map(str::to_string),
                message: message.into(),
            }],
            ..ImportReport::default()
        }
    }

    /// Every problem as CSV (`line,column,message`), in line order, each cell
    /// safe to open in a spreadsheet.
    pub fn errors_csv(&self) -> String {
        use domain::reports::csv_cell;
        let mut errors: Vec<&RowError> = self.errors.iter().collect();
        errors.sort_by_key(|e| e.line);
        let mut out = String::from("line,column,message\n");
        for e in errors {
            out.push_str(&format!(
                "{},{},{}\n",
                e.line,
                csv_cell(e.column.as_deref().unwrap_or_default()),
                csv_cell(&e.message)
            ));
        }
        out
    }
}

impl App {
    /// Checks a feed and, unless `dry_run`, imports its good rows. `actor`
    /// is the sender (their organisation owns the police references).
    pub async fn import_referrals(
        &self,
        actor: &Actor,
        bytes: &[u8],
        dry_run: bool,
    ) -> Result<ImportReport> {
        let (mut report, rows) = match read_feed(bytes) {
            Ok(read) => read,
            Err(report) => return Ok(report),
        };
        let ready = self.prepare_rows(actor, rows, &mut report).await?;
        if dry_run {
            return Ok(report);
        }
        let mut rows = ready.into_iter().peekable();
        while rows.peek().is_some() {
            let batch: Vec<Prepared> = rows.by_ref().take(BATCH).collect();
            let now = self.clock.now_text();
            let mut tx = self.write(actor, &now).await?;
            let held = std::time::Instant::now();
            let (written, events) = self.write_referrals(&mut tx, actor, batch).await?;
            if events.is_empty() {
                tx.abandon().await?;
            } else {
                tx.commit_all(events).await?;
            }
            // The database has one writer at a time. Leaving it free for as
            // long as this batch held it lets the people working meanwhile
            // (whose writers are waiting, even in another process) take
            // their turn, instead of the import taking it back at once.
            if rows.peek().is_some() {
                tokio::time::sleep(held.elapsed().clamp(FAIR_GAP_LEAST, FAIR_GAP_MOST)).await;
            }
            let imported = written.iter().filter(|id| id.is_some()).count();
            report.imported += imported;
            report.already_received += written.len() - imported;
        }
        if report.imported > 0 {
            self.db.after_import(&["referrals", "people"]).await?;
        }
        Ok(report)
    }

    /// Prepares each row as a referral, setting aside those received
    /// before and reporting the rest's errors by line and column.
    pub(crate) async fn prepare_rows(
        &self,
        actor: &Actor,
        rows: Vec<(u64, ReferralInput)>,
        report: &mut ImportReport,
    ) -> Result<Vec<Prepared>> {
        // References this sender sent before are set aside in one look.
        let sent = {
            let references: Vec<&str> = rows
                .iter()
                .map(|(_, input)| input.sender_reference.as_str())
                .collect();
            let mut conn = self.db.conn().await?;
            store::referrals::sent_already(&mut conn, &actor.organisation_id, &references).await?
        };
        // Every sender's reference was checked above, in one query.
        let mut lookups = Lookups {
            senders_checked: true,
            ..Lookups::default()
        };
        // The police cannot see whom a service knows.
        let choice = PersonChoice::sender();
        let mut ready: Vec<Prepared> = Vec::new();
        for (line, input) in rows {
            if let Some(held) = sent.get(input.sender_reference.trim()) {
                let differ = crate::referrals::differences(
                    held.as_deref(),
                    &crate::referrals::content_of(&input),
                );
                if differ.is_empty() {
                    report.valid += 1;
                    report.already_received += 1;
                } else {
                    for field in differ {
                        report.errors.push(RowError {
                            line,
                            column: Some(column_of(&field).to_string()),
                            message: crate::referrals::messages::ReferralMessage::SentDifferently
                                .english(),
                        });
                    }
                }
                continue;
            }
            match self
                .prepare_referral(actor, &input, &choice, &mut lookups)
                .await
            {
                Ok(Prepare::Ready(prepared)) => {
                    report.valid += 1;
                    ready.push(*prepared);
                }
                Ok(Prepare::AlreadyReceived(_)) => {
                    report.valid += 1;
                    report.already_received += 1;
                }
                Err(AppError::Invalid(errors)) => {
                    for e in errors.0 {
                        report.errors.push(RowError {
                            line,
                            column: Some(column_of(&e.field).to_string()),
                            message: e.message,
                        });
                    }
                }
                Err(AppError::Forbidden) => report.errors.push(RowError {
                    line,
                    column: Some("service".into()),
                    message: "this sender may not send referrals to this service".into(),
                }),
                Err(e) => return Err(e),
            }
        }
        Ok(ready)
    }
}
