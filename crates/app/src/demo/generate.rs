//! Synthetic referrals and cases in bulk, for demonstrations and for
//! measuring speed at a county's scale.

use std::collections::HashMap;

use domain::calendar::{Calendar, Nation};
use domain::journey::referral_reference;
use domain::victims_code::{ClockStart, due_date};
use jiff::ToSpan;
use jiff::civil::Date;
use store::bulk::{GeneratedCase, GeneratedReferral};
use store::directory::Service;
use store::people::NewPerson;
use store::referrals::NewReferral;

use super::dice::Dice;
use super::draws;
use super::people::synthetic_person;
use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result, command_line_actor};

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub referrals: usize,
    pub cases: usize,
    pub closed: usize,
}

/// At most this many generated referrals fall in any one year: about what
/// the victim services of the largest police force areas receive. Bigger
/// data sets reach further back, as a system in use for years would.
pub const REFERRALS_PER_YEAR: usize = 200_000;

/// How contacted referrals were decided.
const DECISIONS: &[(&str, u64)] = &[
    ("accepted", 75),
    ("declined", 10),
    ("signposted", 11),
    ("out_of_area", 4),
];

/// Referrals written per transaction.
const BATCH: usize = 500;

/// Generates `count` synthetic referrals in the demonstration's services,
/// over the last year (or, beyond [`REFERRALS_PER_YEAR`], over as many
/// years as they fill), oldest first, with realistic proportions: most from the
/// police, about one in six with enhanced rights, most contacted within the
/// Code's deadlines, most accepted, and cases closed with outcomes that are
/// mostly improved. Written in batches; `progress` is told how many so far.
pub async fn generate(
    app: &App,
    count: usize,
    seed: u64,
    progress: &dyn Fn(usize),
) -> Result<Generated> {
    let cli = command_line_actor();
    let mut generator = Generator::new(app, count, seed).await?;
    let mut done = Generated::default();
    while done.referrals < count {
        let size = BATCH.min(count - done.referrals);
        let mut batch = Batch::default();
        for _ in 0..size {
            let sequence = (done.referrals + batch.referrals.len()) as u64;
            generator.referral(app, sequence, &mut batch).await?;
        }
        let now = app.clock.now_text();
        let mut tx = app.write(&cli, &now).await?;
        store::bulk::write(tx.conn(), &batch.people, &batch.referrals, &batch.cases).await?;
        for (year, last) in &generator.counters {
            store::bulk::raise_reference_counter(tx.conn(), i64::from(*year), *last).await?;
        }
        let cases = batch.cases.len();
        tx.commit(
            Change::about(AuditAction::DemoGenerated, "demo")
                .after(serde_json::json!({ "batch_referrals": size, "batch_cases": cases })),
        )
        .await?;
        done.referrals += size;
        done.cases += cases;
        done.closed += batch.cases.iter().filter(|c| c.closed.is_some()).count();
        progress(done.referrals);
    }
    let now = app.clock.now_text();
    let mut tx = app.write(&cli, &now).await?;
    store::cases::relink_everyone(tx.conn()).await?;
    let change = Change::about(AuditAction::DemoGenerated, "demo").after(
        serde_json::json!({ "referrals": done.referrals, "cases": done.cases, "seed": seed }),
    );
    tx.commit(change).await?;
    app.db.after_bulk_load().await?;
    Ok(done)
}

/// One transaction's rows.
#[derive(Default)]
struct Batch {
    people: Vec<NewPerson>,
    referrals: Vec<GeneratedReferral>,
    cases: Vec<GeneratedCase>,
}

/// What the generator keeps between referrals.
struct Generator {
    services: Vec<Service>,
    /// The caseworkers of each service, to allocate cases to.
    workers: HashMap<String, Vec<String>>,
    calendar: Calendar,
    clocks: Vec<domain::victims_code::Clock>,
    today: Date,
    dice: Dice,
    /// The last reference number used in each year.
    counters: HashMap<i16, i64>,
    /// (service, person) of people created so far, for repeat referrals.
    known: Vec<(String, String)>,
    days_covered: u64,
    count: usize,
}

/// Dates of one referral's journey.
struct Journey {
    received_on: Date,
    reported: Date,
    incident: Date,
    enhanced: bool,
    contacted: Option<Date>,
}

impl Generator {
    async fn new(app: &App, count: usize, seed: u64) -> Result<Generator> {
        let cli = command_line_actor();
        let services = app.services(&cli).await?;
        if services.is_empty() {
            return Err(AppError::Internal(
                "generate after the demonstration landscape exists".into(),
            ));
        }
        // Cases go to caseworkers, never to their leaders and managers.
        let workers = super::seed::colleagues(app).await?;
        Ok(Generator {
            services,
            workers,
            calendar: app.calendar(Nation::EnglandAndWales).await?,
            clocks: app.clocks().await?,
            today: app.today(),
            dice: Dice(seed.max(1)),
            counters: HashMap::new(),
            known: Vec::new(),
            days_covered: 365 * count.div_ceil(REFERRALS_PER_YEAR).max(1) as u64,
            count,
        })
    }

    async fn referral(&mut self, app: &App, sequence: u64, batch: &mut Batch) -> Result<()> {
        let dice = &mut self.dice;
        let service = dice.weighted(&[(0usize, 50), (1, 10), (2, 10), (3, 15), (4, 15)]);
        let service = self.services[service % self.services.len()].clone();
        // Oldest first, as a system in use receives them, so records of
        // the same weeks lie together as they would in real use.
        let days_ago = self.days_covered - 1 - sequence * self.days_covered / self.count as u64;
        let today = self.today;
        let received_on = today.checked_sub((days_ago as i64).days()).unwrap_or(today);
        let received_at = format!(
            "{received_on}T{:02}:{:02}:00.000000Z",
            8 + dice.below(10),
            dice.below(60)
        );
        let source = dice.weighted(&[
            ("police", 80),
            ("hub", 8),
            ("partner", 6),
            ("self", 5),
            ("other", 1),
        ]);
        let crime_type = draws::crime_type(dice, &service.kind);
        let opt_in = matches!(crime_type, "domestic_abuse" | "sexual_offence");
        let consent = if opt_in || dice.chance(50) {
            "given"
        } else {
            "not_asked"
        };
        let born = draws::birth_date(dice, received_on);
        let reasons = draws::enhanced_reasons(dice, crime_type, born, received_on);
        let reported = received_on
            .checked_sub((dice.below(3) as i64).days())
            .unwrap_or(received_on);
        let incident = reported
            .checked_sub((dice.below(10) as i64).days())
            .unwrap_or(reported);
        let person_id = self.person(&service, born, &received_at, batch);
        let mut journey = Journey {
            received_on,
            reported,
            incident,
            enhanced: !reasons.is_empty(),
            contacted: None,
        };
        journey.contacted = self.contacted(received_on);
        let status = self.status(&journey);
        let year = received_on.year();
        let number = self.counters.entry(year).or_insert(0);
        if *number == 0 {
            let mut conn = app.db.conn().await?;
            *number = store::bulk::reference_counter(&mut conn, i64::from(year)).await?;
        }
        *number += 1;
        let reference = referral_reference(year, *number);
        let referral = NewReferral {
            reference,
            service_id: service.id.clone(),
            person_id: person_id.clone(),
            source: source.into(),
            area_id: Some(service.area_id.clone()),
            crime_type: crime_type.into(),
            consent: consent.into(),
            enhanced_reasons: reasons.join(" "),
            created_at: received_at.clone(),
            received_at,
            ..self.referral_dates(&journey)
        };
        if let (Some(opened), "accepted") = (journey.contacted, status) {
            let case = draws::case(
                &mut self.dice,
                &self.workers,
                self.today,
                &referral,
                opened,
                journey.enhanced,
            );
            batch.cases.push(case);
        }
        batch.referrals.push(GeneratedReferral {
            referral,
            status: status.into(),
            first_contact_on: journey.contacted.map(|d| d.to_string()),
        });
        Ok(())
    }

    /// One in ten is someone the service already knows; the rest are new.
    fn person(
        &mut self,
        service: &Service,
        born: Option<Date>,
        received_at: &str,
        batch: &mut Batch,
    ) -> String {
        let dice = &mut self.dice;
        let reuse = self
            .known
            .iter()
            .rev()
            .take(200)
            .find(|(s, _)| s == &service.id)
            .filter(|_| dice.chance(10))
            .cloned();
        if let Some((_, id)) = reuse {
            return id;
        }
        let person = synthetic_person(dice, &service.id, born, received_at);
        let id = person.person.id.clone();
        batch.people.push(person);
        self.known.push((service.id.clone(), id.clone()));
        id
    }

    /// Most are reached within a few working days; some never are.
    fn contacted(&mut self, received_on: Date) -> Option<Date> {
        let dice = &mut self.dice;
        let contacted = dice.chance(85).then(|| {
            self.calendar
                .add_working_days(received_on, *dice.pick(&[0u32, 0, 1, 1, 1, 2, 2, 3, 4, 6]))
        });
        contacted.filter(|d| *d <= self.today)
    }

    fn status(&mut self, journey: &Journey) -> &'static str {
        let dice = &mut self.dice;
        let recent = journey.received_on >= self.today.checked_sub(10.days()).unwrap_or(self.today);
        match journey.contacted {
            // Older referrals have all been triaged; some recent ones await it.
            Some(_) if recent && dice.chance(30) => "new",
            Some(_) => dice.weighted(DECISIONS),
            None if recent => "new",
            None => "not_contactable",
        }
    }

    /// The referral's dates and deadlines; the caller fills in the rest.
    fn referral_dates(&mut self, journey: &Journey) -> NewReferral {
        let due = |code: &str, start: Date| {
            self.clocks
                .iter()
                .find(|c| c.code == code)
                .map(|c| due_date(&self.calendar, c, start, journey.enhanced))
                .unwrap_or(start)
        };
        let passed_due = self
            .clocks
            .iter()
            .find(|c| c.starts == ClockStart::CrimeReported)
            .map(|c| due_date(&self.calendar, c, journey.reported, journey.enhanced));
        let year = journey.received_on.year();
        NewReferral {
            id: crate::secrets::new_id(),
            reference: String::new(),
            service_id: String::new(),
            person_id: String::new(),
            source: String::new(),
            sender_id: None,
            sender_reference: None,
            sender_content: None,
            received_at: String::new(),
            received_on: journey.received_on.to_string(),
            area_id: None,
            crime_reported_on: Some(journey.reported.to_string()),
            crime_reference: Some(format!(
                "EM/{}/{}",
                self.dice.below(90_000) + 10_000,
                year % 100
            )),
            crime_type: String::new(),
            incident_date: Some(journey.incident.to_string()),
            account: None,
            consent: String::new(),
            consent_recorded_on: None,
            consent_how: None,
            consent_by: None,
            enhanced_reasons: String::new(),
            enhanced: i64::from(journey.enhanced),
            passed_due_on: passed_due.map(|d| d.to_string()),
            information_due_on: due("information_given", journey.received_on).to_string(),
            contact_due_on: due("first_contact", journey.received_on).to_string(),
            created_by: None,
            created_at: String::new(),
        }
    }
}
