//! Taking referrals, their Victims' Code deadlines, safe contact, contact
//! attempts and triage.

use std::collections::HashMap;
use std::sync::Arc;

use domain::calendar::Nation;
use domain::journey::{self, AttemptResult, Channel, ReferralSource, ReferralStatus};
use domain::policy::{self, Action, Actor, Visibility};
use domain::routing;
use domain::validation::{FieldErrors, required_text};
use domain::victims_code::{
    self, ClockStart, Consent, ConsentRule, Deadline, DeadlineState, EnhancedReason,
};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::json;
use store::people::{ContactPreference, NewPerson, Person};
use store::referrals::{ContactAttempt, NewReferral, Referral};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::calendar::uk_time_zone;
use crate::clock::{instant_text, parse_instant};
use crate::directory::place_of_service;
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// A referral as entered on the form, sent over the API or read from a feed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReferralInput {
    pub service_id: String,
    /// The area the referral concerns, by name or id; optional.
    pub area: String,
    pub source: String,
    /// The sender's own reference: a resent referral with the same one is not duplicated.
    pub sender_reference: String,
    /// When the service received it (RFC 3339); now if empty.
    pub received_at: String,
    pub crime_reported_on: String,
    pub crime_reference: String,
    pub crime_type: String,
    pub incident_date: String,
    pub consent: String,
    pub consent_recorded_on: String,
    pub consent_how: String,
    pub consent_by: String,
    pub enhanced_reasons: Vec<String>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub gender: String,
    pub ethnicity: String,
    pub disability: String,
    pub sexual_orientation: String,
    pub religion: String,
    pub first_language: String,
    pub interpreter_needed: bool,
    /// Link the referral to this person, already known to the service.
    pub existing_person_id: String,
    /// Create a new person even though similar people exist.
    pub confirm_new_person: bool,
}

/// The outcome of taking a referral.
#[derive(Debug, Clone)]
pub struct Taken {
    pub referral: Referral,
    /// False when the same sender's reference had already been received.
    pub created: bool,
}

/// A referral checked and ready to write.
pub(crate) struct Prepared {
    service: store::directory::Service,
    new_person: Option<NewPerson>,
    referral: NewReferral,
    received_year: i16,
}

pub(crate) enum Prepare {
    Ready(Box<Prepared>),
    /// The sender's reference was received before.
    AlreadyReceived(Box<Referral>),
}

/// What many rows of a feed share, looked up once.
#[derive(Default)]
pub struct Lookups {
    services: std::collections::HashMap<String, Option<store::directory::Service>>,
    crime_types: Option<Arc<Vec<store::referrals::CrimeTypeRow>>>,
    calendars: std::collections::HashMap<Nation, Arc<domain::calendar::Calendar>>,
    clocks: Option<Arc<Vec<domain::victims_code::Clock>>>,
    areas: Option<Vec<store::directory::Area>>,
    all_services: Option<Vec<store::directory::Service>>,
    /// Set when the caller has already set aside references the sender
    /// sent before, so each row need not be looked up on its own.
    pub(crate) senders_checked: bool,
}

impl Lookups {
    /// A service by id, or by name (case-insensitive) for feeds.
    async fn service(&mut self, app: &App, key: &str) -> Result<Option<store::directory::Service>> {
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

    async fn crime_types(&mut self, app: &App) -> Result<Arc<Vec<store::referrals::CrimeTypeRow>>> {
        if let Some(found) = &self.crime_types {
            return Ok(found.clone());
        }
        let mut conn = app.db.conn().await?;
        let found = Arc::new(store::referrals::crime_types(&mut conn).await?);
        self.crime_types = Some(found.clone());
        Ok(found)
    }

    /// An area's id, found by id or by name (case-insensitive).
    async fn area(&mut self, app: &App, key: &str) -> Result<Option<String>> {
        Ok(self.area_and_above(app, key).await?.into_iter().next())
    }

    /// An area's id and the ids of the areas containing it, nearest first;
    /// empty if there is no such area.
    async fn area_and_above(&mut self, app: &App, key: &str) -> Result<Vec<String>> {
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
    async fn routed_service(
        &mut self,
        app: &App,
        area: &str,
        crime_type: &str,
    ) -> Result<store::directory::Service> {
        let areas = self.area_and_above(app, area).await?;
        if areas.is_empty() {
            return Err(AppError::invalid(
                "area",
                "Choose an area from the list: a police force area or a local authority district",
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
                "No service covers this area for this crime type: choose the service the referral is for",
            )),
            Err(routing::NoRoute::Ambiguous(names)) => Err(AppError::invalid(
                "service_id",
                format!(
                    "More than one service covers this area ({}): choose the service the referral is for",
                    names.join(", ")
                ),
            )),
        }
    }

    async fn clocks(&mut self, app: &App) -> Result<Arc<Vec<domain::victims_code::Clock>>> {
        if let Some(found) = &self.clocks {
            return Ok(found.clone());
        }
        let found = Arc::new(app.clocks().await?);
        self.clocks = Some(found.clone());
        Ok(found)
    }

    async fn calendar(
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

/// One deadline of a referral, as the worklist shows it.
#[derive(Debug, Clone)]
pub struct DeadlineView {
    pub label: &'static str,
    pub due: String,
    pub state: DeadlineState,
}

impl DeadlineView {
    pub fn state_label(&self) -> &'static str {
        match self.state {
            DeadlineState::Met => "Met",
            DeadlineState::Missed => "Missed",
            DeadlineState::DueToday => "Due today",
            DeadlineState::Overdue => "Overdue",
            DeadlineState::Pending => "Due",
        }
    }
}

/// A referral with its deadlines worked out for today.
#[derive(Debug, Clone)]
pub struct WorkItem {
    pub referral: Referral,
    pub deadlines: Vec<DeadlineView>,
}

/// Everything the referral page shows.
#[derive(Debug, Clone)]
pub struct ReferralDetail {
    pub item: WorkItem,
    pub person: Person,
    pub preferences: Vec<ContactPreference>,
    pub attempts: Vec<ContactAttempt>,
}

/// Reads an optional date field, adding an error that names it if it is not one.
fn date_field(errors: &mut FieldErrors, field: &str, value: &str, label: &str) -> Option<Date> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(
                field,
                format!("Enter {label} as a real date, for example 2026-03-27"),
            );
            None
        }
    }
}

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn coded(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    valid: impl Fn(&str) -> bool,
    what: &str,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        return "not_known".to_string();
    }
    if !valid(value) {
        errors.add(field, format!("Choose {what} from the list"));
    }
    value.to_string()
}

/// Deadlines of a referral for `today`.
pub fn deadlines(referral: &Referral, today: Date) -> Vec<DeadlineView> {
    let parse = |text: &Option<String>| text.as_deref().and_then(|t| t.parse::<Date>().ok());
    let received = parse_instant(&referral.received_at).map(|t| t.to_zoned(uk_time_zone()).date());
    let first_contact = parse(&referral.first_contact_on);
    let mut views = Vec::new();
    let mut push = |label, due: Option<Date>, done: Option<Date>| {
        if let Some(due) = due {
            let state = Deadline {
                clock: String::new(),
                due,
                done_on: done,
            }
            .state(today);
            views.push(DeadlineView {
                label,
                due: due.to_string(),
                state,
            });
        }
    };
    push(
        "Referral passed on",
        parse(&referral.passed_due_on),
        received,
    );
    push(
        "Information to the victim",
        referral.information_due_on.parse().ok(),
        first_contact,
    );
    push(
        "First contact",
        referral.contact_due_on.parse().ok(),
        first_contact,
    );
    views
}

impl App {
    fn work_item(&self, referral: Referral) -> WorkItem {
        let today = self.today();
        WorkItem {
            deadlines: deadlines(&referral, today),
            referral,
        }
    }

    /// Checks a referral and works out everything to write, without writing.
    pub(crate) async fn prepare_referral(
        &self,
        actor: &Actor,
        input: &ReferralInput,
        lookups: &mut Lookups,
    ) -> Result<Prepare> {
        // A referral that names an area but no service is routed.
        let service = if input.service_id.trim().is_empty() && !input.area.trim().is_empty() {
            Some(
                lookups
                    .routed_service(self, input.area.trim(), input.crime_type.trim())
                    .await?,
            )
        } else {
            lookups.service(self, input.service_id.trim()).await?
        };
        let Some(service) = service else {
            return Err(AppError::invalid(
                "service_id",
                "Choose the service the referral is for",
            ));
        };
        if !policy::may(actor, Action::SubmitReferral, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        let sender_reference = optional(&input.sender_reference);
        if let Some(reference) = &sender_reference
            && !lookups.senders_checked
            && let Some(existing) = store::referrals::find_by_sender(
                &mut *self.db.conn().await?,
                &actor.organisation_id,
                reference,
            )
            .await?
        {
            return Ok(Prepare::AlreadyReceived(Box::new(existing)));
        }

        let today = self.today();
        let mut errors = FieldErrors::new();
        let source = input.source.trim();
        if ReferralSource::parse(source).is_none() {
            errors.add("source", "Choose where the referral came from");
        }
        let area_id = match optional(&input.area) {
            None => None,
            Some(key) => {
                let found = lookups.area(self, &key).await?;
                if found.is_none() {
                    errors.add("area", "Choose an area from the list: a police force area or a local authority district");
                }
                found
            }
        };
        let crime_types = lookups.crime_types(self).await?;
        let crime_type = crime_types
            .iter()
            .find(|c| c.code == input.crime_type.trim());
        if crime_type.is_none() {
            errors.add("crime_type", "Choose the crime type from the list");
        }
        let consent = Consent::parse(input.consent.trim());
        match (consent, crime_type) {
            (None, _) => errors.add("consent", "Say whether the victim agreed to be contacted"),
            (Some(consent), Some(ct)) => {
                let rule = if ct.consent_rule == "opt_in" {
                    ConsentRule::OptIn
                } else {
                    ConsentRule::OptOut
                };
                if let Err(reason) = victims_code::may_refer(rule, consent) {
                    errors.add("consent", reason);
                }
            }
            _ => {}
        }
        let incident = date_field(
            &mut errors,
            "incident_date",
            &input.incident_date,
            "the date of the incident",
        );
        let reported = date_field(
            &mut errors,
            "crime_reported_on",
            &input.crime_reported_on,
            "the date the crime was reported",
        );
        let consent_on = date_field(
            &mut errors,
            "consent_recorded_on",
            &input.consent_recorded_on,
            "the date consent was recorded",
        );
        let born = date_field(
            &mut errors,
            "date_of_birth",
            &input.date_of_birth,
            "the date of birth",
        );
        for (field, date, label) in [
            ("incident_date", incident, "The incident"),
            ("crime_reported_on", reported, "The report"),
            ("consent_recorded_on", consent_on, "Consent"),
            ("date_of_birth", born, "The date of birth"),
        ] {
            if date.is_some_and(|d| d > today) {
                errors.add(field, format!("{label} cannot be in the future"));
            }
        }
        if let (Some(i), Some(r)) = (incident, reported)
            && r < i
        {
            errors.add(
                "crime_reported_on",
                "The crime cannot have been reported before the incident",
            );
        }
        if let (Some(b), Some(i)) = (born, incident)
            && b > i
        {
            errors.add(
                "date_of_birth",
                "The date of birth must be before the incident",
            );
        }
        let received_at = match optional(&input.received_at) {
            None => self.clock.now(),
            Some(text) => match parse_instant(&text) {
                Some(t) if t <= self.clock.now() => t,
                Some(_) => {
                    errors.add("received_at", "The time received cannot be in the future");
                    self.clock.now()
                }
                None => {
                    errors.add("received_at", "Enter the time received as a date and time, for example 2026-03-27T09:30:00Z");
                    self.clock.now()
                }
            },
        };
        let received_on = received_at.to_zoned(uk_time_zone()).date();
        if reported.is_some_and(|r| r > received_on) {
            errors.add(
                "crime_reported_on",
                "The crime cannot have been reported after the referral was received",
            );
        }
        let mut reasons = Vec::new();
        for code in &input.enhanced_reasons {
            match EnhancedReason::parse(code.trim()) {
                Some(r) => reasons.push(r),
                None if code.trim().is_empty() => {}
                None => errors.add(
                    "enhanced_reasons",
                    format!("'{}' is not a reason for enhanced rights", code.trim()),
                ),
            }
        }
        let reasons =
            victims_code::enhanced_reasons(&reasons, born, incident.or(Some(received_on)));

        // The person: linked to one already known, or new.
        let existing_person = match optional(&input.existing_person_id) {
            Some(id) => {
                let scope = Visibility {
                    services: vec![service.id.clone()],
                    ..Visibility::default()
                };
                let found =
                    store::people::find_visible(&mut *self.db.conn().await?, &id, &scope).await?;
                if found.is_none() {
                    errors.add(
                        "existing_person_id",
                        "Choose a person from the list, or enter a new person",
                    );
                }
                found
            }
            None => None,
        };
        let mut new_person = None;
        if existing_person.is_none() {
            let given = required_text(
                &mut errors,
                "given_name",
                &input.given_name,
                "the victim's first name",
                100,
            );
            let family = required_text(
                &mut errors,
                "family_name",
                &input.family_name,
                "the victim's last name",
                100,
            );
            let phone = optional(&input.phone);
            let phone_key = phone.as_deref().and_then(journey::phone_key);
            if phone.is_some() && phone_key.is_none() {
                errors.add(
                    "phone",
                    "Enter a phone number with at least 6 digits, like 01632 960 001",
                );
            }
            let email = optional(&input.email);
            if email
                .as_deref()
                .is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace))
            {
                errors.add(
                    "email",
                    "Enter an email address in the right format, like name@example.org",
                );
            }
            let postcode = optional(&input.postcode);
            let postcode_key = postcode.as_deref().and_then(journey::normalise_postcode);
            if postcode.is_some() && postcode_key.is_none() {
                errors.add("postcode", "Enter a real postcode, like NG18 1AB");
            }
            let person = Person {
                id: new_id(),
                service_id: service.id.clone(),
                given_name: given.clone(),
                family_name: family.clone(),
                date_of_birth: born.map(|d| d.to_string()),
                phone,
                email,
                address: optional(&input.address),
                postcode: postcode_key.clone(),
                gender: coded(
                    &mut errors,
                    "gender",
                    &input.gender,
                    |c| journey::Gender::parse(c).is_some(),
                    "a gender",
                ),
                ethnicity: coded(
                    &mut errors,
                    "ethnicity",
                    &input.ethnicity,
                    |c| journey::Ethnicity::parse(c).is_some(),
                    "an ethnic group",
                ),
                disability: coded(
                    &mut errors,
                    "disability",
                    &input.disability,
                    |c| journey::Disability::parse(c).is_some(),
                    "an answer",
                ),
                sexual_orientation: coded(
                    &mut errors,
                    "sexual_orientation",
                    &input.sexual_orientation,
                    |c| journey::SexualOrientation::parse(c).is_some(),
                    "an answer",
                ),
                religion: coded(
                    &mut errors,
                    "religion",
                    &input.religion,
                    |c| journey::Religion::parse(c).is_some(),
                    "a religion or none",
                ),
                first_language: optional(&input.first_language),
                interpreter_needed: i64::from(input.interpreter_needed),
                created_at: String::new(),
            };
            new_person = Some(NewPerson {
                name_key: journey::name_key(&given, &family),
                given_key: journey::word_key(&given),
                family_key: journey::word_key(&family),
                phone_key: phone_key.clone(),
                postcode_key: postcode_key.map(|p| p.replace(' ', "")),
                person,
            });
        }
        errors.into_result().map_err(AppError::Invalid)?;

        // Offer to link before creating a second record of the same person.
        if let Some(new) = &new_person
            && !input.confirm_new_person
        {
            let matches =
                store::people::possible_duplicates(&mut *self.db.conn().await?, &service.id, new)
                    .await?;
            if !matches.is_empty() {
                return Err(AppError::PossibleDuplicates(matches));
            }
        }

        let nation = Nation::parse(&service.nation).unwrap_or(Nation::EnglandAndWales);
        let calendar = lookups.calendar(self, nation).await?;
        let enhanced = !reasons.is_empty();
        let clocks = lookups.clocks(self).await?;
        let due = |code: &str, start: Date| {
            clocks
                .iter()
                .find(|c| c.code == code)
                .map(|c| victims_code::due_date(calendar.as_ref(), c, start, enhanced))
        };
        let passed_due = reported.and_then(|r| {
            let clock = clocks
                .iter()
                .find(|c| c.starts == ClockStart::CrimeReported)?;
            Some(victims_code::due_date(
                calendar.as_ref(),
                clock,
                r,
                enhanced,
            ))
        });
        let information_due = due("information_given", received_on).unwrap_or(received_on);
        let contact_due = due("first_contact", received_on).unwrap_or(received_on);

        let referral = NewReferral {
            id: String::new(),
            reference: String::new(),
            service_id: service.id.clone(),
            person_id: existing_person
                .as_ref()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
            source: source.to_string(),
            sender_id: sender_reference
                .as_ref()
                .map(|_| actor.organisation_id.clone()),
            sender_reference: sender_reference.clone(),
            received_at: instant_text(received_at),
            received_on: received_on.to_string(),
            area_id: area_id.clone(),
            crime_reported_on: reported.map(|d| d.to_string()),
            crime_reference: optional(&input.crime_reference),
            crime_type: input.crime_type.trim().to_string(),
            incident_date: incident.map(|d| d.to_string()),
            consent: consent.map(|c| c.code()).unwrap_or("not_asked").to_string(),
            consent_recorded_on: consent_on.map(|d| d.to_string()),
            consent_how: optional(&input.consent_how),
            consent_by: optional(&input.consent_by),
            enhanced_reasons: reasons
                .iter()
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(" "),
            enhanced: i64::from(enhanced),
            passed_due_on: passed_due.map(|d| d.to_string()),
            information_due_on: information_due.to_string(),
            contact_due_on: contact_due.to_string(),
            created_by: Some(actor.id.clone()),
            created_at: String::new(),
        };
        Ok(Prepare::Ready(Box::new(Prepared {
            service,
            new_person,
            referral,
            received_year: received_on.year(),
        })))
    }

    /// Writes prepared referrals in the change under way, each with its new
    /// person and its readable reference, using a handful of statements for
    /// the lot. Returns each one's id in order, or `None` where the same
    /// sender's reference had already arrived, and the audit events for the
    /// change to commit with.
    pub(crate) async fn write_referrals(
        &self,
        write: &mut crate::Write<'_>,
        actor: &Actor,
        prepared: Vec<Prepared>,
    ) -> Result<(Vec<Option<String>>, Vec<Change>)> {
        let now = write.now().to_string();
        let now = now.as_str();
        let conn = write.conn();
        // A resend racing the first copy is caught here, under the writer's lock.
        let references: Vec<&str> = prepared
            .iter()
            .filter_map(|p| p.referral.sender_reference.as_deref())
            .collect();
        let sent = if references.is_empty() {
            Default::default()
        } else {
            store::referrals::sent_already(conn, &actor.organisation_id, &references).await?
        };
        let mut years: HashMap<i16, i64> = HashMap::new();
        let fresh: Vec<bool> = prepared
            .iter()
            .map(|p| {
                let fresh = p
                    .referral
                    .sender_reference
                    .as_ref()
                    .is_none_or(|r| !sent.contains(r));
                if fresh {
                    *years.entry(p.received_year).or_default() += 1;
                }
                fresh
            })
            .collect();
        let mut next_number: HashMap<i16, i64> = HashMap::new();
        for (year, count) in years {
            let first =
                store::referrals::next_reference_numbers(conn, i64::from(year), count).await?;
            next_number.insert(year, first);
        }

        let mut people = Vec::new();
        let mut referrals = Vec::new();
        let mut events = Vec::new();
        let mut ids = Vec::with_capacity(prepared.len());
        for (prepared, fresh) in prepared.into_iter().zip(fresh) {
            if !fresh {
                ids.push(None);
                continue;
            }
            let Prepared {
                service,
                new_person,
                mut referral,
                received_year,
            } = prepared;
            if let Some(mut new) = new_person {
                new.person.created_at = now.to_string();
                events.push(
                    Change::new(AuditAction::PersonCreated, "person", &new.person.id)
                        .place(Some(&service.organisation_id), Some(&service.id)),
                );
                referral.person_id = new.person.id.clone();
                people.push(new);
            }
            let number = next_number.entry(received_year).or_default();
            referral.id = new_id();
            referral.reference = journey::referral_reference(received_year, *number);
            *number += 1;
            referral.created_at = now.to_string();
            // The audit records what was decided, not the victim's details.
            events.push(
                Change::new(AuditAction::ReferralReceived, "referral", &referral.id)
                    .place(Some(&service.organisation_id), Some(&service.id))
                    .after(json!({
                        "reference": referral.reference, "source": referral.source, "crime_type": referral.crime_type,
                        "consent": referral.consent, "enhanced_reasons": referral.enhanced_reasons,
                        "sender_reference": referral.sender_reference,
                    })),
            );
            ids.push(Some(referral.id.clone()));
            referrals.push(referral);
        }
        store::people::insert_many(conn, &people).await?;
        store::referrals::insert_many(conn, &referrals).await?;
        Ok((ids, events))
    }

    /// Takes a referral into a service: validates it, links or creates the
    /// person, computes its Victims' Code deadlines, and records it, once.
    pub async fn take_referral(&self, actor: &Actor, input: &ReferralInput) -> Result<Taken> {
        let mut lookups = Lookups::default();
        let prepared = match self.prepare_referral(actor, input, &mut lookups).await? {
            Prepare::AlreadyReceived(existing) => {
                return Ok(Taken {
                    referral: *existing,
                    created: false,
                });
            }
            Prepare::Ready(prepared) => *prepared,
        };
        let service_id = prepared.service.id.clone();
        let (sender, reference) = (
            prepared.referral.sender_id.clone(),
            prepared.referral.sender_reference.clone(),
        );
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let scope = Visibility {
            services: vec![service_id],
            ..Visibility::default()
        };
        let (mut written, events) = self.write_referrals(&mut tx, actor, vec![prepared]).await?;
        let Some(id) = written.pop().flatten() else {
            let (Some(sender), Some(reference)) = (sender, reference) else {
                return Err(AppError::Internal("a referral went missing".into()));
            };
            let existing = store::referrals::find_by_sender(tx.conn(), &sender, &reference)
                .await?
                .ok_or(AppError::NotFound)?;
            tx.abandon().await?;
            return Ok(Taken {
                referral: existing,
                created: false,
            });
        };
        let stored = store::referrals::find_visible(tx.conn(), &id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit_all(events).await?;
        Ok(Taken {
            referral: stored,
            created: true,
        })
    }

    /// The worklist: referrals in the services the actor works in, earliest
    /// deadline first, with each deadline's state today.
    pub async fn worklist(&self, actor: &Actor, status: Option<&str>) -> Result<Vec<WorkItem>> {
        if !policy::may_somewhere(actor, Action::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let referrals = store::referrals::list(&mut conn, &visibility, status, 500).await?;
        Ok(referrals.into_iter().map(|r| self.work_item(r)).collect())
    }

    async fn visible_referral(&self, actor: &Actor, id: &str) -> Result<Referral> {
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        store::referrals::find_visible(&mut conn, id, &visibility)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A referral with the person's details; the read of the person is audited.
    pub async fn referral(&self, actor: &Actor, id: &str) -> Result<crate::Seen<ReferralDetail>> {
        let referral = self.visible_referral(actor, id).await?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        let person = store::people::find_visible(&mut conn, &referral.person_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let preferences = store::people::preferences(&mut conn, &person.id).await?;
        let attempts = store::referrals::attempts(&mut conn, &referral.id).await?;
        drop(conn);
        let service = self.service_of(&referral).await?;
        let read = Change::new(AuditAction::PersonViewed, "person", &person.id)
            .place(Some(&service.organisation_id), Some(&service.id));
        let detail = ReferralDetail {
            item: self.work_item(referral),
            person,
            preferences,
            attempts,
        };
        self.disclose(actor, read, detail).await
    }

    async fn service_of(&self, referral: &Referral) -> Result<store::directory::Service> {
        let everything = Visibility {
            everything: true,
            ..Visibility::default()
        };
        let mut conn = self.db.conn().await?;
        store::directory::find_service(&mut conn, &referral.service_id, &everything)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Loads a referral the actor may work on.
    async fn workable(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Referral, store::directory::Service)> {
        let referral = self.visible_referral(actor, id).await?;
        let service = self.service_of(&referral).await?;
        if !policy::may(actor, Action::ManageCases, &place_of_service(&service)) {
            return Err(AppError::Forbidden);
        }
        Ok((referral, service))
    }

    /// Records whether a channel is safe for the person, with safe times and notes.
    pub async fn set_contact_preference(
        &self,
        actor: &Actor,
        referral_id: &str,
        channel: &str,
        safe: bool,
        safe_times: &str,
        notes: &str,
    ) -> Result<()> {
        let (referral, service) = self.workable(actor, referral_id).await?;
        let Some(channel) = Channel::parse(channel.trim()) else {
            return Err(AppError::invalid("channel", "Choose a channel"));
        };
        let now = self.clock.now_text();
        let pref = ContactPreference {
            channel: channel.code().to_string(),
            safe: i64::from(safe),
            safe_times: optional(safe_times),
            notes: optional(notes),
        };
        let mut tx = self.write(actor, &now).await?;
        store::people::set_preference(tx.conn(), &referral.person_id, &pref, &now).await?;
        let change = Change::new(
            AuditAction::PersonContactPreferenceSet,
            "person",
            &referral.person_id,
        )
        .place(Some(&service.organisation_id), Some(&service.id))
        .after(json!({ "channel": pref.channel, "safe": safe }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Records an attempt to contact the victim. A channel marked unsafe for
    /// the person is refused, saying why; an attempt found unsafe marks its
    /// channel unsafe from then on.
    pub async fn record_contact_attempt(
        &self,
        actor: &Actor,
        referral_id: &str,
        channel: &str,
        result: &str,
        notes: &str,
    ) -> Result<()> {
        let (referral, service) = self.workable(actor, referral_id).await?;
        let mut errors = FieldErrors::new();
        let channel = Channel::parse(channel.trim());
        let result = AttemptResult::parse(result.trim());
        if channel.is_none() {
            errors.add("channel", "Choose how you tried to make contact");
        }
        if result.is_none() {
            errors.add("result", "Choose what happened");
        }
        let mut conn = self.db.conn().await?;
        let preferences = store::people::preferences(&mut conn, &referral.person_id).await?;
        drop(conn);
        if let Some(channel) = channel
            && let Some(pref) = preferences
                .iter()
                .find(|p| p.channel == channel.code() && p.safe == 0)
        {
            let why = pref
                .notes
                .as_deref()
                .map(|n| format!(" Note: {n}"))
                .unwrap_or_default();
            errors.add(
                "channel",
                format!(
                    "{} is marked unsafe for this person: use a channel marked safe.{why}",
                    channel.label()
                ),
            );
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let (Some(channel), Some(result)) = (channel, result) else {
            return Err(AppError::invalid(
                "channel",
                "Choose how you tried to make contact",
            ));
        };
        let now = self.clock.now_text();
        let today = self.today().to_string();
        let mut tx = self.write(actor, &now).await?;
        let attempt = ContactAttempt {
            id: new_id(),
            referral_id: referral.id.clone(),
            attempted_at: now.clone(),
            channel: channel.code().to_string(),
            result: result.code().to_string(),
            notes: optional(notes),
            user_id: Some(actor.id.clone()),
            user_name: None,
        };
        store::referrals::insert_attempt(tx.conn(), &attempt, &now).await?;
        if result == AttemptResult::Contacted {
            store::referrals::set_first_contact(tx.conn(), &referral.id, &today).await?;
        }
        if result == AttemptResult::Unsafe {
            let pref = ContactPreference {
                channel: channel.code().to_string(),
                safe: 0,
                safe_times: None,
                notes: Some(format!(
                    "Found unsafe on {today}: someone else may see or answer"
                )),
            };
            store::people::set_preference(tx.conn(), &referral.person_id, &pref, &now).await?;
        }
        let change = Change::new(
            AuditAction::ReferralContactAttempted,
            "referral",
            &referral.id,
        )
        .place(Some(&service.organisation_id), Some(&service.id))
        .after(json!({ "channel": attempt.channel, "result": attempt.result }));
        tx.commit(change).await?;
        Ok(())
    }

    /// Ends triage with an outcome. "Not contactable" needs at least three attempts.
    pub async fn triage(
        &self,
        actor: &Actor,
        referral_id: &str,
        outcome: &str,
        note: &str,
    ) -> Result<Referral> {
        let (referral, service) = self.workable(actor, referral_id).await?;
        let Some(outcome) =
            ReferralStatus::parse(outcome.trim()).filter(|s| *s != ReferralStatus::New)
        else {
            return Err(AppError::invalid("outcome", "Choose the outcome of triage"));
        };
        if referral.status != ReferralStatus::New.code() {
            return Err(AppError::invalid(
                "outcome",
                "This referral has already been triaged",
            ));
        }
        if outcome == ReferralStatus::NotContactable {
            let mut conn = self.db.conn().await?;
            let attempts = store::referrals::attempts(&mut conn, &referral.id).await?;
            if attempts.len() < 3 {
                return Err(AppError::invalid(
                    "outcome",
                    format!(
                        "Make at least 3 attempts to contact before recording not contactable ({} so far)",
                        attempts.len()
                    ),
                ));
            }
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        store::referrals::set_status(
            tx.conn(),
            &referral.id,
            outcome.code(),
            optional(note).as_deref(),
        )
        .await?;
        let mut changes = Vec::new();
        if outcome == ReferralStatus::Accepted {
            changes.push(
                self.open_case_for_referral(&mut tx, actor, &referral, &service)
                    .await?,
            );
        }
        changes.push(
            Change::new(AuditAction::ReferralTriaged, "referral", &referral.id)
                .place(Some(&service.organisation_id), Some(&service.id))
                .before(json!({ "status": referral.status }))
                .after(json!({ "status": outcome.code() })),
        );
        tx.commit_all(changes).await?;
        self.visible_referral(actor, referral_id).await
    }

    /// Crime types, for forms and imports.
    pub async fn crime_types(&self) -> Result<Vec<store::referrals::CrimeTypeRow>> {
        let mut conn = self.db.conn().await?;
        Ok(store::referrals::crime_types(&mut conn).await?)
    }

    /// Every crime type with whether it is offered, for administrators.
    pub async fn crime_type_settings(
        &self,
        actor: &Actor,
    ) -> Result<Vec<store::referrals::CrimeTypeSetting>> {
        if !policy::may(actor, Action::ManageDirectory, &policy::Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        Ok(store::referrals::crime_type_settings(&mut conn).await?)
    }

    /// Retires a crime type (no longer offered for new referrals; those
    /// already recorded keep it) or offers it again.
    pub async fn offer_crime_type(&self, actor: &Actor, code: &str, offered: bool) -> Result<()> {
        let settings = self.crime_type_settings(actor).await?;
        let Some(found) = settings.iter().find(|t| t.code == code) else {
            return Err(AppError::invalid(
                "code",
                format!("There is no crime type '{code}'"),
            ));
        };
        self.set_crime_type(actor, code, &found.label, &found.consent_rule, offered)
            .await
    }

    /// Adds a crime type, or changes one's label, consent rule or whether
    /// it is offered (system administrators and the command line). Codes are
    /// lower-case words joined by underscores; existing referrals keep theirs.
    pub async fn set_crime_type(
        &self,
        actor: &Actor,
        code: &str,
        label: &str,
        consent: &str,
        active: bool,
    ) -> Result<()> {
        if !policy::may(actor, Action::ManageDirectory, &policy::Place::default()) {
            return Err(AppError::Forbidden);
        }
        let mut errors = FieldErrors::new();
        let code = code.trim();
        if code.is_empty()
            || !code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.add(
                "code",
                "Give a code of lower-case letters, digits and underscores, like hate_incident",
            );
        }
        let label = required_text(&mut errors, "label", label, "the crime type's name", 100);
        let rule = match consent.trim() {
            "opt_in" | "opt-in" => "opt_in",
            "opt_out" | "opt-out" => "opt_out",
            _ => {
                errors.add(
                    "consent",
                    "Choose opt-in (passed on only with consent) or opt-out (unless declined)",
                );
                ""
            }
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let now = self.clock.now_text();
        let row = store::referrals::CrimeTypeRow {
            code: code.to_string(),
            label: label.clone(),
            consent_rule: rule.to_string(),
        };
        let mut tx = self.write(actor, &now).await?;
        store::referrals::upsert_crime_type(tx.conn(), &row, active).await?;
        let change = crate::audit::Change::new(AuditAction::CrimeTypeSet, "crime_type", code)
            .after(json!({ "label": label, "consent_rule": rule, "active": active }));
        tx.commit(change).await?;
        Ok(())
    }
}
