//! What preparing many referrals looks up once: services, areas, crime types,
//! clocks and calendars.

use std::sync::Arc;

use domain::calendar::Nation;
use domain::policy::Visibility;
use domain::routing;

use crate::referrals::messages::ReferralMessage;
use crate::{App, AppError, Result};

/// What many rows of a feed share, looked up once.
#[derive(Default)]
pub struct Lookups {
    pub(crate) services: std::collections::HashMap<String, Option<store::directory::Service>>,
    pub(crate) crime_types: Option<Arc<Vec<store::referrals::CrimeTypeRow>>>,
    pub(crate) calendars: std::collections::HashMap<Nation, Arc<domain::calendar::Calendar>>,
    pub(crate) clocks: Option<Arc<Vec<domain::victims_code::Clock>>>,
    pub(crate) areas: Option<Vec<store::directory::Area>>,
    pub(crate) all_services: Option<Vec<store::directory::Service>>,
    /// Set when the caller has already set aside references the sender
    /// sent before, so each row need not be looked up on its own.
    pub(crate) senders_checked: bool,
}

impl Lookups {
    /// A service by id, or by name (case-insensitive) for feeds.
    pub(crate) async fn service(
        &mut self,
        app: &App,
        key: &str,
    ) -> Result<Option<store::directory::Service>> {
        if let Some(found) = self.services.get(key) {
            return Ok(found.clone());
        }
        let everything = Visibility {
            everything: true,
            ..Visibility::default()
        };
        let mut conn = app.db.conn().await?;
        let mut found = store::directory::find_service(&mut conn, key, &everything).await?;
        if found.is_none() {
            let all = store::directory::list_services(&mut conn, &everything).await?;
            found = all.into_iter().find(|s| s.name.eq_ignore_ascii_case(key));
        }
        self.services.insert(key.to_string(), found.clone());
        Ok(found)
    }

    pub(crate) async fn crime_types(
        &mut self,
        app: &App,
    ) -> Result<Arc<Vec<store::referrals::CrimeTypeRow>>> {
        if let Some(found) = &self.crime_types {
            return Ok(found.clone());
        }
        let mut conn = app.db.conn().await?;
        let found = Arc::new(store::referrals::crime_types(&mut conn).await?);
        self.crime_types = Some(found.clone());
        Ok(found)
    }

    /// An area's id, found by id or by name (case-insensitive).
    pub(crate) async fn area(&mut self, app: &App, key: &str) -> Result<Option<String>> {
        Ok(self.area_and_above(app, key).await?.into_iter().next())
    }

    /// An area's id and the ids of the areas containing it, nearest first;
    /// empty if there is no such area.
    pub(crate) async fn area_and_above(&mut self, app: &App, key: &str) -> Result<Vec<String>> {
        if self.areas.is_none() {
            let mut conn = app.db.conn().await?;
            self.areas = Some(store::directory::list_areas(&mut conn).await?);
        }
        let areas = self.areas.as_deref().unwrap_or_default();
        let mut chain = Vec::new();
        let mut next = areas
            .iter()
            .find(|a| a.id == key || a.name.eq_ignore_ascii_case(key));
        while let Some(area) = next {
            if chain.contains(&area.id) {
                break;
            }
            chain.push(area.id.clone());
            next = area
                .parent_id
                .as_ref()
                .and_then(|p| areas.iter().find(|a| &a.id == p));
        }
        Ok(chain)
    }

    /// The service a referral about an area goes to when the sender does
    /// not name one ([`domain::routing`]).
    pub(crate) async fn routed_service(
        &mut self,
        app: &App,
        area: &str,
        crime_type: &str,
    ) -> Result<store::directory::Service> {
        let areas = self.area_and_above(app, area).await?;
        if areas.is_empty() {
            return Err(AppError::invalid(
                "area",
                ReferralMessage::ChooseAreaListPoliceForce,
            ));
        }
        if self.all_services.is_none() {
            let everything = Visibility {
                everything: true,
                ..Visibility::default()
            };
            let mut conn = app.db.conn().await?;
            self.all_services =
                Some(store::directory::list_services(&mut conn, &everything).await?);
        }
        let services = self.all_services.as_deref().unwrap_or_default();
        let candidates: Vec<routing::Candidate> = services
            .iter()
            .map(|s| routing::Candidate {
                id: &s.id,
                name: &s.name,
                kind: &s.kind,
                area_id: &s.area_id,
            })
            .collect();
        let area_ids: Vec<&str> = areas.iter().map(String::as_str).collect();
        match routing::route(crime_type, &area_ids, &candidates) {
            Ok(id) => services
                .iter()
                .find(|s| s.id == id)
                .cloned()
                .ok_or(AppError::NotFound),
            Err(routing::NoRoute::Uncovered) => Err(AppError::invalid(
                "service_id",
                ReferralMessage::NoServiceCoversAreaCrime,
            )),
            Err(routing::NoRoute::Ambiguous(names)) => Err(AppError::invalid(
                "service_id",
                ReferralMessage::SeveralServicesCoverArea {
                    services: names.join(", "),
                },
            )),
        }
    }

    pub(crate) async fn clocks(
        &mut self,
        app: &App,
    ) -> Result<Arc<Vec<domain::victims_code::Clock>>> {
        if let Some(found) = &self.clocks {
            return Ok(found.clone());
        }
        let found = Arc::new(app.clocks().await?);
        self.clocks = Some(found.clone());
        Ok(found)
    }

    pub(crate) async fn calendar(
        &mut self,
        app: &App,
        nation: Nation,
    ) -> Result<Arc<domain::calendar::Calendar>> {
        if let Some(c) = self.calendars.get(&nation) {
            return Ok(c.clone());
        }
        let calendar = Arc::new(app.calendar(nation).await?);
        self.calendars.insert(nation, calendar.clone());
        Ok(calendar)
    }
}
