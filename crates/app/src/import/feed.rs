//! Reading a police feed: its columns, its rows, and each row as a referral's field list.

use std::collections::HashMap;

use crate::referrals::ReferralInput;

use super::*;

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

/// Reads one row into the referral field list: the feed's columns are its
/// field names (`service` and `police_reference` are aliases), or says what
/// is wrong with the row's shape.
pub(crate) fn to_input(
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
pub(crate) fn column_of(field: &str) -> &str {
    match field {
        "service_id" => "service",
        "sender_reference" => "police_reference",
        other => other,
    }
}

/// Reads the file: UTF-8, a header row of the feed's columns, then rows.
/// Returns the rows that have the feed's shape and a report of those that do
/// not, or, if the file itself cannot be read, only the report.
pub(crate) fn read_feed(
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
    let lines = Lines::of(bytes);
    let mut report = ImportReport::default();
    let mut rows: Vec<(u64, ReferralInput)> = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().byte() as usize;
        let read = reader.read_record(&mut record);
        let end = (reader.position().byte() as usize).min(bytes.len());
        let (line, read) = match read {
            Ok(false) => break,
            Ok(true) => (
                record.position().map_or(start, |p| p.byte() as usize),
                Ok(record.clone()),
            ),
            Err(e) => (e.position().map_or(start, |p| p.byte() as usize), Err(e)),
        };
        report.rows += 1;
        // A quote left open swallows the lines after it into one field:
        // say so where it opened, rather than as a wrong number of fields.
        if let Some(opened) = unclosed_quote(&bytes[start.min(end)..end]) {
            let last = lines.holding(end.saturating_sub(1));
            report.errors.push(RowError {
                line: lines.holding(start + opened),
                column: None,
                message: format!(
                    "a quote opened on this line is never closed, so everything after it, to line {last}, was read as one field: close the quote (or double it, \"\", to keep it)"
                ),
            });
            continue;
        }
        match read_row(read, &index, lines.starting_at(line), &mut seen) {
            Ok(row) => rows.push(row),
            Err(e) => report.errors.push(e),
        }
    }
    Ok((report, rows))
}

/// Where each line of a file ends, to name the line of a byte: the same for
/// files whose lines end `\n` and `\r\n`.
struct Lines<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn of(bytes: &'a [u8]) -> Lines<'a> {
        let newlines = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Lines { bytes, newlines }
    }

    /// The line (from 1) holding the byte at `offset`.
    fn holding(&self, offset: usize) -> u64 {
        self.newlines.partition_point(|newline| *newline < offset) as u64 + 1
    }

    /// The line a record starting at `offset` begins on. The reader may put
    /// a record's start on the line end before it (the `\n` of a `\r\n`),
    /// so line ends there are passed over.
    fn starting_at(&self, mut offset: usize) -> u64 {
        while matches!(self.bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.holding(offset)
    }
}

/// Where in a record's bytes a quoted field opens that is never closed, if
/// one does. A quote inside an unquoted field (`5" tall`) is text, as the
/// reader takes it; a doubled quote inside a quoted one is a quote.
fn unclosed_quote(record: &[u8]) -> Option<usize> {
    let (mut quoted, mut opened, mut field_start) = (false, 0, true);
    let mut i = 0;
    while i < record.len() {
        let b = record[i];
        if quoted {
            if b == b'"' {
                if record.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted = false;
            }
            field_start = false;
        } else {
            match b {
                b'"' if field_start => {
                    quoted = true;
                    opened = i;
                    field_start = false;
                }
                b',' | b'\n' => field_start = true,
                _ => field_start = false,
            }
        }
        i += 1;
    }
    quoted.then_some(opened)
}

/// Where each of the feed's columns is in the header row; a report of the
/// columns missing or unknown if the header is not the feed's.
pub(crate) fn column_index(
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
pub(crate) fn read_row(
    record: std::result::Result<csv::StringRecord, csv::Error>,
    index: &HashMap<&'static str, usize>,
    line: u64,
    seen: &mut HashMap<String, u64>,
) -> std::result::Result<(u64, ReferralInput), RowError> {
    let record = record.map_err(|e| {
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
