//! A rota as planned: each day's shifts from the cover pattern, who holds
//! each, and the gaps (a shift with nobody) of the coming four weeks.

use domain::calendar::{Calendar, Nation};
use domain::duty::{DayKind, Pattern, days_from};
use domain::policy::{Action, Actor};
use jiff::civil::Date;
use store::duty::{Rota, RotaService, Shift};
use store::users::User;

use crate::calendar::uk_time_zone;
use crate::duty::access::{may_on, service_place, shared};
use crate::{App, Result};

/// How many days the rota page shows at once: two weeks.
pub const DAYS_SHOWN: i64 = 14;
/// How far ahead gaps are listed.
const GAPS_AHEAD: i64 = 28;

#[derive(Debug, Clone)]
pub struct RotaView {
    pub rota: Rota,
    pub services: Vec<RotaService>,
    pub from: Date,
    pub days: Vec<RotaDay>,
    /// Shifts with nobody in the coming four weeks.
    pub gaps: Vec<Gap>,
    /// Whether the actor plans any of the rota's services.
    pub can_plan: bool,
    /// (worker, the service they cover for) the actor may put on a shift.
    pub workers: Vec<(User, String)>,
    /// The rota's services the actor plans for: they take workers off
    /// those services' shifts only.
    pub plans: Vec<String>,
    /// Swaps waiting for a manager's decision.
    pub swaps: Vec<store::duty::Swap>,
}

#[derive(Debug, Clone)]
pub struct RotaDay {
    pub day: Date,
    pub kind: DayKind,
    /// The bank holiday's name, when it is one.
    pub holiday: Option<String>,
    pub slots: Vec<RotaSlot>,
}

#[derive(Debug, Clone)]
pub struct RotaSlot {
    pub index: usize,
    pub hours: String,
    pub shift: Option<Shift>,
    /// Whether it has ended, so is no longer planned.
    pub past: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub day: Date,
    pub hours: String,
    pub holiday: Option<String>,
}

/// Each day's shifts, with who holds them.
pub(crate) fn plan(
    pattern: &Pattern,
    calendar: &Calendar,
    days: &[Date],
    shifts: &[Shift],
    now: jiff::Timestamp,
) -> Vec<RotaDay> {
    let zone = uk_time_zone();
    days.iter()
        .map(|day| {
            let kind = DayKind::of(*day, calendar);
            let slots = pattern
                .slots(kind)
                .iter()
                .enumerate()
                .map(|(index, slot)| RotaSlot {
                    index,
                    hours: slot.text().replace('-', "–"),
                    shift: shifts
                        .iter()
                        .find(|s| s.on_day == day.to_string() && s.slot == index as i64)
                        .cloned(),
                    past: slot.on(*day, &zone).1 <= now,
                })
                .collect();
            RotaDay {
                day: *day,
                kind,
                holiday: calendar.holiday_name(*day),
                slots,
            }
        })
        .collect()
}

impl App {
    /// The rota from a day, two weeks of it, and its gaps for the coming
    /// four weeks. Staff of its services see it; their managers plan it.
    pub async fn duty_rota(&self, actor: &Actor, rota_id: &str, from: Date) -> Result<RotaView> {
        let calendar = self.calendar(Nation::EnglandAndWales).await?;
        let mut conn = self.db.conn().await?;
        let shared = shared(&mut conn, actor, rota_id).await?;
        let pattern = Pattern::parse(&shared.rota.pattern).unwrap_or_default();
        let today = self.today();
        let now = self.clock.now();
        let shown = days_from(from, DAYS_SHOWN);
        let ahead = days_from(today, GAPS_AHEAD);
        let (first, last) = (
            from.min(today).to_string(),
            shown
                .last()
                .max(ahead.last())
                .copied()
                .unwrap_or(today)
                .to_string(),
        );
        let shifts = store::duty::shifts_between(&mut conn, rota_id, &first, &last).await?;
        let swaps = store::duty::pending_swaps(&mut conn, rota_id).await?;
        drop(conn);
        let days = plan(&pattern, &calendar, &shown, &shifts, now);
        let gaps = plan(&pattern, &calendar, &ahead, &shifts, now)
            .into_iter()
            .flat_map(|d| {
                d.slots
                    .into_iter()
                    .filter(|s| s.shift.is_none() && !s.past)
                    .map(move |s| Gap {
                        day: d.day,
                        hours: s.hours,
                        holiday: d.holiday.clone(),
                    })
            })
            .collect();
        let mut workers = Vec::new();
        let mut plans = Vec::new();
        for service in &shared.services {
            if domain::policy::may(actor, Action::AllocateCases, &service_place(service)) {
                plans.push(service.service_id.clone());
                for user in self.holders_in_service(&service.service_id).await? {
                    workers.push((user, service.service_name.clone()));
                }
            }
        }
        Ok(RotaView {
            can_plan: may_on(actor, Action::AllocateCases, &shared.services),
            rota: shared.rota,
            services: shared.services,
            from,
            days,
            gaps,
            workers,
            plans,
            swaps,
        })
    }

    /// One rota the actor sees, without its shifts.
    pub async fn duty_rota_alone(&self, actor: &Actor, rota_id: &str) -> Result<Rota> {
        let mut conn = self.db.conn().await?;
        Ok(shared(&mut conn, actor, rota_id).await?.rota)
    }

    /// The rotas the actor sees: those shared by a service they work in.
    pub async fn duty_rotas(&self, actor: &Actor) -> Result<Vec<Rota>> {
        if !domain::policy::may_somewhere(actor, Action::ViewCases) {
            return Err(crate::AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let services = store::duty::rota_services(&mut conn).await?;
        Ok(store::duty::rotas(&mut conn)
            .await?
            .into_iter()
            .filter(|r| {
                let own: Vec<RotaService> = services
                    .iter()
                    .filter(|s| s.rota_id == r.id)
                    .cloned()
                    .collect();
                may_on(actor, Action::ViewCases, &own)
            })
            .collect())
    }

    /// The swaps the actor asked for, of shifts not yet ended.
    pub async fn my_swaps(&self, actor: &Actor) -> Result<Vec<store::duty::Swap>> {
        let mut conn = self.db.conn().await?;
        Ok(store::duty::swaps_asked_by(&mut conn, &actor.id, &self.clock.now_text()).await?)
    }

    /// The actor's own shifts that have not ended, the soonest first.
    pub async fn my_shifts(&self, actor: &Actor) -> Result<Vec<(Shift, String)>> {
        let mut conn = self.db.conn().await?;
        let rotas = store::duty::rotas(&mut conn).await?;
        let shifts =
            store::duty::coming_shifts_of(&mut conn, &actor.id, &self.clock.now_text(), 10).await?;
        Ok(shifts
            .into_iter()
            .map(|s| {
                let role = rotas
                    .iter()
                    .find(|r| r.id == s.rota_id)
                    .map(|r| r.role.clone())
                    .unwrap_or_default();
                (s, role)
            })
            .collect())
    }
}
