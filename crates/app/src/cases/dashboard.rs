//! The team dashboard for those who allocate: each worker's load, what is
//! overdue, the referrals whose deadlines are missed or due today, and how
//! referrals in and open cases have moved week by week. Counts and the
//! team's own tasks only: no victim's details beyond a case reference.

use std::collections::BTreeMap;

use domain::policy::{self, Action, Actor};
use jiff::ToSpan;
use jiff::civil::Date;
use store::cases::OverdueTask;
use store::referrals::ReferralFilter;

use crate::{App, AppError, Result};

/// Weeks the charts cover.
pub const WEEKS: usize = 12;

/// One worker's row (or the row of cases allocated to nobody).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerLoad {
    /// `None` for cases not allocated.
    pub caseworker_id: Option<String>,
    pub name: String,
    pub open_cases: i64,
    pub overdue_tasks: i64,
}

/// A week of the charts: the Monday it starts, and its figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub starts: Date,
    pub value: i64,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub loads: Vec<WorkerLoad>,
    pub overdue: Vec<OverdueTask>,
    /// Referrals awaiting contact whose information deadline has passed, and
    /// those due today.
    pub referrals_overdue: i64,
    pub referrals_due_today: i64,
    /// Referrals received each week, oldest first.
    pub referrals_in: Vec<Week>,
    /// Cases open at the end of each week, oldest first.
    pub cases_open: Vec<Week>,
    /// Pairs of records that may be one person, waiting for a decision.
    pub possible_duplicates: i64,
}

impl App {
    /// The dashboard over the services where the actor allocates cases.
    pub async fn team_dashboard(&self, actor: &Actor) -> Result<Dashboard> {
        if !policy::may_somewhere(actor, Action::AllocateCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::AllocateCases);
        let today = self.today();
        let day = today.to_string();
        let mut conn = self.db.conn().await?;
        let overdue_by_worker: BTreeMap<Option<String>, i64> =
            store::cases::overdue_tasks_by_worker(&mut conn, &visibility, &day)
                .await?
                .into_iter()
                .collect();
        let loads = store::cases::caseloads(&mut conn, &visibility)
            .await?
            .into_iter()
            .map(|load| WorkerLoad {
                overdue_tasks: overdue_by_worker
                    .get(&load.caseworker_id)
                    .copied()
                    .unwrap_or_default(),
                name: load.caseworker_name.unwrap_or_default(),
                caseworker_id: load.caseworker_id,
                open_cases: load.open_cases,
            })
            .collect();
        let overdue = store::cases::overdue_tasks(&mut conn, &visibility, &day, 100).await?;
        let waiting = |due_before: Option<String>, due_on: Option<String>| ReferralFilter {
            status: Some("new".into()),
            due_before,
            due_on,
            ..ReferralFilter::default()
        };
        let referrals_overdue =
            store::referrals::count(&mut conn, &visibility, &waiting(Some(day.clone()), None))
                .await?;
        let referrals_due_today =
            store::referrals::count(&mut conn, &visibility, &waiting(None, Some(day.clone())))
                .await?;
        let possible_duplicates = store::duplicates::count_waiting(&mut conn, &visibility).await?;

        let this_monday = today
            .checked_sub((today.weekday().to_monday_zero_offset() as i64).days())
            .unwrap_or(today);
        let mondays: Vec<Date> = (0..WEEKS)
            .rev()
            .filter_map(|back| this_monday.checked_sub(((back * 7) as i64).days()).ok())
            .collect();
        let first = mondays.first().copied().unwrap_or(today);
        let by_day =
            store::referrals::received_by_day(&mut conn, &visibility, &first.to_string()).await?;
        let mut referrals_in: Vec<Week> = mondays
            .iter()
            .map(|m| Week {
                starts: *m,
                value: 0,
            })
            .collect();
        for (received, n) in by_day {
            let Ok(received) = received.parse::<Date>() else {
                continue;
            };
            if let Some(week) = referrals_in.iter_mut().rev().find(|w| w.starts <= received) {
                week.value += n;
            }
        }
        // The end of each week, or today for the week under way.
        let ends: Vec<String> = mondays
            .iter()
            .map(|monday| {
                monday
                    .checked_add(6.days())
                    .map(|sunday| sunday.min(today))
                    .unwrap_or(today)
                    .to_string()
            })
            .collect();
        let open = store::cases::open_at_ends(&mut conn, &visibility, &ends).await?;
        let cases_open = mondays
            .iter()
            .zip(open)
            .map(|(monday, value)| Week {
                starts: *monday,
                value,
            })
            .collect();
        Ok(Dashboard {
            loads,
            overdue,
            referrals_overdue,
            referrals_due_today,
            referrals_in,
            cases_open,
            possible_duplicates,
        })
    }
}
