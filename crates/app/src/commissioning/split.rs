//! A decision's amounts worked out by splitting one sum: by fixed shares,
//! or by the activity recorded in a period in each area, to the penny
//! (docs/commissioning.md#splits). The inputs are kept with the decision.

use domain::commissioning::{basis_points, split, split_by_shares};
use domain::validation::FieldErrors;
use domain::values::{Day, Pence};
use jiff::civil::Date;
use serde_json::json;
use store::Conn;
use store::commissioning::{FundingSource, Split};

use super::DecisionInput;
use super::messages::CommissioningMessage;
use crate::Result;

/// The amounts a split makes, as the amounts' lines
/// (`recipient | amount | source`), and the split to keep; `None` when
/// the amounts are typed. Problems are added to `errors` by field.
pub(super) async fn work_out(
    conn: &mut Conn,
    office_id: &str,
    input: &DecisionInput,
    sources: &[FundingSource],
    today: Date,
    errors: &mut FieldErrors,
) -> Result<Option<(String, Split)>> {
    let method = input.split_method.trim();
    if method.is_empty() {
        return Ok(None);
    }
    if !input.amounts.trim().is_empty() {
        errors.add("amounts", CommissioningMessage::SplitAndAmounts);
    }
    if method != "shares" && method != "activity" {
        errors.add("split_method", CommissioningMessage::ChooseSplit);
        return Ok(None);
    }
    let total = Pence::parse(&input.split_total).ok().filter(|p| p.0 > 0);
    if total.is_none() {
        errors.add("split_total", CommissioningMessage::SplitTotal);
    }
    // Each line: recipient, weight (a share, or an area), source.
    let mut problems = Vec::new();
    let mut parts: Vec<(String, String, String)> = Vec::new();
    for (line, cells) in domain::commissioning::lines_of(&input.split_lines) {
        let source = cells
            .get(2)
            .and_then(|s| sources.iter().find(|k| k.name.eq_ignore_ascii_case(s)));
        match (cells.as_slice(), source) {
            ([recipient, weight, _], Some(source)) if !recipient.is_empty() && !weight.is_empty() => {
                parts.push((recipient.to_string(), weight.to_string(), source.name.clone()));
            }
            _ => problems.push(format!(
                "line {}: give the recipient, the {} and one of the office's funding sources, separated by |",
                line,
                if method == "shares" { "share" } else { "area" }
            )),
        }
    }
    if parts.is_empty() && problems.is_empty() {
        problems.push("give at least one line".to_string());
    }
    let (weights, period) = if method == "shares" {
        let shares: Vec<Option<i64>> = parts.iter().map(|(_, w, _)| basis_points(w)).collect();
        if shares.iter().any(Option::is_none) {
            problems.push("each share is a percentage, such as 60%".to_string());
        } else if shares.iter().flatten().sum::<i64>() != 10_000 {
            problems.push("the shares must add up to 100%".to_string());
        }
        (
            shares
                .into_iter()
                .map(|s| s.unwrap_or(0))
                .collect::<Vec<_>>(),
            None,
        )
    } else {
        let from = Day::parse(&input.split_from).ok().map(|d| d.date());
        let to = Day::parse(&input.split_to).ok().map(|d| d.date());
        let period = match (from, to) {
            (Some(f), Some(t)) if f <= t && t <= today => Some((f, t)),
            _ => {
                errors.add("split_from", CommissioningMessage::SplitPeriod);
                None
            }
        };
        let mut minutes = Vec::new();
        if let Some((f, t)) = period {
            let everything = domain::policy::Visibility {
                everything: true,
                ..Default::default()
            };
            let services: Vec<String> = store::directory::list_services(conn, &everything)
                .await?
                .into_iter()
                .filter(|s| s.commissioner_id.as_deref() == Some(office_id))
                .map(|s| s.id)
                .collect();
            let sums =
                store::activity::sums(conn, &services, &f.to_string(), &t.to_string()).await?;
            for (_, area, _) in &parts {
                let m: i64 = sums
                    .iter()
                    .filter(|s| s.area_name.eq_ignore_ascii_case(area))
                    .map(|s| s.minutes)
                    .sum();
                if m == 0 {
                    errors.add(
                        "split_lines",
                        CommissioningMessage::NoActivity { area: area.clone() },
                    );
                }
                minutes.push(m);
            }
        }
        (minutes, period)
    };
    if !problems.is_empty() {
        errors.add(
            "split_lines",
            CommissioningMessage::SplitLines {
                problems: problems.join("; "),
            },
        );
    }
    let Some(total) = total else {
        return Ok(None);
    };
    if !errors.is_empty() {
        return Ok(None);
    }
    let amounts = if method == "shares" {
        split_by_shares(total, &weights)
    } else {
        split(total, &weights)
    };
    let Ok(amounts) = amounts else {
        return Ok(None);
    };
    let lines: Vec<String> = parts
        .iter()
        .zip(&amounts)
        .map(|((recipient, _, source), amount)| format!("{recipient} | {amount} | {source}"))
        .collect();
    let inputs = json!(
        parts
            .iter()
            .zip(&weights)
            .zip(&amounts)
            .map(|(((recipient, weight, source), w), amount)| json!({
                "recipient": recipient,
                "source": source,
                "given": weight,
                "weight": w,
                "amount_pence": amount.0,
            }))
            .collect::<Vec<_>>()
    );
    Ok(Some((
        lines.join("\n"),
        Split {
            method: method.to_string(),
            total_pence: total.0,
            period_from: period.map(|(f, _)| f.to_string()),
            period_to: period.map(|(_, t)| t.to_string()),
            inputs: inputs.to_string(),
        },
    )))
}
