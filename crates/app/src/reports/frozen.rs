//! Protected figures kept as first shown (`docs/moj-return.md#frozen`).
//!
//! Someone outside the service who reads a period's figures, then reads
//! them again after a record of the period was corrected, would learn the
//! correction from the difference: one person's characteristic or answer.
//! So the first time a period's protected figures are shown they are kept,
//! and every later reader is shown the same tables.

use std::future::Future;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Row, Table};
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

/// Who keeps figures in the audit log: the first reading asks for it, but
/// the keeping is the system's.
const KEEPER: &str = "figures kept as first shown";

/// Which figures: the MoJ return of one service, one MARAC's data, or one
/// programme's evaluation.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Figures<'a> {
    Return { service_id: &'a str },
    Marac { marac_id: &'a str },
    Programme { programme_id: &'a str },
}

impl Figures<'_> {
    fn key(&self) -> (&'static str, &str) {
        match self {
            Figures::Return { service_id } => ("moj-return", service_id),
            Figures::Marac { marac_id } => ("marac", marac_id),
            Figures::Programme { programme_id } => ("programme", programme_id),
        }
    }
}

/// A kept table: its rows, and the definition that names its shape.
#[derive(Serialize, Deserialize)]
struct Kept {
    definition: String,
    rows: Vec<Row>,
}

/// The kept tables of the periods either side of one, when kept: what the
/// figures must be checked beside before they are kept themselves.
pub(crate) struct Neighbours {
    pub(crate) before: Option<Vec<Table>>,
    pub(crate) after: Option<Vec<Table>>,
}

impl App {
    /// The period's protected tables as first shown, and when: kept now by
    /// `build` if nobody has been shown them yet, after `beside` has
    /// checked them against the kept periods either side. `shapes` are the
    /// tables the figures have (their titles and columns), by definition.
    ///
    /// Keeping goes through the door, audited: one write transaction, which
    /// writers take in turn, so two first readers of the same period are
    /// shown the same tables, and two of neighbouring periods each see the
    /// other's.
    pub(crate) async fn frozen<F>(
        &self,
        figures: Figures<'_>,
        (from, to): (Date, Date),
        shapes: Vec<Table>,
        build: F,
        beside: fn(&mut [Table], &Neighbours),
    ) -> Result<(Vec<Table>, String)>
    where
        F: Future<Output = Result<Vec<Table>>>,
    {
        let (kind, subject) = figures.key();
        let period = (from.to_string(), to.to_string());
        let mut conn = self.db.conn().await?;
        let found =
            store::reports::frozen_figures(&mut conn, kind, subject, &period.0, &period.1).await?;
        drop(conn);
        if let Some((tables, at)) = found {
            return Ok((shaped(&tables, &shapes)?, at));
        }
        // Worked out before the transaction: the return's queries take
        // seconds, and nothing they read is changed by keeping.
        let mut built = build.await?;
        let now = self.clock.now_text();
        let mut door = self.write_unattributed(KEEPER, &now).await?;
        let conn = door.conn();
        if let Some((tables, at)) =
            store::reports::frozen_figures(conn, kind, subject, &period.0, &period.1).await?
        {
            door.abandon().await?;
            return Ok((shaped(&tables, &shapes)?, at));
        }
        let periods = self.settings.report_periods;
        let mut kept_in = async |(first, last): (Date, Date)| -> Result<Option<Vec<Table>>> {
            let kept = store::reports::frozen_figures(
                conn,
                kind,
                subject,
                &first.to_string(),
                &last.to_string(),
            )
            .await?;
            kept.map(|(tables, _)| shaped(&tables, &shapes)).transpose()
        };
        let before = kept_in(periods.before(from)).await?;
        let after = match to.tomorrow() {
            Ok(next) => kept_in(periods.containing(next)).await?,
            Err(_) => None,
        };
        beside(&mut built, &Neighbours { before, after });
        let kept: Vec<Kept> = built
            .iter()
            .map(|t| Kept {
                definition: t.definition.to_string(),
                rows: t.rows.clone(),
            })
            .collect();
        let json = serde_json::to_string(&kept)
            .map_err(|e| AppError::Internal(format!("kept figures: {e}")))?;
        store::reports::freeze_figures(
            door.conn(),
            kind,
            subject,
            (&period.0, &period.1),
            &json,
            &now,
        )
        .await?;
        let service = match figures {
            Figures::Return { service_id } => Some(service_id),
            Figures::Marac { .. } | Figures::Programme { .. } => None,
        };
        door.commit(
            Change::new(AuditAction::FiguresKept, kind, subject)
                .place(None, service)
                .after(json!({ "from": period.0, "to": period.1 })),
        )
        .await?;
        Ok((built, now))
    }
}

/// The kept rows in their tables' shapes. A table this version no longer
/// has is left out; one it has gained was not shown then, so it stays out.
fn shaped(json: &str, shapes: &[Table]) -> Result<Vec<Table>> {
    let kept: Vec<Kept> =
        serde_json::from_str(json).map_err(|e| AppError::Internal(format!("kept figures: {e}")))?;
    Ok(kept
        .into_iter()
        .filter_map(|k| {
            let shape = shapes.iter().find(|s| s.definition == k.definition)?;
            Some(Table {
                definition: shape.definition,
                title: shape.title,
                columns: shape.columns.clone(),
                rows: k.rows,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::Cell;
    use domain::disclosure::Shown;

    fn table(definition: &'static str, rows: Vec<Row>) -> Table {
        Table {
            definition,
            title: "A title",
            columns: vec!["Number"],
            rows,
        }
    }

    #[test]
    fn kept_rows_come_back_in_their_shapes_and_order() {
        let rows = vec![Row {
            label: "Referrals received".into(),
            cells: vec![Cell::Protected(Shown::UnderFive)],
        }];
        let kept = vec![
            Kept {
                definition: "b".into(),
                rows: rows.clone(),
            },
            Kept {
                definition: "gone".into(),
                rows: Vec::new(),
            },
            Kept {
                definition: "a".into(),
                rows: Vec::new(),
            },
        ];
        let json = serde_json::to_string(&kept).expect("json");
        let tables =
            shaped(&json, &[table("a", Vec::new()), table("b", Vec::new())]).expect("shaped");
        let definitions: Vec<&str> = tables.iter().map(|t| t.definition).collect();
        assert_eq!(definitions, ["b", "a"]);
        assert_eq!(tables[0].rows, rows);
        assert_eq!(tables[0].title, "A title");
    }
}
