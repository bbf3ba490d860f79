//! Aggregate queries for returns. Every query is limited to the listed
//! services and returns counts only; people's names never leave here.

use sqlx::FromRow;

use crate::{Conn, Result, Sql};

/// The services and the UK-date period a return covers (both ends included).
pub struct Scope<'a> {
    pub services: &'a [String],
    pub from: &'a str,
    pub to: &'a str,
}

fn in_services(sql: &mut Sql, column: &str, services: &[String]) {
    sql.push(column).push(" IN (");
    if services.is_empty() {
        sql.push("NULL");
    }
    for (i, id) in services.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.text(id.clone());
    }
    sql.push(")");
}

/// Referrals received in the period with one source and crime type, and
/// how they stood against each Victims' Code clock whose deadline had
/// passed by `until`: counted in one pass over the period's referrals.
#[derive(Debug, Clone, Default, FromRow, PartialEq, Eq)]
pub struct ReferralGroup {
    pub source: String,
    pub crime_type: String,
    pub crime_type_label: String,
    pub received: i64,
    pub passed_due: i64,
    pub passed_met: i64,
    pub informed_due: i64,
    pub informed_met: i64,
    pub contact_due: i64,
    pub contact_met: i64,
}

/// The Victims' Code clocks the return reports: the column holding each
/// deadline, and the one holding the day it was met by.
const CLOCKS: [(&str, &str, &str); 3] = [
    ("passed", "r.passed_due_on", "r.received_on"),
    ("informed", "r.information_due_on", "r.first_contact_on"),
    ("contact", "r.contact_due_on", "r.first_contact_on"),
];

pub async fn referral_groups(
    conn: &mut Conn,
    scope: &Scope<'_>,
    until: &str,
) -> Result<Vec<ReferralGroup>> {
    let mut groups = if groups_by_sorting(conn) {
        referral_groups_from_lines(conn, scope, until).await?
    } else {
        referral_groups_in_sql(conn, scope, until).await?
    };
    groups.sort_by(|a, b| (&a.source, &a.crime_type).cmp(&(&b.source, &b.crime_type)));
    Ok(groups)
}

/// The period's referrals, in `r`.
fn received_in(sql: &mut Sql, scope: &Scope<'_>) {
    sql.push(" FROM referrals r WHERE ");
    in_services(sql, "r.service_id", scope.services);
    sql.push(" AND r.received_on >= ")
        .text(scope.from)
        .push(" AND r.received_on <= ")
        .text(scope.to);
}

async fn referral_groups_in_sql(
    conn: &mut Conn,
    scope: &Scope<'_>,
    until: &str,
) -> Result<Vec<ReferralGroup>> {
    let mut sql = Sql::new(
        "SELECT g.*, c.label AS crime_type_label FROM (SELECT r.source, r.crime_type, CAST(COUNT(*) AS BIGINT) AS received",
    );
    // A deadline counts once it has passed; it was met if the thing was
    // done on or before it.
    for (name, due, done) in CLOCKS {
        sql.push(&format!(", CAST(COALESCE(SUM(CASE WHEN {due} <= "))
            .text(until)
            .push(&format!(" THEN 1 ELSE 0 END), 0) AS BIGINT) AS {name}_due"));
        sql.push(&format!(", CAST(COALESCE(SUM(CASE WHEN {due} <= "))
            .text(until)
            .push(&format!(
                " AND {done} IS NOT NULL AND {done} <= {due} THEN 1 ELSE 0 END), 0) AS BIGINT) AS {name}_met"
            ));
    }
    received_in(&mut sql, scope);
    sql.push(" GROUP BY r.source, r.crime_type) g JOIN crime_types c ON c.code = g.crime_type");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// A line per referral, `source|crime type|` and a digit per clock: 0 not
/// yet due, 1 due and missed, 2 due and met (ADR 23).
async fn referral_groups_from_lines(
    conn: &mut Conn,
    scope: &Scope<'_>,
    until: &str,
) -> Result<Vec<ReferralGroup>> {
    let mut sql = Sql::new("SELECT string_agg(r.source || '|' || r.crime_type || '|'");
    for (_, due, done) in CLOCKS {
        sql.push(&format!(" || CASE WHEN {due} <= "))
            .text(until)
            .push(&format!(
                " THEN CASE WHEN {done} IS NOT NULL AND {done} <= {due} THEN '2' ELSE '1' END ELSE '0' END"
            ));
    }
    sql.push(", ';')");
    received_in(&mut sql, scope);
    let Some(lines) = joined_lines(conn, sql).await? else {
        return Ok(Vec::new());
    };
    let labels: std::collections::HashMap<String, String> =
        sqlx::query_as("SELECT code, label FROM crime_types")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let mut groups: std::collections::HashMap<(&str, &str), ReferralGroup> =
        std::collections::HashMap::new();
    for (line, n) in count_lines(&lines) {
        let unreadable = || crate::StoreError::Schema(format!("a referral read as {line:?}"));
        let mut fields = line.split('|');
        let (Some(source), Some(crime_type), Some(clocks), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(unreadable());
        };
        let [passed, informed, contact] = clocks.as_bytes() else {
            return Err(unreadable());
        };
        let label = labels.get(crime_type).ok_or_else(unreadable)?;
        let group = groups
            .entry((source, crime_type))
            .or_insert_with(|| ReferralGroup {
                source: source.to_string(),
                crime_type: crime_type.to_string(),
                crime_type_label: label.clone(),
                ..ReferralGroup::default()
            });
        group.received += n;
        for (state, due, met) in [
            (passed, &mut group.passed_due, &mut group.passed_met),
            (informed, &mut group.informed_due, &mut group.informed_met),
            (contact, &mut group.contact_due, &mut group.contact_met),
        ] {
            match state {
                b'0' => {}
                b'1' => *due += n,
                b'2' => {
                    *due += n;
                    *met += n;
                }
                _ => return Err(unreadable()),
            }
        }
    }
    Ok(groups.into_values().collect())
}

/// Distinct people with a referral received in the period, and of them
/// those contacted by the end of the period.
pub async fn victims_referred_and_contacted(
    conn: &mut Conn,
    scope: &Scope<'_>,
) -> Result<(i64, i64)> {
    let contacted = |sql: &mut Sql| {
        sql.push("r.first_contact_on IS NOT NULL AND r.first_contact_on <= ")
            .text(scope.to);
    };
    if groups_by_sorting(conn) {
        // A line per referral, `person|1` when contacted, else `person|0`.
        let mut sql = Sql::new("SELECT string_agg(r.person_id || CASE WHEN ");
        contacted(&mut sql);
        sql.push(" THEN '|1' ELSE '|0' END, ';')");
        received_in(&mut sql, scope);
        let Some(lines) = joined_lines(conn, sql).await? else {
            return Ok((0, 0));
        };
        let mut people: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
        for line in lines.split(';') {
            let (person, flag) = match line.split_once('|') {
                Some((person, "1")) => (person, true),
                Some((person, "0")) => (person, false),
                _ => {
                    return Err(crate::StoreError::Schema(format!(
                        "a referral read as {line:?}"
                    )));
                }
            };
            *people.entry(person).or_default() |= flag;
        }
        let referred = people.len();
        let reached = people.values().filter(|reached| **reached).count();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        return Ok((count(referred), count(reached)));
    }
    // One pass grouping the period's referrals by person, rather than two
    // distinct counts each sorting them.
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(contacted), 0) AS BIGINT) FROM (
            SELECT r.person_id, MAX(CASE WHEN ",
    );
    contacted(&mut sql);
    sql.push(" THEN 1 ELSE 0 END) AS contacted");
    received_in(&mut sql, scope);
    sql.push(" GROUP BY r.person_id) people");
    Ok(sql.query_as().fetch_one(conn).await?)
}

/// Whether the engine groups rows by sorting them (SQLite), where a
/// statement that would sort a period's rows gathers them as lines for the
/// store to count instead; PostgreSQL hashes its groups, and keeps
/// `GROUP BY` (ADR 23).
fn groups_by_sorting(conn: &Conn) -> bool {
    conn.backend_name() == "SQLite"
}

/// What a query gathering one line per row with `string_agg` returned;
/// none when no row matched. Counting rows in a hash map here is one pass
/// with no sort: SQLite groups by sorting, which took most of a year's
/// return, and each row through the driver costs more than its line.
/// The lines hold codes, days and ids, which never hold the separators.
async fn joined_lines(conn: &mut Conn, sql: Sql) -> Result<Option<String>> {
    let (lines,): (Option<String>,) = sql.query_as().fetch_one(conn).await?;
    Ok(lines)
}

/// How many times each line occurs.
fn count_lines(lines: &str) -> std::collections::HashMap<&str, i64> {
    let mut counted = std::collections::HashMap::new();
    for line in lines.split(';') {
        *counted.entry(line).or_default() += 1;
    }
    counted
}

/// People supported all through or into the period whose support began
/// before it: a case opened before the period and not closed before it,
/// and no case opened in the period (those are counted as new).
pub async fn continuing(conn: &mut Conn, scope: &Scope<'_>) -> Result<i64> {
    // The people with a case still open, and those with one closed in or
    // after the period: two ranges of the (service, closed, opened, person)
    // index, read alone. Then the people with a case opened in the period.
    // Both are gathered as lines and compared here: sorting the first for
    // a distinct count, and hashing it against the second, took most of a
    // year's return at 2,000,000 referrals.
    let opened_before = |sql: &mut Sql| {
        sql.push(" AND k.opened_on < ").text(scope.from);
    };
    let mut sql = Sql::new("SELECT (SELECT string_agg(p.person_id, ';') FROM (");
    sql.push("SELECT k.person_id FROM cases k WHERE ");
    in_services(&mut sql, "k.service_id", scope.services);
    sql.push(" AND k.closed_on IS NULL");
    opened_before(&mut sql);
    sql.push(" UNION ALL SELECT k.person_id FROM cases k WHERE ");
    in_services(&mut sql, "k.service_id", scope.services);
    sql.push(" AND k.closed_on >= ").text(scope.from);
    opened_before(&mut sql);
    sql.push(") p), (SELECT string_agg(n.person_id, ';') FROM cases n WHERE ");
    in_services(&mut sql, "n.service_id", scope.services);
    sql.push(" AND n.opened_on >= ")
        .text(scope.from)
        .push(" AND n.opened_on <= ")
        .text(scope.to)
        .push(")");
    let (supported_before, new_in_period): (Option<String>, Option<String>) =
        sql.query_as().fetch_one(conn).await?;
    let new: std::collections::HashSet<&str> = new_in_period
        .as_deref()
        .map_or_else(std::collections::HashSet::new, |lines| {
            lines.split(';').collect()
        });
    let continuing: std::collections::HashSet<&str> = supported_before
        .as_deref()
        .into_iter()
        .flat_map(|lines| lines.split(';'))
        .filter(|person| !new.contains(person))
        .collect();
    Ok(i64::try_from(continuing.len()).unwrap_or(i64::MAX))
}

/// How many waited from one day to another: (from, to, how many).
pub type Waits = Vec<(String, String, i64)>;

/// Referrals received in the period that were contacted by its end: how
/// many by the day received and the day first contacted.
pub async fn waits_for_contact(conn: &mut Conn, scope: &Scope<'_>) -> Result<Waits> {
    let mut sql = Sql::new(
        "SELECT string_agg(r.received_on || '|' || r.first_contact_on, ';') FROM referrals r WHERE ",
    );
    in_services(&mut sql, "r.service_id", scope.services);
    sql.push(" AND r.received_on >= ")
        .text(scope.from)
        .push(" AND r.received_on <= ")
        .text(scope.to)
        .push(" AND r.first_contact_on IS NOT NULL AND r.first_contact_on <= ")
        .text(scope.to);
    waits(joined_lines(conn, sql).await?)
}

/// Days waited from one day to another, from lines `from|to` (`joined_lines`).
fn waits(lines: Option<String>) -> Result<Waits> {
    let Some(lines) = lines else {
        return Ok(Vec::new());
    };
    count_lines(&lines)
        .into_iter()
        .map(|(line, n)| match line.split_once('|') {
            Some((from, to)) => Ok((from.to_string(), to.to_string(), n)),
            None => Err(crate::StoreError::Schema(format!(
                "a wait read as {line:?}"
            ))),
        })
        .collect()
}

/// Cases opened in the period: how many by the day their referral was
/// received and the day support started (the case opened).
pub async fn waits_for_support(conn: &mut Conn, scope: &Scope<'_>) -> Result<Waits> {
    let mut sql = Sql::new(
        "SELECT string_agg(k.referral_received_on || '|' || k.opened_on, ';') FROM cases k WHERE ",
    );
    in_services(&mut sql, "k.service_id", scope.services);
    sql.push(" AND k.opened_on >= ")
        .text(scope.from)
        .push(" AND k.opened_on <= ")
        .text(scope.to);
    waits(joined_lines(conn, sql).await?)
}

/// Victims supported in the period, counted by every combination of what
/// the return breaks down by, in one pass over the period's cases.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SupportedGroup {
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    pub religion: String,
    /// Whole years on the day the referral of their first case in the
    /// period was received; none if not known.
    pub age: Option<i64>,
    /// Whether that referral had enhanced rights.
    pub enhanced: i64,
    /// Whether that case gave tailored support: needs assessed, a plan, or
    /// contact recorded; otherwise information and signposting only.
    pub tailored: i64,
    pub people: i64,
}

/// People with a case opened in the period, once each by their first case
/// in it (the one whose previous case opened before the period), grouped.
/// A line for each case, counted here (`joined_lines`): SQLite sorting a
/// year's 117,000 cases into 37,000 groups took half a second.
pub async fn supported(conn: &mut Conn, scope: &Scope<'_>) -> Result<Vec<SupportedGroup>> {
    let mut sql = Sql::new(
        "SELECT string_agg(k.gender || '|' || k.ethnicity || '|' || k.disability
            || '|' || k.sexual_orientation || '|' || k.religion
            || '|' || COALESCE(CAST(k.age_at_referral AS TEXT), '')
            || '|' || CAST(k.enhanced AS TEXT) || '|' || CAST(k.tailored AS TEXT), ';')
        FROM cases k
        WHERE ",
    );
    in_services(&mut sql, "k.service_id", scope.services);
    sql.push(" AND k.opened_on >= ")
        .text(scope.from)
        .push(" AND k.opened_on <= ")
        .text(scope.to)
        .push(" AND (k.previous_opened_on IS NULL OR k.previous_opened_on < ")
        .text(scope.from)
        .push(")");
    let Some(lines) = joined_lines(conn, sql).await? else {
        return Ok(Vec::new());
    };
    count_lines(&lines)
        .into_iter()
        .map(|(line, people)| supported_group(line, people))
        .collect()
}

/// One line of `supported`'s text, read back into its fields.
fn supported_group(line: &str, people: i64) -> Result<SupportedGroup> {
    let unreadable = || crate::StoreError::Schema(format!("a case's fields read as {line:?}"));
    let fields: Vec<&str> = line.split('|').collect();
    let [
        gender,
        ethnicity,
        disability,
        sexual_orientation,
        religion,
        age,
        enhanced,
        tailored,
    ] = fields.as_slice()
    else {
        return Err(unreadable());
    };
    let number = |text: &str| text.parse::<i64>().map_err(|_| unreadable());
    Ok(SupportedGroup {
        gender: gender.to_string(),
        ethnicity: ethnicity.to_string(),
        disability: disability.to_string(),
        sexual_orientation: sexual_orientation.to_string(),
        religion: religion.to_string(),
        age: if age.is_empty() {
            None
        } else {
            Some(number(age)?)
        },
        enhanced: number(enhanced)?,
        tailored: number(tailored)?,
        people,
    })
}

/// Cases closed in the period with a risk assessment: the level of their
/// first assessment and of their last (none while incomplete), and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskChange {
    pub intake: Option<String>,
    pub exit: Option<String>,
    pub cases: i64,
}

/// Cases closed in the period with their first assessment (`f`) and their
/// last (`l`).
const FIRST_AND_LAST: &str = " FROM cases c
    JOIN risk_assessments f ON f.id = (SELECT a.id FROM risk_assessments a WHERE a.case_id = c.id
        AND a.withdrawn_at IS NULL ORDER BY a.assessed_on, a.created_at LIMIT 1)
    JOIN risk_assessments l ON l.id = (SELECT a.id FROM risk_assessments a WHERE a.case_id = c.id
        AND a.withdrawn_at IS NULL ORDER BY a.assessed_on DESC, a.created_at DESC LIMIT 1)
    WHERE ";

fn closed_in(sql: &mut Sql, scope: &Scope<'_>) {
    in_services(sql, "c.service_id", scope.services);
    sql.push(" AND c.closed_on >= ")
        .text(scope.from)
        .push(" AND c.closed_on <= ")
        .text(scope.to);
}

/// A case closed in the period: its first and last assessments' risk
/// levels (none while incomplete), and their answers with the template
/// version each used, for the kinds of abuse present at intake and exit.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct FirstAndLast {
    pub intake_level: Option<String>,
    pub exit_level: Option<String>,
    pub intake_template: String,
    pub intake_version: i64,
    pub intake_answers: String,
    pub exit_template: String,
    pub exit_version: i64,
    pub exit_answers: String,
}

/// Each case closed in the period with an assessment: one pass serves both
/// the risk table and the kinds of abuse, which read the same two
/// assessments of the same cases.
pub async fn assessments_at_intake_and_exit(
    conn: &mut Conn,
    scope: &Scope<'_>,
) -> Result<Vec<FirstAndLast>> {
    let mut sql = Sql::new(
        "SELECT f.level AS intake_level, l.level AS exit_level,
            f.template_key AS intake_template, f.template_version AS intake_version,
            f.answers AS intake_answers, l.template_key AS exit_template,
            l.template_version AS exit_version, l.answers AS exit_answers",
    );
    sql.push(FIRST_AND_LAST);
    closed_in(&mut sql, scope);
    Ok(sql.query_as().fetch_all(conn).await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct OutcomeCount {
    pub measure: String,
    pub result: String,
    pub people: i64,
}

/// Answers at exit, counted as people: each person once per measure, by
/// their last closure in the period (the one whose next closure, if any,
/// came after it).
pub async fn outcomes(conn: &mut Conn, scope: &Scope<'_>) -> Result<Vec<OutcomeCount>> {
    let by_lines = groups_by_sorting(conn);
    let mut sql = Sql::new(if by_lines {
        "SELECT string_agg(o.measure || '|' || o.result, ';') FROM case_outcomes o WHERE "
    } else {
        "SELECT o.measure, o.result, CAST(COUNT(*) AS BIGINT) AS people
         FROM case_outcomes o WHERE "
    });
    in_services(&mut sql, "o.service_id", scope.services);
    sql.push(" AND o.closed_on >= ")
        .text(scope.from)
        .push(" AND o.closed_on <= ")
        .text(scope.to)
        .push(" AND (o.next_closed_on IS NULL OR o.next_closed_on > ")
        .text(scope.to)
        .push(")");
    let mut counts: Vec<OutcomeCount> = if by_lines {
        let Some(lines) = joined_lines(conn, sql).await? else {
            return Ok(Vec::new());
        };
        count_lines(&lines)
            .into_iter()
            .map(|(line, people)| match line.split_once('|') {
                Some((measure, result)) => Ok(OutcomeCount {
                    measure: measure.to_string(),
                    result: result.to_string(),
                    people,
                }),
                None => Err(crate::StoreError::Schema(format!(
                    "an outcome read as {line:?}"
                ))),
            })
            .collect::<Result<_>>()?
    } else {
        sql.push(" GROUP BY o.measure, o.result");
        sql.query_as().fetch_all(conn).await?
    };
    counts.sort_by(|a, b| (&a.measure, &a.result).cmp(&(&b.measure, &b.result)));
    Ok(counts)
}

/// How satisfied people were with their support, as asked at their last
/// closure in the period (each person once): (answer, people).
pub async fn satisfaction(
    conn: &mut Conn,
    scope: &Scope<'_>,
) -> Result<Vec<(Option<String>, i64)>> {
    let mut sql = Sql::new("SELECT k.satisfaction, CAST(COUNT(*) AS BIGINT) FROM cases k WHERE ");
    in_services(&mut sql, "k.service_id", scope.services);
    sql.push(" AND k.closed_on >= ")
        .text(scope.from)
        .push(" AND k.closed_on <= ")
        .text(scope.to)
        .push(" AND (k.next_closed_on IS NULL OR k.next_closed_on > ")
        .text(scope.to)
        .push(") GROUP BY k.satisfaction");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Figures kept for a period as first shown to someone outside the service:
/// their tables (JSON) and when they were kept.
pub async fn frozen_figures(
    conn: &mut Conn,
    kind: &str,
    subject_id: &str,
    from: &str,
    to: &str,
) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT tables, frozen_at FROM frozen_figures
         WHERE kind = $1 AND subject_id = $2 AND period_from = $3 AND period_to = $4",
    )
    .bind(kind)
    .bind(subject_id)
    .bind(from)
    .bind(to)
    .fetch_optional(conn)
    .await?)
}

/// Keeps a period's figures unless some are kept already: when two readers
/// are first at once, the one written first stands for both.
pub async fn freeze_figures(
    conn: &mut Conn,
    kind: &str,
    subject_id: &str,
    (from, to): (&str, &str),
    tables: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO frozen_figures (kind, subject_id, period_from, period_to, tables, frozen_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, subject_id, period_from, period_to) DO NOTHING",
    )
    .bind(kind)
    .bind(subject_id)
    .bind(from)
    .bind(to)
    .bind(tables)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::supported_group;

    #[test]
    fn a_line_of_supported_cases_reads_back_into_its_fields() {
        let group =
            supported_group("female|white_british|no|heterosexual|none|34|1|0", 3).expect("read");
        assert_eq!(
            (group.gender.as_str(), group.religion.as_str(), group.age),
            ("female", "none", Some(34))
        );
        assert_eq!((group.enhanced, group.tailored, group.people), (1, 0, 3));
        let unknown_age =
            supported_group("male|not_known|not_known|not_known|not_known||0|1", 1).expect("read");
        assert_eq!(unknown_age.age, None);
        assert!(supported_group("male|not_known", 1).is_err());
        assert!(supported_group("male|a|b|c|d|x|0|1", 1).is_err());
    }
}
