//! Response-time figures for a rota's requests in a period: met and
//! missed against each request's target, with the median and 90th
//! percentile minutes to the first attempt, by source and by hour of the
//! day received (London time). Counts only, no one's identity.

use std::collections::BTreeMap;

use domain::duty::{RequestSource, nearest_rank};
use domain::policy::Actor;
use jiff::Timestamp;
use jiff::civil::Date;

use crate::calendar::uk_time_zone;
use crate::duty::access::shared;
use crate::duty::request::day_span;
use crate::{App, Result};

/// One line of the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseLine {
    pub label: String,
    pub requests: i64,
    pub met: i64,
    /// Actioned after the target, or not actioned and the target passed.
    pub missed: i64,
    /// Not actioned, and the target still to come.
    pub waiting: i64,
    pub median_minutes: Option<i64>,
    pub ninetieth_minutes: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ResponseFigures {
    pub all: ResponseLine,
    pub by_source: Vec<ResponseLine>,
    /// By the hour of the day received, 00 to 23, only hours with requests.
    pub by_hour: Vec<ResponseLine>,
}

/// A request as the figures count it.
struct Counted {
    source: String,
    hour: i8,
    met: bool,
    missed: bool,
    minutes: Option<i64>,
}

fn line(label: String, requests: &[&Counted]) -> ResponseLine {
    let minutes: Vec<i64> = requests.iter().filter_map(|r| r.minutes).collect();
    ResponseLine {
        label,
        requests: requests.len() as i64,
        met: requests.iter().filter(|r| r.met).count() as i64,
        missed: requests.iter().filter(|r| r.missed).count() as i64,
        waiting: requests.iter().filter(|r| !r.met && !r.missed).count() as i64,
        median_minutes: nearest_rank(&minutes, 50),
        ninetieth_minutes: nearest_rank(&minutes, 90),
    }
}

impl App {
    pub async fn duty_response_figures(
        &self,
        actor: &Actor,
        rota_id: &str,
        from: Date,
        to: Date,
    ) -> Result<ResponseFigures> {
        let mut conn = self.db.conn().await?;
        shared(&mut conn, actor, rota_id).await?;
        let (start, end) = day_span(from, to);
        let requests = store::duty::requests_between(&mut conn, rota_id, &start, &end).await?;
        drop(conn);
        let now = self.clock.now();
        let counted: Vec<Counted> = requests
            .iter()
            .filter_map(|r| {
                let received: Timestamp = r.received_at.parse().ok()?;
                let target: Timestamp = r.target_at.parse().ok()?;
                let actioned: Option<Timestamp> =
                    r.actioned_at.as_deref().and_then(|a| a.parse().ok());
                Some(Counted {
                    source: r.source.clone(),
                    hour: received.to_zoned(uk_time_zone()).hour(),
                    met: actioned.is_some_and(|a| a <= target),
                    missed: match actioned {
                        Some(a) => a > target,
                        None => now > target,
                    },
                    minutes: actioned.map(|a| (a.as_second() - received.as_second()) / 60),
                })
            })
            .collect();
        let all: Vec<&Counted> = counted.iter().collect();
        let by_source = RequestSource::ALL
            .iter()
            .map(|s| {
                let these: Vec<&Counted> =
                    counted.iter().filter(|c| c.source == s.code()).collect();
                line(s.label().to_string(), &these)
            })
            .collect();
        let mut hours: BTreeMap<i8, Vec<&Counted>> = BTreeMap::new();
        for c in &counted {
            hours.entry(c.hour).or_default().push(c);
        }
        let by_hour = hours
            .into_iter()
            .map(|(hour, these)| line(format!("{hour:02}:00–{hour:02}:59"), &these))
            .collect();
        Ok(ResponseFigures {
            all: line("All requests".into(), &all),
            by_source,
            by_hour,
        })
    }
}
