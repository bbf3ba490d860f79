//! Importing a police referral feed from CSV. The whole file is checked
//! first and every bad row reported by line and column; then the good rows
//! are written in batches, each row whole or not at all. A referral already
//! received with the same police reference is not written again, so
//! importing the same file twice creates nothing new. The format is in
//! `docs/police-feed.md`.

use std::collections::HashMap;

use domain::policy::Actor;

use crate::referrals::{Lookups, PersonChoice, Prepare, Prepared, ReferralInput};
use crate::{App, AppError, Result};

/// The columns of a feed, in the documented order.
pub const COLUMNS: &[&str] = &[
    "service",
    "police_reference",
    "received_at",
    "crime_reported_on",
    "crime_reference",
    "crime_type",
    "incident_date",
    "consent",
    "consent_recorded_on",
    "consent_how",
    "consent_by",
    "enhanced_reasons",
    "given_name",
    "family_name",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "postcode",
    "gender",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
    "first_language",
    "interpreter_needed",
];

/// Columns a feed may leave out altogether.
pub const OPTIONAL_COLUMNS: &[&str] = &["area"];

/// Rows are written this many to a transaction.
const BATCH: usize = 500;

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
    fn file_error(line: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        ImportReport {
            errors: vec![RowError {
                line,
                column: column.map(str::to_string),
                message: message.into(),
            }],
            ..ImportReport::default()
        }
    }
}

/// Reads one row into the referral field list: the feed's columns are its
/// field names (`service` and `police_reference` are aliases), or says what
/// is wrong with the row's shape.
fn to_input(
    columns: &[(String, String)],
    line: u64,
) -> std::result::Result<ReferralInput, RowError> {
    let mut input: ReferralInput = crate::fields::from_pairs(columns).map_err(|message| {
        RowError {
            line,
            // The only field that can fail to read is the one yes-or-no column.
            column: Some("interpreter_needed".into()),
            message,
        }
    })?;
    input.source = "police".into();
    Ok(input)
}

/// Field names in errors that are named differently in the file.
fn column_of(field: &str) -> &str {
    match field {
        "service_id" => "service",
        "sender_reference" => "police_reference",
        other => other,
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
            let (written, events) = self.write_referrals(&mut tx, actor, batch).await?;
            if events.is_empty() {
                tx.abandon().await?;
            } else {
                tx.commit_all(events).await?;
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
    async fn prepare_rows(
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
            if sent.contains(&input.sender_reference) {
                report.valid += 1;
                report.already_received += 1;
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

/// Reads the file: UTF-8, a header row of the feed's columns, then rows.
/// Returns the rows that have the feed's shape and a report of those that do
/// not, or, if the file itself cannot be read, only the report.
fn read_feed(
    bytes: &[u8],
) -> std::result::Result<(ImportReport, Vec<(u64, ReferralInput)>), ImportReport> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        return Err(ImportReport::file_error(
            line,
            None,
            "this line is not UTF-8 text: save the file as UTF-8 (in Excel, \"CSV UTF-8\") and import it again",
        ));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(ImportReport::file_error(
                1,
                None,
                format!("the header row cannot be read: {e}"),
            ));
        }
    };
    let index = column_index(&headers)?;
    let mut report = ImportReport::default();
    let mut rows: Vec<(u64, ReferralInput)> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        report.rows += 1;
        match read_row(record, &index, report.rows, &mut seen) {
            Ok(row) => rows.push(row),
            Err(e) => report.errors.push(e),
        }
    }
    Ok((report, rows))
}

/// Where each of the feed's columns is in the header row; a report of the
/// columns missing or unknown if the header is not the feed's.
fn column_index(
    headers: &[String],
) -> std::result::Result<HashMap<&'static str, usize>, ImportReport> {
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !COLUMNS.contains(&h.as_str()) && !OPTIONAL_COLUMNS.contains(&h.as_str()))
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        let mut report = ImportReport::default();
        for column in missing {
            report.errors.push(RowError {
                line: 1,
                column: Some(column.to_string()),
                message: "this column is missing from the header row: add it (it may be left empty where optional)".into(),
            });
        }
        for column in unknown {
            report.errors.push(RowError {
                line: 1,
                column: Some(column.clone()),
                message:
                    "this column is not part of the feed format: remove it or check its spelling"
                        .into(),
            });
        }
        return Err(report);
    }
    Ok(COLUMNS
        .iter()
        .chain(OPTIONAL_COLUMNS)
        .filter_map(|c| headers.iter().position(|h| h == c).map(|i| (*c, i)))
        .collect())
}

/// One row of the feed into a referral, with its line; or what is wrong
/// with it: unreadable, no police reference, or one used on an earlier line.
fn read_row(
    record: std::result::Result<csv::StringRecord, csv::Error>,
    index: &HashMap<&'static str, usize>,
    rows_so_far: usize,
    seen: &mut HashMap<String, u64>,
) -> std::result::Result<(u64, ReferralInput), RowError> {
    let record = record.map_err(|e| {
        let line = e
            .position()
            .map(|p| p.line())
            .unwrap_or(rows_so_far as u64 + 1);
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!(
                "has {len} fields where the header has {expected_len}: check for a stray quote or comma"
            ),
            _ => format!("cannot be read: {e}"),
        };
        RowError {
            line,
            column: None,
            message,
        }
    })?;
    let line = record
        .position()
        .map(|p| p.line())
        .unwrap_or(rows_so_far as u64 + 1);
    let columns: Vec<(String, String)> = index
        .iter()
        .map(|(column, i)| {
            let value = record.get(*i).unwrap_or_default().trim();
            (column.to_string(), value.to_string())
        })
        .collect();
    let input = to_input(&columns, line)?;
    let reference_error = |message: String| RowError {
        line,
        column: Some("police_reference".into()),
        message,
    };
    if input.sender_reference.is_empty() {
        return Err(reference_error(
            "enter the police's own reference for this referral".into(),
        ));
    }
    if let Some(first) = seen.get(&input.sender_reference) {
        return Err(reference_error(format!(
            "the same reference is already on line {first}: a reference is used once"
        )));
    }
    seen.insert(input.sender_reference.clone(), line);
    Ok((line, input))
}
