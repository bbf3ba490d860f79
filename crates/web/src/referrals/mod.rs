//! Referrals: the worklist with Victims' Code deadlines, taking a referral,
//! safe contact, contact attempts and triage.

mod contact;
mod edit;
mod new;
mod show;
mod triage;
mod worklist;

use contact::*;
use edit::*;
use new::*;
use show::*;
use triage::*;
use worklist::*;

use app::referrals::DeadlineView;
use app::store::people::ContactPreference;
use axum::routing::{get, post};
use domain::journey::{AttemptResult, Channel, ReferralSource, ReferralStatus};
use domain::victims_code::{DeadlineState, EnhancedReason};

use crate::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .route("/referrals", get(worklist))
        .route("/referrals/new", get(new_page).post(create))
        .route("/referrals/{id}", get(referral))
        .route("/referrals/{id}/edit", get(edit_page).post(correct))
        .route("/referrals/{id}/attempts", post(attempt))
        .route("/referrals/{id}/preferences", post(preference))
        .route("/referrals/{id}/triage", post(triage))
}

/// The date part of a stored instant.
/// The day an instant fell on in England and Wales, in words.
pub fn day(instant: &str) -> String {
    crate::time::day(instant)
}

pub fn status_label(code: &str) -> &'static str {
    ReferralStatus::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub fn source_label(code: &str) -> &'static str {
    ReferralSource::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub fn channel_label(code: &str) -> &'static str {
    Channel::parse(code).map(|s| s.label()).unwrap_or("Unknown")
}

pub fn result_label(code: &str) -> &'static str {
    AttemptResult::parse(code)
        .map(|s| s.label())
        .unwrap_or("Unknown")
}

pub fn consent_label(code: &str) -> &'static str {
    match code {
        "given" => "Given",
        "declined" => "Declined",
        "withdrawn" => "Withdrawn",
        _ => "Not asked (the crime type allows referral unless declined)",
    }
}

pub fn reasons_label(codes: &str) -> String {
    codes
        .split_whitespace()
        .filter_map(EnhancedReason::parse)
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a reason for enhanced rights is ticked on a referral's form.
pub(crate) fn ticked(form: &app::referrals::ReferralInput, code: &str) -> bool {
    form.enhanced_reasons.iter().any(|r| r == code)
}

/// The answers to "did the victim agree to be contacted?", none chosen first.
pub(crate) fn consent_options() -> Options {
    vec![
        ("given", "Yes, consent given"),
        ("not_asked", "Not asked"),
        ("declined", "No, declined"),
        ("withdrawn", "Consent withdrawn"),
    ]
}

pub fn deadline_class(d: &DeadlineView) -> &'static str {
    match d.state {
        DeadlineState::Met => "",
        DeadlineState::Pending => " tag-grey",
        DeadlineState::DueToday | DeadlineState::Overdue | DeadlineState::Missed => " tag-red",
    }
}

pub(crate) fn is_unsafe(preferences: &[ContactPreference], channel: &str) -> bool {
    preferences
        .iter()
        .any(|p| p.channel == channel && p.safe == 0)
}

pub(crate) type Options = Vec<(&'static str, &'static str)>;

/// Each demographic list puts "not known" first, as the default.
pub(crate) fn not_known_first(mut list: Options) -> Options {
    if let Some(i) = list.iter().position(|o| o.0 == "not_known") {
        let not_known = list.remove(i);
        list.insert(0, not_known);
    }
    list
}
