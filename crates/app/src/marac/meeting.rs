//! The MARACs an actor serves on, and one meeting: its agenda, the actions
//! carried from earlier meetings, who has acknowledged confidentiality,
//! and when the minutes are due.

use domain::calendar::{Calendar, Nation};
use domain::policy::{self, Action, Actor};
use jiff::civil::Date;
use serde_json::json;
use store::marac::{Acknowledgement, Agency, AgendaEntry, Marac, Meeting};

use crate::audit::{AuditAction, Change};
use crate::marac::access::{agency_of, marac_place, meeting_for};
use crate::marac::agenda::ordered;
use crate::{App, AppError, Result, Seen};

/// A MARAC as its members see it from the list.
#[derive(Debug, Clone)]
pub struct MaracSummary {
    pub marac: Marac,
    /// Its latest meetings that have passed, the latest first.
    pub past: Vec<MeetingDue>,
    /// Its coming meetings, the soonest first.
    pub coming: Vec<Meeting>,
    /// Actions still open after their due day.
    pub overdue_actions: usize,
    /// Whether the actor runs it (coordinator or chair): they see its figures.
    pub can_run: bool,
}

/// A meeting with the day its minutes and actions are due.
#[derive(Debug, Clone)]
pub struct MeetingDue {
    pub meeting: Meeting,
    pub minutes_due_on: Date,
    /// Not yet recorded and past the day.
    pub minutes_overdue: bool,
}

/// One meeting as an attendee sees it. The agenda and the carried actions
/// are empty until the attendee has acknowledged confidentiality.
#[derive(Debug, Clone)]
pub struct MeetingView {
    pub marac: Marac,
    pub meeting: MeetingDue,
    pub acknowledged: bool,
    pub can_run: bool,
    /// The agency the actor speaks for here, if any.
    pub agency: Option<Agency>,
    pub agencies: Vec<Agency>,
    pub cases: usize,
    pub agenda: Vec<AgendaEntry>,
    /// Actions agreed at earlier meetings and still open: they come back.
    pub carried_actions: Vec<store::marac::Action>,
    pub acknowledgements: Vec<Acknowledgement>,
    pub today: Date,
}

impl App {
    fn due(&self, calendar: &Calendar, marac: &Marac, meeting: Meeting) -> MeetingDue {
        let meets_on: Date = meeting.meets_on.parse().unwrap_or_default();
        let days = u32::try_from(marac.minutes_due_days).unwrap_or(5);
        let minutes_due_on = calendar.add_working_days(meets_on, days);
        MeetingDue {
            minutes_overdue: meeting.minutes_recorded_at.is_none() && minutes_due_on < self.today(),
            minutes_due_on,
            meeting,
        }
    }

    /// The MARACs the actor serves on, with their meetings.
    pub async fn my_maracs(&self, actor: &Actor) -> Result<Vec<MaracSummary>> {
        if !policy::may_somewhere(actor, Action::ViewMarac) {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let calendar = self.calendar(Nation::EnglandAndWales).await?;
        let mut conn = self.db.conn().await?;
        let mut summaries = Vec::new();
        for marac in store::marac::maracs(&mut conn).await? {
            if !policy::may(actor, Action::ViewMarac, &marac_place(&marac.id)) {
                continue;
            }
            let coming =
                store::marac::meetings_from(&mut conn, &marac.id, &today.to_string()).await?;
            let past =
                store::marac::meetings_before(&mut conn, &marac.id, &today.to_string(), 3).await?;
            let overdue_actions =
                store::marac::open_actions_before(&mut conn, &marac.id, &today.to_string())
                    .await?
                    .iter()
                    .filter(|a| a.due_on < today.to_string())
                    .count();
            let dues = past
                .into_iter()
                .map(|meeting| self.due(&calendar, &marac, meeting))
                .collect();
            summaries.push(MaracSummary {
                can_run: policy::may(actor, Action::RunMarac, &marac_place(&marac.id)),
                marac,
                past: dues,
                coming,
                overdue_actions,
            });
        }
        Ok(summaries)
    }

    /// One meeting. Reading its agenda is a read of the victims' personal
    /// data, and audited, whether or not there was anything to show yet.
    pub async fn marac_meeting(
        &self,
        actor: &Actor,
        meeting_id: &str,
    ) -> Result<Seen<MeetingView>> {
        let mut conn = self.db.conn().await?;
        let meeting = meeting_for(&mut conn, actor, meeting_id, Action::ViewMarac).await?;
        let marac = store::marac::maracs(&mut conn)
            .await?
            .into_iter()
            .find(|m| m.id == meeting.marac_id)
            .ok_or(AppError::NotFound)?;
        let acknowledged =
            store::marac::has_acknowledged(&mut conn, &meeting.id, &actor.id).await?;
        let entries = ordered(&mut conn, &marac, &meeting.id).await?;
        let cases = entries.len();
        let (agenda, carried_actions) = if acknowledged {
            let carried =
                store::marac::open_actions_before(&mut conn, &marac.id, &meeting.meets_on).await?;
            (entries, carried)
        } else {
            (Vec::new(), Vec::new())
        };
        let view = MeetingView {
            agency: agency_of(&mut conn, actor, &marac.id).await?,
            agencies: store::marac::agencies(&mut conn, &marac.id).await?,
            acknowledgements: store::marac::acknowledgements(&mut conn, &meeting.id).await?,
            can_run: policy::may(actor, Action::RunMarac, &marac_place(&marac.id)),
            acknowledged,
            cases,
            agenda,
            carried_actions,
            today: self.today(),
            meeting: self.due(
                &self.calendar(Nation::EnglandAndWales).await?,
                &marac,
                meeting,
            ),
            marac,
        };
        drop(conn);
        let read = Change::new(
            AuditAction::MaracMeetingViewed,
            "marac_meeting",
            &view.meeting.meeting.id,
        )
        .after(json!({
            "marac_id": view.marac.id,
            "cases_shown": view.agenda.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        }));
        self.disclose(actor, read, view).await
    }
}
