//! People supported by a service: their details and safe-contact preferences.

use domain::policy::Visibility;
use sqlx::FromRow;

use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql, Value};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub service_id: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    pub religion: String,
    pub first_language: Option<String>,
    pub interpreter_needed: i64,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub person: Person,
    pub name_key: String,
    pub given_key: String,
    pub family_key: String,
    pub phone_key: Option<String>,
    pub postcode_key: Option<String>,
}

/// People rows are placed by their service (and its provider and commissioner).
pub const PERSON_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("s.organisation_id"),
    service: Some("p.service_id"),
    commissioner: Some("s.commissioner_id"),
    region: Some("(SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id)"),
    ..ScopeColumns::NONE
};

const SELECT: &str = "SELECT p.id, p.service_id, p.given_name, p.family_name, p.date_of_birth, p.phone, p.email,
        p.address, p.postcode, p.gender, p.ethnicity, p.disability, p.sexual_orientation, p.religion,
        p.first_language, p.interpreter_needed, p.created_at
    FROM people p JOIN services s ON s.id = p.service_id
    WHERE ";

pub async fn insert(conn: &mut Conn, new: &NewPerson) -> Result<()> {
    insert_many(conn, std::slice::from_ref(new)).await
}

/// People per insert statement (22 parameters each).
const PEOPLE_PER_STATEMENT: usize = 100;

/// Inserts people with multi-row statements.
pub async fn insert_many(conn: &mut Conn, rows: &[NewPerson]) -> Result<()> {
    for chunk in rows.chunks(PEOPLE_PER_STATEMENT) {
        let mut sql = Sql::many(
            conn,
            "INSERT INTO people (id, service_id, given_name, family_name, name_key, date_of_birth, phone, phone_key,
                email, address, postcode, postcode_key, gender, ethnicity, disability, sexual_orientation, religion,
                first_language, interpreter_needed, created_at, given_key, family_key) VALUES ",
        );
        for (i, new) in chunk.iter().enumerate() {
            let p = &new.person;
            sql.row(
                i == 0,
                &[
                    Value::Text(&p.id),
                    Value::Text(&p.service_id),
                    Value::Text(&p.given_name),
                    Value::Text(&p.family_name),
                    Value::Text(&new.name_key),
                    Value::MaybeText(p.date_of_birth.as_deref()),
                    Value::MaybeText(p.phone.as_deref()),
                    Value::MaybeText(new.phone_key.as_deref()),
                    Value::MaybeText(p.email.as_deref()),
                    Value::MaybeText(p.address.as_deref()),
                    Value::MaybeText(p.postcode.as_deref()),
                    Value::MaybeText(new.postcode_key.as_deref()),
                    Value::Text(&p.gender),
                    Value::Text(&p.ethnicity),
                    Value::Text(&p.disability),
                    Value::Text(&p.sexual_orientation),
                    Value::Text(&p.religion),
                    Value::MaybeText(p.first_language.as_deref()),
                    Value::Int(p.interpreter_needed),
                    Value::Text(&p.created_at),
                    Value::Text(&new.given_key),
                    Value::Text(&new.family_key),
                ],
            );
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes a person's corrected details and the keys the duplicate check
/// and search match on.
pub async fn update(conn: &mut Conn, new: &NewPerson) -> Result<()> {
    let p = &new.person;
    sqlx::query(
        "UPDATE people SET given_name = $1, family_name = $2, name_key = $3, given_key = $4,
            family_key = $5, date_of_birth = $6, phone = $7, phone_key = $8, email = $9,
            address = $10, postcode = $11, postcode_key = $12, gender = $13, ethnicity = $14,
            disability = $15, sexual_orientation = $16, religion = $17, first_language = $18,
            interpreter_needed = $19
         WHERE id = $20",
    )
    .bind(p.given_name.clone())
    .bind(p.family_name.clone())
    .bind(new.name_key.clone())
    .bind(new.given_key.clone())
    .bind(new.family_key.clone())
    .bind(p.date_of_birth.clone())
    .bind(p.phone.clone())
    .bind(new.phone_key.clone())
    .bind(p.email.clone())
    .bind(p.address.clone())
    .bind(p.postcode.clone())
    .bind(new.postcode_key.clone())
    .bind(p.gender.clone())
    .bind(p.ethnicity.clone())
    .bind(p.disability.clone())
    .bind(p.sexual_orientation.clone())
    .bind(p.religion.clone())
    .bind(p.first_language.clone())
    .bind(p.interpreter_needed)
    .bind(p.id.clone())
    .execute(&mut *conn)
    .await?;
    copy_person_of(conn, &p.id).await
}

pub async fn find_visible(
    conn: &mut Conn,
    id: &str,
    visibility: &Visibility,
) -> Result<Option<Person>> {
    let mut sql = Sql::new(SELECT);
    sql.push("p.id = ").text(id).push(" AND ");
    sql.scope(visibility, &PERSON_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// People in a service who may be the same person: the same date of birth
/// and a similar name ([`domain::journey::similar_names`]: the same first or
/// last name, a slip or two, or the names swapped); the same name when no
/// date of birth is given; or the same phone number. At most ten, oldest first.
pub async fn possible_duplicates(
    conn: &mut Conn,
    service_id: &str,
    new: &NewPerson,
) -> Result<Vec<Person>> {
    let known = alike_any(conn, service_id, &[new]).await?;
    Ok(known.alike(new).take(10).cloned().collect())
}

/// The people a batch may be about, read at once, each findable by the
/// keys the duplicate check looks them up by.
#[derive(Debug, Default)]
pub struct Candidates {
    /// Oldest first.
    people: Vec<Person>,
    /// Each key (`d:` a date of birth, `n:` a name key, `p:` a phone key)
    /// with the positions in `people` of those who have it.
    by_key: std::collections::HashMap<String, Vec<usize>>,
}

impl Candidates {
    /// Of the candidates sharing one of `new`'s keys, those who may be the
    /// same person, oldest first.
    pub fn alike<'a>(&'a self, new: &'a NewPerson) -> impl Iterator<Item = &'a Person> {
        let mut found: Vec<usize> = keys_of(new)
            .iter()
            .filter_map(|key| self.by_key.get(key))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        let p = &new.person;
        let typed = domain::journey::Likeness {
            given: &p.given_name,
            family: &p.family_name,
            born: p.date_of_birth.as_deref(),
            phone_key: new.phone_key.as_deref(),
        };
        found.into_iter().map(|i| &self.people[i]).filter(move |c| {
            let phone = c.phone.as_deref().and_then(domain::journey::phone_key);
            domain::journey::possibly_the_same(typed, likeness(c, phone.as_deref()))
        })
    }
}

/// The keys a new person's look-alikes are found by.
fn keys_of(new: &NewPerson) -> Vec<String> {
    let mut keys = vec![match &new.person.date_of_birth {
        Some(dob) => format!("d:{dob}"),
        None => format!("n:{}", new.name_key),
    }];
    if let Some(phone) = &new.phone_key {
        keys.push(format!("p:{phone}"));
    }
    keys
}

/// The key columns candidates are read by, as `keys_of` marks them.
const KEY_COLUMNS: [(&str, &str); 3] = [
    ("d:", "p.date_of_birth"),
    ("n:", "p.name_key"),
    ("p:", "p.phone_key"),
];

/// Keys of each kind a statement reads candidates for: the smallest that
/// holds what is left, its unused places given no key (matching no one).
/// A few shapes of statement, not one per mix of keys, so each is prepared
/// once per connection; PostgreSQL then plans it once instead of at every
/// use, which took 35–55 ms for a hundred keys, ten times reading them.
const KEYS_OF_EACH_KIND: [usize; 4] = [1, 4, 16, 34];

/// The most people read for one key: the oldest. However many records
/// share a date of birth or a phone number, a batch reads a bounded number.
const PER_KEY: i64 = 50;

/// Everyone in a service who shares a date of birth, a name (for those with
/// none) or a phone number with any of `news` (at most [`PER_KEY`] for each,
/// the oldest): the candidates [`Candidates::alike`] compares, read for a
/// whole batch in a few statements. Records merged away and alleged
/// perpetrators (never offered as the victim) are left out.
pub async fn alike_any(
    conn: &mut Conn,
    service_id: &str,
    news: &[&NewPerson],
) -> Result<Candidates> {
    let mut keys: Vec<String> = news.iter().flat_map(|n| keys_of(n)).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut left: Vec<Vec<&str>> = KEY_COLUMNS
        .iter()
        .map(|(mark, _)| keys.iter().filter_map(|k| k.strip_prefix(mark)).collect())
        .collect();
    let mut people: Vec<Person> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while left.iter().any(|kind| !kind.is_empty()) {
        let most = left.iter().map(Vec::len).max().unwrap_or(0);
        let places = KEYS_OF_EACH_KIND
            .into_iter()
            .find(|&n| n >= most)
            .unwrap_or(KEYS_OF_EACH_KIND[KEYS_OF_EACH_KIND.len() - 1]);
        let mut sql = Sql::many(conn, "");
        let mut i = 0;
        for ((_, column), kind) in KEY_COLUMNS.iter().zip(left.iter_mut()) {
            let taken: Vec<&str> = kind.drain(..places.min(kind.len())).collect();
            for place in 0..places {
                if i > 0 {
                    sql.push(" UNION ALL ");
                }
                // Each key's oldest few, read in order from its index.
                sql.push("SELECT * FROM (")
                    .push(SELECT)
                    .push("p.service_id = ")
                    .text(service_id)
                    .push(" AND ")
                    .push(column)
                    .push(" = ")
                    .maybe_text(taken.get(place).copied())
                    .push(&format!(
                        " AND p.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM case_people cp
                        WHERE cp.person_id = p.id AND cp.relationship = 'perpetrator')
                    ORDER BY p.created_at LIMIT {PER_KEY}) AS k{i}"
                    ));
                i += 1;
            }
        }
        let rows: Vec<Person> = sql.query_as().fetch_all(&mut *conn).await?;
        for row in rows {
            if seen.insert(row.id.clone()) {
                people.push(row);
            }
        }
    }
    people.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
    let mut by_key: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, p) in people.iter().enumerate() {
        let mut keys = vec![format!(
            "n:{}",
            domain::journey::name_key(&p.given_name, &p.family_name)
        )];
        if let Some(dob) = &p.date_of_birth {
            keys.push(format!("d:{dob}"));
        }
        if let Some(phone) = p.phone.as_deref().and_then(domain::journey::phone_key) {
            keys.push(format!("p:{phone}"));
        }
        for key in keys {
            by_key.entry(key).or_default().push(i);
        }
    }
    Ok(Candidates { people, by_key })
}

/// A stored person as the duplicate check compares them.
pub fn likeness<'a>(p: &'a Person, phone_key: Option<&'a str>) -> domain::journey::Likeness<'a> {
    domain::journey::Likeness {
        given: &p.given_name,
        family: &p.family_name,
        born: p.date_of_birth.as_deref(),
        phone_key,
    }
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ContactPreference {
    pub channel: String,
    pub safe: i64,
    pub safe_times: Option<String>,
    pub notes: Option<String>,
}

pub async fn preferences(conn: &mut Conn, person_id: &str) -> Result<Vec<ContactPreference>> {
    Ok(sqlx::query_as(
        "SELECT channel, safe, safe_times, notes FROM contact_preferences WHERE person_id = $1 ORDER BY channel",
    )
    .bind(person_id.to_string())
    .fetch_all(conn)
    .await?)
}

pub async fn set_preference(
    conn: &mut Conn,
    person_id: &str,
    pref: &ContactPreference,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO contact_preferences (person_id, channel, safe, safe_times, notes, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (person_id, channel) DO UPDATE SET safe = $3, safe_times = $4, notes = $5, updated_at = $6",
    )
    .bind(person_id.to_string())
    .bind(pref.channel.clone())
    .bind(pref.safe)
    .bind(pref.safe_times.clone())
    .bind(pref.notes.clone())
    .bind(now.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// What a search looks for; each part narrows the results.
#[derive(Debug, Clone, Default)]
pub struct SearchTerms {
    pub given_key: Option<String>,
    pub family_key: Option<String>,
    /// Either name: one word typed.
    pub either_name_key: Option<String>,
    pub date_of_birth: Option<String>,
    pub phone_key: Option<String>,
    pub postcode_key: Option<String>,
    pub reference: Option<String>,
    pub crime_reference: Option<String>,
}

/// A person found, with their latest referral.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Found {
    pub person_id: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub postcode: Option<String>,
    pub service_name: String,
    pub referral_id: Option<String>,
    pub reference: Option<String>,
    /// 1 if linked to a case as an alleged perpetrator.
    pub alleged_perpetrator: i64,
}

/// People within the visibility matching every given term. The query always
/// starts from an exact index, whatever the planner's statistics: terms that
/// identify a referral are looked up there first, and one name that may be
/// either a first or a last name is two searches.
pub async fn search(
    conn: &mut Conn,
    visibility: &Visibility,
    terms: &SearchTerms,
    limit: i64,
) -> Result<Vec<Found>> {
    let mut ids: Option<Vec<String>> = None;
    for (column, value) in [
        ("reference", &terms.reference),
        ("crime_reference", &terms.crime_reference),
    ] {
        let Some(value) = value else { continue };
        let sql = format!("SELECT person_id FROM referrals WHERE {column} = $1 LIMIT 1000");
        let found: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(value.clone())
            .fetch_all(&mut *conn)
            .await?;
        ids = Some(match ids {
            None => found,
            Some(before) => before.into_iter().filter(|id| found.contains(id)).collect(),
        });
    }
    if ids.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    // Names typed may be the start of a name, either name, the two the
    // wrong way round, or have a slip in them.
    let variants: Vec<SearchTerms> =
        match (&terms.either_name_key, &terms.given_key, &terms.family_key) {
            (Some(either), _, _) => vec![
                SearchTerms {
                    either_name_key: None,
                    family_key: Some(either.clone()),
                    ..terms.clone()
                },
                SearchTerms {
                    either_name_key: None,
                    given_key: Some(either.clone()),
                    ..terms.clone()
                },
            ],
            (None, Some(given), Some(family)) => vec![
                terms.clone(),
                SearchTerms {
                    given_key: Some(family.clone()),
                    family_key: Some(given.clone()),
                    ..terms.clone()
                },
            ],
            _ => return search_exact(conn, visibility, terms, ids.as_deref(), limit).await,
        };
    let mut found: Vec<Found> = Vec::new();
    for narrowed in &variants {
        for person in search_exact(conn, visibility, narrowed, ids.as_deref(), limit).await? {
            if !found.iter().any(|f| f.person_id == person.person_id) {
                found.push(person);
            }
        }
    }
    if found.is_empty() {
        found = search_with_slips(conn, visibility, terms, ids.as_deref()).await?;
    }
    // By name, then id: the same order every time, so pages neither skip nor repeat.
    found.sort_by(|a, b| {
        (&a.family_name, &a.given_name, &a.person_id).cmp(&(
            &b.family_name,
            &b.given_name,
            &b.person_id,
        ))
    });
    found.truncate(usize::try_from(limit).unwrap_or(50));
    Ok(found)
}

/// Fills in, for the people of a page of search results, their latest
/// referral and whether they are an alleged perpetrator.
pub async fn shown_details(conn: &mut Conn, found: &mut [Found]) -> Result<()> {
    if found.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        "SELECT p.id,
            (SELECT r2.id FROM referrals r2 WHERE r2.person_id = p.id ORDER BY r2.received_at DESC LIMIT 1),
            (SELECT r3.reference FROM referrals r3 WHERE r3.person_id = p.id ORDER BY r3.received_at DESC LIMIT 1),
            CASE WHEN EXISTS (SELECT 1 FROM case_people cp WHERE cp.person_id = p.id AND cp.relationship = 'perpetrator')
                THEN 1 ELSE 0 END
         FROM people p WHERE p.id IN (",
    );
    for (i, person) in found.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.text(person.person_id.clone());
    }
    sql.push(")");
    let rows: Vec<(String, Option<String>, Option<String>, i64)> =
        sql.query_as().fetch_all(conn).await?;
    for person in found.iter_mut() {
        if let Some(row) = rows.iter().find(|r| r.0 == person.person_id) {
            person.referral_id = row.1.clone();
            person.reference = row.2.clone();
            person.alleged_perpetrator = row.3;
        }
    }
    Ok(())
}

/// Names that nearly match, as the intake duplicate check finds them: the
/// candidates share the first letter of the name typed, and are compared
/// here, since slips cannot be looked up in an index.
async fn search_with_slips(
    conn: &mut Conn,
    visibility: &Visibility,
    terms: &SearchTerms,
    ids: Option<&[String]>,
) -> Result<Vec<Found>> {
    let typed: Vec<&String> = [&terms.either_name_key, &terms.given_key, &terms.family_key]
        .into_iter()
        .flatten()
        .collect();
    let Some(first) = typed.first().and_then(|k| k.chars().next()) else {
        return Ok(Vec::new());
    };
    let initial = first.to_string();
    let mut candidates = Vec::new();
    for by in [
        SearchTerms {
            either_name_key: None,
            given_key: None,
            family_key: Some(initial.clone()),
            ..terms.clone()
        },
        SearchTerms {
            either_name_key: None,
            given_key: Some(initial.clone()),
            family_key: None,
            ..terms.clone()
        },
    ] {
        for person in search_exact(conn, visibility, &by, ids, 2000).await? {
            if !candidates
                .iter()
                .any(|c: &Found| c.person_id == person.person_id)
            {
                candidates.push(person);
            }
        }
    }
    let close = |typed: &str, held: &str| {
        let held = domain::journey::word_key(held);
        let allowed = if typed.chars().count() >= 8 { 2 } else { 1 };
        domain::journey::edit_distance(typed, &held) <= allowed
    };
    Ok(candidates
        .into_iter()
        .filter(
            |c| match (&terms.either_name_key, &terms.given_key, &terms.family_key) {
                (Some(one), _, _) => close(one, &c.given_name) || close(one, &c.family_name),
                (None, Some(given), Some(family)) => {
                    domain::journey::similar_names(given, family, &c.given_name, &c.family_name)
                }
                _ => false,
            },
        )
        .collect())
}

async fn search_exact(
    conn: &mut Conn,
    visibility: &Visibility,
    terms: &SearchTerms,
    ids: Option<&[String]>,
    limit: i64,
) -> Result<Vec<Found>> {
    let mut sql = Sql::new(
        // What a row shows beyond the name is filled in for the page shown
        // only (see `shown_details`): a search may find hundreds.
        "SELECT p.id AS person_id, p.given_name, p.family_name, p.date_of_birth, p.postcode, s.name AS service_name,
            CAST(NULL AS TEXT) AS referral_id, CAST(NULL AS TEXT) AS reference,
            CAST(0 AS BIGINT) AS alleged_perpetrator
         FROM people p JOIN services s ON s.id = p.service_id WHERE ",
    );
    sql.scope(visibility, &PERSON_SCOPE);
    // A record merged into another is found as the one it became.
    sql.push(" AND p.merged_into IS NULL");
    if let Some(ids) = ids {
        sql.push(" AND p.id IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(id.clone());
        }
        sql.push(")");
    }
    // A name typed may be the start of one.
    for (column, value) in [
        ("p.given_key", &terms.given_key),
        ("p.family_key", &terms.family_key),
    ] {
        if let Some(v) = value {
            let prefix = v.replace(['%', '_', '\\'], "");
            // PostgreSQL uses an index for LIKE only under the "C" collation;
            // a range it can use under any, so it goes beside the LIKE.
            if let Some(next) = prefix_successor(&prefix) {
                sql.push(" AND ")
                    .push(column)
                    .push(" >= ")
                    .text(prefix.clone())
                    .push(" AND ")
                    .push(column)
                    .push(" < ")
                    .text(next);
            }
            sql.push(" AND ")
                .push(column)
                .push(" LIKE ")
                .text(format!("{prefix}%"));
        }
    }
    for (column, value) in [
        ("p.date_of_birth", &terms.date_of_birth),
        ("p.phone_key", &terms.phone_key),
        ("p.postcode_key", &terms.postcode_key),
    ] {
        if let Some(v) = value {
            sql.push(" AND ").push(column).push(" = ").text(v.clone());
        }
    }
    sql.push(" ORDER BY p.family_name, p.given_name, p.id LIMIT ")
        .int(limit);
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// The smallest key after every key that starts with `prefix`, when that is
/// sure under any collation: keys are lower-case letters and digits, so a
/// last letter from a to y (or digit from 0 to 8) is raised by one within
/// its kind. Otherwise none, and the LIKE alone decides.
fn prefix_successor(prefix: &str) -> Option<String> {
    let last = prefix.chars().last()?;
    if !(('a'..='y').contains(&last) || ('0'..='8').contains(&last)) {
        return None;
    }
    let mut next: String = prefix[..prefix.len() - 1].to_string();
    next.push(char::from(last as u8 + 1));
    Some(next)
}

#[cfg(test)]
mod prefix_tests {
    #[test]
    fn a_prefix_is_bounded_only_where_the_bound_is_sure() {
        use super::prefix_successor as next;
        assert_eq!(next("kit").as_deref(), Some("kiu"));
        assert_eq!(next("o8").as_deref(), Some("o9"));
        assert_eq!(next("liz"), None);
        assert_eq!(next("jos\u{e9}"), None);
        assert_eq!(next("a9"), None);
        assert_eq!(next(""), None);
    }
}

/// The record this one was merged into, if it was.
pub async fn merged_into(conn: &mut Conn, id: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT merged_into FROM people WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(into,)| into))
}

/// Whether the person is recorded on any case as the alleged perpetrator.
pub async fn is_alleged_perpetrator(conn: &mut Conn, id: &str) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT CAST(1 AS BIGINT) FROM case_people WHERE person_id = $1 AND relationship = 'perpetrator' LIMIT 1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(row.is_some())
}

/// What moved from one record to another in a merge, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Moved {
    pub referrals: Vec<String>,
    pub cases: Vec<String>,
    /// Links to other people's cases (as a child, a household member…).
    pub links: Vec<String>,
}

/// Moves every referral, case and link of `from` to `into`, and marks
/// `from` as merged into it. Contact preferences are the caller's to
/// settle first ([`set_preference`], [`forget_preferences`]).
pub async fn merge_records(conn: &mut Conn, from: &str, into: &str) -> Result<Moved> {
    let ids = |table: &'static str| {
        let mut sql = Sql::new("SELECT id FROM ");
        sql.push(table).push(" WHERE person_id = ").text(from);
        sql.push(" ORDER BY id");
        sql
    };
    let mut moved = Moved::default();
    for (table, into_list) in [
        ("referrals", &mut moved.referrals),
        ("cases", &mut moved.cases),
        ("case_people", &mut moved.links),
    ] {
        let rows: Vec<(String,)> = ids(table).query_as().fetch_all(&mut *conn).await?;
        *into_list = rows.into_iter().map(|(id,)| id).collect();
        let mut update = Sql::new("UPDATE ");
        update
            .push(table)
            .push(" SET person_id = ")
            .text(into)
            .push(" WHERE person_id = ")
            .text(from);
        update.query().execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE people SET merged_into = $1 WHERE id = $2")
        .bind(into.to_string())
        .bind(from.to_string())
        .execute(&mut *conn)
        .await?;
    // Records merged into `from` earlier now lead to `into`.
    sqlx::query("UPDATE people SET merged_into = $1 WHERE merged_into = $2")
        .bind(into.to_string())
        .bind(from.to_string())
        .execute(&mut *conn)
        .await?;
    copy_person_of(conn, into).await?;
    Ok(moved)
}

/// Removes a person's contact preferences (those merged into another record).
pub async fn forget_preferences(conn: &mut Conn, person_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM contact_preferences WHERE person_id = $1")
        .bind(person_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// The records merged into this one.
pub async fn merged_from(conn: &mut Conn, id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM people WHERE merged_into = $1 ORDER BY id")
            .bind(id.to_string())
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The tables whose rows keep copies of their person's details: the name
/// in the order lists sort it (`name_order`, migration 28), and on cases
/// the characteristics and age the return counts (migration 29).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopiesPerson {
    Referrals,
    Cases,
}

impl CopiesPerson {
    fn table(self) -> &'static str {
        match self {
            CopiesPerson::Referrals => "referrals",
            CopiesPerson::Cases => "cases",
        }
    }

    /// What the rows copy, and the person's details as the database works
    /// them out, the same way in every statement.
    fn copies(self) -> &'static str {
        match self {
            CopiesPerson::Referrals => {
                "name_order = (SELECT LOWER(p.family_name || ' ' || p.given_name)
                    FROM people p WHERE p.id = referrals.person_id)"
            }
            CopiesPerson::Cases => {
                "(name_order, gender, ethnicity, disability, sexual_orientation, religion,
                    age_at_referral) = (
                    SELECT LOWER(p.family_name || ' ' || p.given_name), p.gender, p.ethnicity,
                        p.disability, p.sexual_orientation, p.religion,
                        CASE WHEN p.date_of_birth IS NULL OR cases.referral_received_on IS NULL
                            THEN NULL ELSE
                            CAST(SUBSTR(cases.referral_received_on, 1, 4) AS INTEGER)
                            - CAST(SUBSTR(p.date_of_birth, 1, 4) AS INTEGER)
                            - CASE WHEN SUBSTR(cases.referral_received_on, 6, 5)
                                < SUBSTR(p.date_of_birth, 6, 5) THEN 1 ELSE 0 END
                        END
                    FROM people p WHERE p.id = cases.person_id)"
            }
        }
    }

    fn update(self) -> Sql {
        let mut sql = Sql::new("UPDATE ");
        sql.push(self.table()).push(" SET ").push(self.copies());
        sql
    }
}

/// Sets these rows' copies of their person's details as they are now.
pub async fn copy_person(conn: &mut Conn, table: CopiesPerson, ids: &[&str]) -> Result<()> {
    for chunk in ids.chunks(300) {
        let mut sql = table.update();
        sql.push(" WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.text(*id);
        }
        sql.push(")");
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Sets the copies on every referral and case of this person, after their
/// details changed or their records were merged.
pub async fn copy_person_of(conn: &mut Conn, person_id: &str) -> Result<()> {
    for table in [CopiesPerson::Referrals, CopiesPerson::Cases] {
        let mut sql = table.update();
        sql.push(" WHERE person_id = ").text(person_id);
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Sets the copies on the case opened from this referral, after its
/// received date (and so the age at referral) was corrected.
pub async fn copy_person_to_case_of(conn: &mut Conn, referral_id: &str) -> Result<()> {
    let mut sql = CopiesPerson::Cases.update();
    sql.push(" WHERE referral_id = ").text(referral_id);
    sql.query().execute(&mut *conn).await?;
    Ok(())
}
