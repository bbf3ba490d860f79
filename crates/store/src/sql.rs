//! A small builder for dynamic SQL that numbers `$n` placeholders itself
//! (sqlx's `QueryBuilder` writes `?` for `Any`, which PostgreSQL refuses),
//! and renders a [`Visibility`] as a `WHERE` condition.

use domain::policy::Visibility;
use sqlx::any::AnyArguments;
use sqlx::{Any, AssertSqlSafe};

use crate::Conn;

/// A value in a row of [`Sql::row`].
pub enum Value<'a> {
    Text(&'a str),
    MaybeText(Option<&'a str>),
    Int(i64),
}

enum Arg {
    Text(String),
    MaybeText(Option<String>),
    Int(i64),
}

#[derive(Default)]
pub struct Sql {
    text: String,
    args: Vec<Arg>,
    /// Writes placeholders as `?`, bound in order, instead of `$n`.
    anonymous: bool,
}

/// The columns that place a row, for rendering a visibility scope.
/// A place the policy knows that a table cannot say is simply never matched,
/// so a missing column narrows a scope and never widens it.
pub struct ScopeColumns {
    pub organisation: Option<&'static str>,
    pub service: Option<&'static str>,
    pub commissioner: Option<&'static str>,
    /// The region of the commissioning office.
    pub region: Option<&'static str>,
    /// The team of the worker a case is allocated to.
    pub team: Option<&'static str>,
    /// The worker a case is allocated to.
    pub worker: Option<&'static str>,
    /// 1 for a restricted case, else 0.
    pub restricted: Option<&'static str>,
}

impl ScopeColumns {
    /// No columns: a start for `..ScopeColumns::NONE`.
    pub const NONE: ScopeColumns = ScopeColumns {
        organisation: None,
        service: None,
        commissioner: None,
        region: None,
        team: None,
        worker: None,
        restricted: None,
    };
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_string(),
            ..Sql::default()
        }
    }

    /// For statements with many parameters, such as multi-row inserts.
    /// SQLite finds each named parameter (`$n`) by scanning the statement's
    /// list of parameters, which is quadratic in their number; so on SQLite
    /// the placeholders are written as anonymous `?`, bound in order.
    /// PostgreSQL only understands `$n`.
    pub fn many(conn: &Conn, text: &str) -> Self {
        Sql {
            text: text.to_string(),
            anonymous: conn.backend_name() == "SQLite",
            ..Sql::default()
        }
    }

    fn placeholder(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        if self.anonymous {
            self.text.push('?');
        } else {
            let n = self.args.len();
            self.text.push_str(&format!("${n}"));
        }
        self
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub fn text(&mut self, value: impl Into<String>) -> &mut Self {
        self.placeholder(Arg::Text(value.into()))
    }

    /// Text or NULL.
    pub fn maybe_text(&mut self, value: Option<&str>) -> &mut Self {
        self.placeholder(Arg::MaybeText(value.map(str::to_string)))
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        self.placeholder(Arg::Int(value))
    }

    /// Appends `(v1, v2, …)`: one row of a multi-row `VALUES` list, with a
    /// separating comma before every row but the first.
    pub fn row(&mut self, first: bool, values: &[Value<'_>]) -> &mut Self {
        self.push(if first { "(" } else { ", (" });
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            match value {
                Value::Text(v) => self.text(*v),
                Value::MaybeText(v) => self.maybe_text(*v),
                Value::Int(v) => self.int(*v),
            };
        }
        self.push(")")
    }

    /// Appends a condition that holds only for rows the visibility allows.
    /// A scope that allows nothing renders as a condition that is never true.
    pub fn scope(&mut self, visibility: &Visibility, columns: &ScopeColumns) -> &mut Self {
        self.push("(");
        self.reach(visibility, columns);
        if let (Some(restricted), Some(reach)) = (columns.restricted, &visibility.restricted_reach)
        {
            self.push(" AND (").push(restricted).push(" = 0");
            if let (Some(worker), Some(actor)) = (columns.worker, &visibility.actor_id) {
                self.push(" OR ")
                    .push(worker)
                    .push(" = ")
                    .text(actor.clone());
            }
            self.push(" OR ");
            self.reach(reach, columns);
            self.push(")");
        }
        self.push(")")
    }

    /// The places a visibility lists, without its restriction.
    fn reach(&mut self, visibility: &Visibility, columns: &ScopeColumns) {
        if visibility.everything {
            self.push("1 = 1");
            return;
        }
        let mut parts = 0;
        self.push("(");
        for (ids, column) in [
            (&visibility.organisations, columns.organisation),
            (&visibility.services, columns.service),
            (&visibility.commissioned_by, columns.commissioner),
            (&visibility.teams, columns.team),
            (&visibility.regions, columns.region),
        ] {
            let Some(column) = column else { continue };
            if ids.is_empty() {
                continue;
            }
            if parts > 0 {
                self.push(" OR ");
            }
            self.in_list(column, ids);
            parts += 1;
        }
        if let (Some(service), Some(worker), Some(actor)) =
            (columns.service, columns.worker, &visibility.actor_id)
            && !visibility.own_caseload_in.is_empty()
        {
            if parts > 0 {
                self.push(" OR ");
            }
            self.push("(");
            self.in_list(service, &visibility.own_caseload_in);
            self.push(" AND ")
                .push(worker)
                .push(" = ")
                .text(actor.clone());
            self.push(")");
            parts += 1;
        }
        if parts == 0 {
            self.push("1 = 0");
        }
        self.push(")");
    }

    fn in_list(&mut self, column: &str, ids: &[String]) {
        self.push(column).push(" IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.text(id.clone());
        }
        self.push(")");
    }

    pub fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(self.text.clone()));
        for arg in &self.args {
            q = match arg {
                Arg::Text(v) => q.bind(v.clone()),
                Arg::MaybeText(v) => q.bind(v.clone()),
                Arg::Int(v) => q.bind(*v),
            };
        }
        q
    }

    pub fn query_as<T>(&self) -> sqlx::query::QueryAs<'_, Any, T, AnyArguments>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as(AssertSqlSafe(self.text.clone()));
        for arg in &self.args {
            q = match arg {
                Arg::Text(v) => q.bind(v.clone()),
                Arg::MaybeText(v) => q.bind(v.clone()),
                Arg::Int(v) => q.bind(*v),
            };
        }
        q
    }

    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: ScopeColumns = ScopeColumns {
        organisation: Some("s.organisation_id"),
        service: Some("s.id"),
        commissioner: Some("s.commissioner_id"),
        ..ScopeColumns::NONE
    };

    #[test]
    fn rows_number_their_placeholders_in_order() {
        let mut sql = Sql::new("INSERT INTO t (a, b, c) VALUES ");
        sql.row(
            true,
            &[Value::Text("x"), Value::MaybeText(None), Value::Int(1)],
        );
        sql.row(
            false,
            &[Value::Text("y"), Value::MaybeText(Some("z")), Value::Int(2)],
        );
        assert_eq!(
            sql.as_str(),
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(sql.args.len(), 6);
    }

    #[test]
    fn scope_numbers_placeholders_and_never_widens() {
        let mut sql = Sql::new("SELECT 1 FROM services s WHERE s.name = ");
        sql.text("x").push(" AND ");
        let v = Visibility {
            everything: false,
            organisations: vec!["o1".into()],
            services: vec!["s1".into(), "s2".into()],
            ..Visibility::default()
        };
        sql.scope(&v, &COLS);
        assert_eq!(
            sql.as_str(),
            "SELECT 1 FROM services s WHERE s.name = $1 AND ((s.organisation_id IN ($2) OR s.id IN ($3, $4)))"
        );
        let mut nothing = Sql::new("");
        nothing.scope(&Visibility::default(), &COLS);
        assert_eq!(nothing.as_str(), "((1 = 0))");
        // A scope on a column the table lacks allows nothing through it.
        let mut no_column = Sql::new("");
        let only_commissioner = Visibility {
            commissioned_by: vec!["c".into()],
            ..Visibility::default()
        };
        no_column.scope(
            &only_commissioner,
            &ScopeColumns {
                organisation: Some("o"),
                service: None,
                ..ScopeColumns::NONE
            },
        );
        assert_eq!(no_column.as_str(), "((1 = 0))");
    }
}
