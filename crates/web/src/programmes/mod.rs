//! Programmes (pilots): the list, a programme with its call-outs and the
//! forms to record one and import the baseline, a call-out's correction,
//! and the evaluation as tables, charts, CSV and XLSX.

mod evaluation;
mod setup;
mod show;

use axum::routing::{get, post};
use evaluation::*;
use setup::{correct as correct_programme, create as create_programme, edit_form, setup};
use show::*;

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/programmes", get(list))
        .route("/help/programmes", get(help))
        .route("/programmes/setup", get(setup).post(create_programme))
        .route("/programmes/{id}", get(programme))
        .route(
            "/programmes/{id}/edit",
            get(edit_form).post(correct_programme),
        )
        .route("/programmes/{id}/call-outs", post(record))
        .route(
            "/programmes/{id}/call-outs/{call_out}",
            get(correction).post(correct),
        )
        .route("/programmes/{id}/baseline", post(import_baseline))
        .route("/programmes/{id}/evaluation", get(evaluation))
}

/// How programmes work, written once in `docs/programmes.md` and shown here.
async fn help(crate::extract::Signed(ctx): crate::extract::Signed) -> axum::response::Response {
    crate::returns::help_page(
        &ctx,
        "How programmes are evaluated",
        "/programmes",
        &PROGRAMME_RULES,
    )
}

static PROGRAMME_RULES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::returns::markdown(include_str!("../../../../docs/programmes.md"))
});

/// The call-out's input as the form sends it: ticked boxes say "yes".
pub(crate) fn call_out_input(pairs: &[(String, String)]) -> app::programmes::CallOutInput {
    let text = |key: &str| crate::extract::field(pairs, key).to_string();
    let ticked = |key: &str| crate::extract::field(pairs, key) == "yes";
    app::programmes::CallOutInput {
        day: text("day"),
        time: text("time"),
        incident_reference: text("incident_reference"),
        area: text("area"),
        given_name: text("given_name"),
        family_name: text("family_name"),
        date_of_birth: text("date_of_birth"),
        joint_attendance: ticked("joint_attendance"),
        dash_done: ticked("dash_done"),
        dash_level: text("dash_level"),
        safety_plan: ticked("safety_plan"),
        children_present: ticked("children_present"),
        arrest: ticked("arrest"),
        protection_applied: ticked("protection_applied"),
        protection_granted: ticked("protection_granted"),
        engaged: ticked("engaged"),
        onward_referral: ticked("onward_referral"),
        justice_outcome: text("justice_outcome"),
    }
}

/// The boxes a call-out form ticks, with their labels, in order.
pub(crate) const TICKS: [(&str, &str); 9] = [
    (
        "joint_attendance",
        "Attended jointly (officer and specialist worker)",
    ),
    ("dash_done", "DASH done at the scene"),
    ("safety_plan", "Safety plan made"),
    ("children_present", "Children present"),
    ("arrest", "Arrest made"),
    (
        "protection_applied",
        "Protection notice or order applied for",
    ),
    ("protection_granted", "Protection notice or order granted"),
    ("engaged", "Victim engaged with support"),
    ("onward_referral", "Onward referral made"),
];

/// A DASH level, in words.
pub fn level_label(code: &str) -> &'static str {
    domain::risk::Level::parse(code).map_or("Unknown", |l| l.label())
}

/// A baseline measure, in words.
pub fn measure_label(code: &str) -> &'static str {
    domain::programmes::Measure::parse(code).map_or("Unknown", |m| m.label())
}

/// A criminal justice outcome, in words.
pub fn outcome_label(code: &str) -> &'static str {
    domain::programmes::JusticeOutcome::parse(code).map_or("Unknown", |o| o.label())
}
