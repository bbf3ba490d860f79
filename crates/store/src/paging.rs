//! Keyset paging for every list: a page of rows after (or before) a row
//! named by its id, in the order of one sort key, with the count of all the
//! rows the filter lets through.
//!
//! The cursor is only a row's opaque id: the sort key's value (a name, a
//! date) is looked up here, so nothing personal travels in an address.

use sqlx::any::AnyRow;

use crate::{Conn, Result, Sql};

/// A table's listing: its columns, and its `FROM … WHERE ` text (ending in
/// `WHERE `, so a filter follows), and the expression naming a row.
pub struct Listing {
    pub columns: &'static str,
    pub from: &'static str,
    /// The `FROM … WHERE ` a count needs: only the tables a filter may
    /// name, so counting a large list does not join what only its page
    /// shows. Usually the same as `from`.
    pub count_from: &'static str,
    pub id: &'static str,
}

/// The order of a page: a text expression that is never NULL (use
/// `COALESCE`), and its direction. Rows with the same key go in id order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    pub key: &'static str,
    pub descending: bool,
}

/// Where a page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Start {
    #[default]
    First,
    /// The rows after this row's id.
    After(String),
    /// The rows before this row's id.
    Before(String),
}

/// A list counts its rows up to this many and then says "more than": a
/// page of 50 should not cost counting a whole service's backlog.
pub const COUNT_LIMIT: i64 = 10_000;

/// One page of rows, with the count of all of them.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    /// There are more rows than `total`: counting stopped at its limit.
    pub more_than_total: bool,
    /// Whether rows come before this page and after it.
    pub earlier: bool,
    pub later: bool,
}

impl<T> Page<T> {
    /// The same page with each row turned into something else.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(f).collect(),
            total: self.total,
            more_than_total: self.more_than_total,
            earlier: self.earlier,
            later: self.later,
        }
    }
}

/// Fetches one page. `filter` appends the list's conditions after `WHERE `
/// (the visibility first); it is applied to each query in turn. A cursor row
/// the filter does not let through starts from the first page.
pub async fn page<T>(
    conn: &mut Conn,
    listing: &Listing,
    filter: &(dyn Fn(&mut Sql) + Sync),
    order: Order,
    start: &Start,
    size: i64,
) -> Result<Page<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    let (total, more_than_total) = count_up_to(conn, listing, filter, COUNT_LIMIT).await?;

    let (cursor, backwards) = match start {
        Start::First => (None, false),
        Start::After(id) => (cursor_key(conn, listing, filter, order, id).await?, false),
        Start::Before(id) => (cursor_key(conn, listing, filter, order, id).await?, true),
    };
    let backwards = backwards && cursor.is_some();
    // Walking backwards reads the rows in the opposite order, then turns them round.
    let descending = order.descending != backwards;
    let (direction, beyond) = if descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let mut rows = Sql::new(&format!("SELECT {} {}", listing.columns, listing.from));
    filter(&mut rows);
    if let Some((key, id)) = &cursor {
        rows.push(" AND (")
            .push(order.key)
            .push(&format!(" {beyond} "))
            .text(key.clone())
            .push(" OR (")
            .push(order.key)
            .push(" = ")
            .text(key.clone())
            .push(&format!(" AND {} {beyond} ", listing.id))
            .text(id.clone())
            .push("))");
    }
    rows.push(&format!(
        " ORDER BY {} {direction}, {} {direction} LIMIT ",
        order.key, listing.id
    ))
    .int(size + 1);
    let mut found: Vec<T> = rows.query_as().fetch_all(&mut *conn).await?;
    let more = found.len() as i64 > size;
    found.truncate(usize::try_from(size).unwrap_or(0));
    if backwards {
        found.reverse();
    }
    let (earlier, later) = match (&cursor, backwards) {
        (None, _) => (false, more),
        (Some(_), false) => (true, more),
        (Some(_), true) => (more, true),
    };
    Ok(Page {
        rows: found,
        total,
        more_than_total,
        earlier,
        later,
    })
}

/// How many rows the filter lets through.
pub async fn count(
    conn: &mut Conn,
    listing: &Listing,
    filter: &(dyn Fn(&mut Sql) + Sync),
) -> Result<i64> {
    let mut sql = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) {}",
        listing.count_from
    ));
    filter(&mut sql);
    let (total,): (i64,) = sql.query_as().fetch_one(conn).await?;
    Ok(total)
}

/// How many rows the filter lets through, counting no further than
/// `limit`: the count, and whether there are more than it.
async fn count_up_to(
    conn: &mut Conn,
    listing: &Listing,
    filter: &(dyn Fn(&mut Sql) + Sync),
    limit: i64,
) -> Result<(i64, bool)> {
    let mut sql = Sql::new(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 AS one {}",
        listing.count_from
    ));
    filter(&mut sql);
    sql.push(" LIMIT ").int(limit + 1).push(") counted");
    let (found,): (i64,) = sql.query_as().fetch_one(conn).await?;
    Ok((found.min(limit), found > limit))
}

/// The sort key and id of the cursor's row, if the filter lets it through.
async fn cursor_key(
    conn: &mut Conn,
    listing: &Listing,
    filter: &(dyn Fn(&mut Sql) + Sync),
    order: Order,
    id: &str,
) -> Result<Option<(String, String)>> {
    let mut sql = Sql::new(&format!(
        "SELECT {} AS k, {} AS i {}",
        order.key, listing.id, listing.from
    ));
    filter(&mut sql);
    sql.push(&format!(" AND {} = ", listing.id)).text(id);
    Ok(sql.query_as().fetch_optional(conn).await?)
}
