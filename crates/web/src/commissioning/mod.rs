//! Commissioning: the office's budgets and decisions for its staff, and
//! the public register of published decisions for anyone.

mod contract;
mod decision;
mod office;
mod pools;
mod records;
mod register;
mod report;

use axum::routing::{get, post};

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/commissioning", get(office::home))
        .route("/commissioning/sources", post(office::create_source))
        .route("/commissioning/objectives", post(office::create_objective))
        .route(
            "/commissioning/objectives/{id}",
            get(records::objective_form).post(records::correct_objective),
        )
        .route(
            "/commissioning/sources/{id}",
            get(records::source_form).post(records::correct_source),
        )
        .route("/commissioning/allocations", post(office::set_allocation))
        .route(
            "/commissioning/decisions/new",
            get(decision::new_form).post(decision::draft),
        )
        .route("/commissioning/decisions/{id}", get(decision::show))
        .route(
            "/commissioning/decisions/{id}/edit",
            get(decision::edit_form).post(decision::amend),
        )
        .route(
            "/commissioning/decisions/{id}/consult",
            post(decision::consult),
        )
        .route(
            "/commissioning/decisions/{id}/approve",
            post(decision::approve),
        )
        .route("/contracts", get(contract::list))
        .route(
            "/contracts/new",
            get(contract::new_form).post(contract::create),
        )
        .route("/contracts/{id}", get(contract::show))
        .route(
            "/contracts/{id}/edit",
            get(contract::edit_form).post(contract::correct),
        )
        .route("/contracts/{id}/payments", post(contract::pay))
        .route("/contracts/{id}/narrative", post(contract::narrate))
        .route("/commissioning/report", get(report::report))
        .route("/pools", get(pools::list).post(pools::create))
        .route("/pools/{id}", get(pools::show))
        .route(
            "/pools/{id}/edit",
            get(pools::edit_form).post(pools::correct),
        )
        .route("/help/commissioning", get(help))
        .route("/register", get(register::list))
        .route("/register/decisions.csv", get(register::csv))
        .route("/register/decisions.json", get(register::json))
        .route("/register/feed.atom", get(register::atom))
        .route("/register/decisions/{id}", get(register::show))
        .route("/register/services", get(register::funded))
}

/// How commissioning works, written once in `docs/commissioning.md`.
async fn help(crate::extract::Signed(ctx): crate::extract::Signed) -> axum::response::Response {
    crate::returns::help_page(&ctx, "How commissioning works", "/commissioning", &RULES)
}

static RULES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::returns::markdown(include_str!("../../../../docs/commissioning.md"))
});

/// A decision's stage on a day, in words: an approved decision is
/// published from its day.
pub fn stage_label(d: &app::commissioning::Decision, today: &jiff::civil::Date) -> String {
    use domain::commissioning::DecisionStage;
    let stored = DecisionStage::parse(&d.stage).unwrap_or(DecisionStage::Draft);
    let publish_on = d.publish_on.as_deref().and_then(|p| p.parse().ok());
    match domain::commissioning::stage_on(stored, publish_on, *today) {
        DecisionStage::Approved => "Approved, publication deferred".to_string(),
        // One officer of the two has approved it as it stands.
        DecisionStage::Draft if d.approvals > 0 => {
            format!(
                "{}: {} of 2 approvals",
                DecisionStage::Draft.label(),
                d.approvals
            )
        }
        other => other.label().to_string(),
    }
}

/// An amount of pence as pounds, such as £47,013.00.
pub fn pounds(pence: &i64) -> String {
    domain::values::Pence(*pence).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_says_how_many_of_its_two_approvals_are_in() {
        let today = jiff::civil::date(2026, 11, 29);
        let draft = |approvals| app::commissioning::Decision {
            stage: "draft".into(),
            approvals,
            ..Default::default()
        };
        assert_eq!(stage_label(&draft(0), &today), "Draft");
        assert_eq!(stage_label(&draft(1), &today), "Draft: 1 of 2 approvals");
        let deferred = app::commissioning::Decision {
            stage: "approved".into(),
            publish_on: Some("2026-12-13".into()),
            ..Default::default()
        };
        assert_eq!(
            stage_label(&deferred, &today),
            "Approved, publication deferred"
        );
    }
}
