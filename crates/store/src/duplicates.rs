//! "Possibly the same person": pairs of one service's people who may be one
//! victim recorded twice, waiting for a caseworker to merge or dismiss them.

use domain::policy::Visibility;
use sqlx::FromRow;

use crate::paging::{Listing, Order, Page, Start, page};
use crate::sql::ScopeColumns;
use crate::{Conn, Result, Sql, Value};

/// One pair, as stored: `person_id` is the later record (the greater id).
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Pair {
    pub id: String,
    pub service_id: String,
    pub person_id: String,
    pub other_person_id: String,
    pub found_by: String,
    pub found_at: String,
    pub status: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
}

/// A pair waiting on the review list, with both people's names.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ListedPair {
    pub id: String,
    pub found_at: String,
    pub found_by: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub other_given_name: String,
    pub other_family_name: String,
    pub other_date_of_birth: Option<String>,
}

/// Pairs are placed by their service.
pub const PAIR_SCOPE: ScopeColumns = ScopeColumns {
    organisation: Some("s.organisation_id"),
    service: Some("d.service_id"),
    commissioner: Some("s.commissioner_id"),
    region: Some("(SELECT ro.region_id FROM organisations ro WHERE ro.id = s.commissioner_id)"),
    ..ScopeColumns::NONE
};

const PAIR_COLUMNS: &str =
    "d.id, d.service_id, d.person_id, d.other_person_id, d.found_by, d.found_at,
    d.status, d.decided_at, d.decided_by, d.reason";

/// The order of the review list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PairSort {
    #[default]
    Found,
    Name,
}

impl PairSort {
    fn key(self) -> &'static str {
        match self {
            PairSort::Found => "d.found_at",
            PairSort::Name => "LOWER(a.family_name || ' ' || a.given_name)",
        }
    }
}

const LISTING: Listing = Listing {
    columns: "d.id, d.found_at, d.found_by, a.given_name, a.family_name, a.date_of_birth,
        b.given_name AS other_given_name, b.family_name AS other_family_name,
        b.date_of_birth AS other_date_of_birth",
    from: "FROM possible_duplicates d JOIN services s ON s.id = d.service_id
        JOIN people a ON a.id = d.person_id JOIN people b ON b.id = d.other_person_id WHERE ",
    count_from: "FROM possible_duplicates d JOIN services s ON s.id = d.service_id WHERE ",
    id: "d.id",
};

/// Pairs per insert statement (6 parameters each).
const PAIRS_PER_STATEMENT: usize = 100;

/// Puts pairs of people on their service's review list, each once: a pair
/// already there, waiting or decided, is left as it is. Each pair is
/// `(new id, one person, the other)`. Returns how many were added.
pub async fn queue(
    conn: &mut Conn,
    service_id: &str,
    pairs: &[(String, String, String)],
    found_by: &str,
    now: &str,
) -> Result<u64> {
    let rows: Vec<(&str, &str, &str)> = pairs
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(id, a, b)| {
            let (later, earlier) = if a > b { (a, b) } else { (b, a) };
            (id.as_str(), later.as_str(), earlier.as_str())
        })
        .collect();
    let mut added = 0;
    for chunk in rows.chunks(PAIRS_PER_STATEMENT) {
        let mut sql = Sql::many(
            conn,
            "INSERT INTO possible_duplicates (id, service_id, person_id, other_person_id, found_by, found_at) VALUES ",
        );
        for (i, (id, later, earlier)) in chunk.iter().enumerate() {
            sql.row(
                i == 0,
                &[
                    Value::Text(id),
                    Value::Text(service_id),
                    Value::Text(later),
                    Value::Text(earlier),
                    Value::Text(found_by),
                    Value::Text(now),
                ],
            );
        }
        sql.push(" ON CONFLICT (person_id, other_person_id) DO NOTHING");
        added += sql.query().execute(&mut *conn).await?.rows_affected();
    }
    Ok(added)
}

/// A page of the pairs waiting for a decision that the visibility allows.
pub async fn page_waiting(
    conn: &mut Conn,
    visibility: &Visibility,
    sort: PairSort,
    descending: bool,
    start: &Start,
    size: i64,
) -> Result<Page<ListedPair>> {
    let conditions = |sql: &mut Sql| {
        sql.scope(visibility, &PAIR_SCOPE);
        sql.push(" AND d.status = 'open'");
    };
    let order = Order {
        key: sort.key(),
        descending,
    };
    page(conn, &LISTING, &conditions, order, start, size).await
}

/// One pair, if the visibility allows it.
pub async fn find_visible(
    conn: &mut Conn,
    id: &str,
    visibility: &Visibility,
) -> Result<Option<Pair>> {
    let mut sql = Sql::new(&format!(
        "SELECT {PAIR_COLUMNS} FROM possible_duplicates d JOIN services s ON s.id = d.service_id WHERE d.id = "
    ));
    sql.text(id).push(" AND ");
    sql.scope(visibility, &PAIR_SCOPE);
    Ok(sql.query_as().fetch_optional(conn).await?)
}

/// Records the decision on a pair: `merged` or `dismissed`.
pub async fn decide(
    conn: &mut Conn,
    id: &str,
    status: &str,
    by: &str,
    now: &str,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE possible_duplicates SET status = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5",
    )
    .bind(status.to_string())
    .bind(by.to_string())
    .bind(now.to_string())
    .bind(reason.map(str::to_string))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// The pairs still waiting that name this person, either way round.
pub async fn waiting_with(conn: &mut Conn, person_id: &str) -> Result<Vec<Pair>> {
    let mut sql = Sql::new(&format!(
        "SELECT {PAIR_COLUMNS} FROM possible_duplicates d WHERE d.status = 'open' AND (d.person_id = "
    ));
    sql.text(person_id)
        .push(" OR d.other_person_id = ")
        .text(person_id)
        .push(") ORDER BY d.id");
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Whether this pair of people is already on the list, in any state.
pub async fn listed(conn: &mut Conn, a: &str, b: &str) -> Result<bool> {
    let (later, earlier) = if a > b { (a, b) } else { (b, a) };
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM possible_duplicates WHERE person_id = $1 AND other_person_id = $2",
    )
    .bind(later.to_string())
    .bind(earlier.to_string())
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Makes a waiting pair name other people (after one of them was merged).
pub async fn repoint(conn: &mut Conn, id: &str, a: &str, b: &str) -> Result<()> {
    let (later, earlier) = if a > b { (a, b) } else { (b, a) };
    sqlx::query(
        "UPDATE possible_duplicates SET person_id = $1, other_person_id = $2 WHERE id = $3",
    )
    .bind(later.to_string())
    .bind(earlier.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Two people of one service alike enough to look at, as the search of
/// existing records finds them (the finer comparison is the caller's).
#[derive(Debug, Clone, FromRow)]
pub struct Candidates {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<String>,
    pub phone_key: Option<String>,
    pub other_id: String,
    pub other_given_name: String,
    pub other_family_name: String,
    pub other_date_of_birth: Option<String>,
    pub other_phone_key: Option<String>,
}

/// Pairs of a service's people with the same date of birth, the same name,
/// or the same phone number: one index lookup per person for each. Records
/// merged away and alleged perpetrators are left out.
pub async fn candidates(conn: &mut Conn, service_id: &str) -> Result<Vec<Candidates>> {
    let not_perpetrator = |alias: &str| {
        format!(
            "{alias}.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM case_people cp
                WHERE cp.person_id = {alias}.id AND cp.relationship = 'perpetrator')"
        )
    };
    let select = "SELECT a.id, a.given_name, a.family_name, a.date_of_birth, a.phone_key,
            b.id AS other_id, b.given_name AS other_given_name, b.family_name AS other_family_name,
            b.date_of_birth AS other_date_of_birth, b.phone_key AS other_phone_key
        FROM people a JOIN people b ON b.service_id = a.service_id AND b.id < a.id AND ";
    let mut sql = Sql::new("");
    for (i, same) in [
        "b.date_of_birth = a.date_of_birth",
        "b.name_key = a.name_key",
        "b.phone_key = a.phone_key",
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            sql.push(" UNION ");
        }
        sql.push(select)
            .push(same)
            .push(" WHERE a.service_id = ")
            .text(service_id)
            .push(" AND ")
            .push(&not_perpetrator("a"))
            .push(" AND ")
            .push(&not_perpetrator("b"));
    }
    Ok(sql.query_as().fetch_all(conn).await?)
}

/// Pairs waiting for a decision that the visibility allows.
pub async fn count_waiting(conn: &mut Conn, visibility: &Visibility) -> Result<i64> {
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM possible_duplicates d JOIN services s ON s.id = d.service_id
         WHERE d.status = 'open' AND ",
    );
    sql.scope(visibility, &PAIR_SCOPE);
    Ok(sql.query_as::<(i64,)>().fetch_one(conn).await?.0)
}
