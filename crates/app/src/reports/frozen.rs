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

use super::{Row, Table};
use crate::{App, AppError, Result};

/// Which figures: the MoJ return of one service, or one MARAC's data.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Figures<'a> {
    Return { service_id: &'a str },
    Marac { marac_id: &'a str },
}

impl Figures<'_> {
    fn key(&self) -> (&'static str, &str) {
        match self {
            Figures::Return { service_id } => ("moj-return", service_id),
            Figures::Marac { marac_id } => ("marac", marac_id),
        }
    }
}

/// A kept table: its rows, and the definition that names its shape.
#[derive(Serialize, Deserialize)]
struct Kept {
    definition: String,
    rows: Vec<Row>,
}

impl App {
    /// The period's protected tables as first shown, and when: kept now by
    /// `build` if nobody has been shown them yet. `shapes` are the tables
    /// the figures have (their titles and columns), by definition.
    pub(crate) async fn frozen<F>(
        &self,
        figures: Figures<'_>,
        (from, to): (Date, Date),
        shapes: Vec<Table>,
        build: F,
    ) -> Result<(Vec<Table>, String)>
    where
        F: Future<Output = Result<Vec<Table>>>,
    {
        let (kind, subject) = figures.key();
        let (from, to) = (from.to_string(), to.to_string());
        let mut conn = self.db.conn().await?;
        let found = store::reports::frozen_figures(&mut conn, kind, subject, &from, &to).await?;
        drop(conn);
        let (tables, at) = match found {
            Some(kept) => kept,
            None => {
                let built = build.await?;
                let kept: Vec<Kept> = built
                    .iter()
                    .map(|t| Kept {
                        definition: t.definition.to_string(),
                        rows: t.rows.clone(),
                    })
                    .collect();
                let json = serde_json::to_string(&kept)
                    .map_err(|e| AppError::Internal(format!("kept figures: {e}")))?;
                let mut conn = self.db.conn().await?;
                store::reports::freeze_figures(
                    &mut conn,
                    kind,
                    subject,
                    (&from, &to),
                    &json,
                    &self.clock.now_text(),
                )
                .await?;
                // Read back: a reader first at the same moment may have kept
                // theirs, and both must be shown the same.
                store::reports::frozen_figures(&mut conn, kind, subject, &from, &to)
                    .await?
                    .ok_or_else(|| AppError::Internal("kept figures vanished".into()))?
            }
        };
        Ok((shaped(&tables, shapes)?, at))
    }
}

/// The kept rows in their tables' shapes. A table this version no longer
/// has is left out; one it has gained was not shown then, so it stays out.
fn shaped(json: &str, shapes: Vec<Table>) -> Result<Vec<Table>> {
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
            shaped(&json, vec![table("a", Vec::new()), table("b", Vec::new())]).expect("shaped");
        let definitions: Vec<&str> = tables.iter().map(|t| t.definition).collect();
        assert_eq!(definitions, ["b", "a"]);
        assert_eq!(tables[0].rows, rows);
        assert_eq!(tables[0].title, "A title");
    }
}
