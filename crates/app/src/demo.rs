//! Demonstration data: a fictional police force area, its commissioner,
//! providers and services, and one login per role. Every name is invented.

use domain::policy::Actor;

use crate::audit::AuditAction;
use crate::directory::{NewArea, NewOrganisation, NewServiceInput, NewTeam};
use crate::staff::NewStaff;
use crate::{App, AppError, Result, command_line_actor};

/// The password every demonstration login uses.
pub const DEMO_PASSWORD: &str = "demo lantern otter velvet";

/// One demonstration login, for the list printed at start.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: &'static str,
    pub role: &'static str,
    pub note: &'static str,
}

pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        username: "caseworker@victimcare.example",
        role: "Caseworker",
        note: "Eastmoor Victim Care",
    },
    DemoLogin {
        username: "teamleader@victimcare.example",
        role: "Team leader",
        note: "Eastmoor Victim Care",
    },
    DemoLogin {
        username: "manager@victimcare.example",
        role: "Service manager",
        note: "Eastmoor Victim Care",
    },
    DemoLogin {
        username: "idva@cityadvocacy.example",
        role: "Caseworker",
        note: "City IDVA service (another provider)",
    },
    DemoLogin {
        username: "commissioner@opcc-eastmoor.example",
        role: "Commissioner",
        note: "figures only",
    },
    DemoLogin {
        username: "auditor@waymark.example",
        role: "Auditor",
        note: "reads the audit log",
    },
    DemoLogin {
        username: "admin@waymark.example",
        role: "Administrator",
        note: "sets up a second factor at first sign-in",
    },
];

async fn org(app: &App, actor: &Actor, name: &str, kind: &str) -> Result<String> {
    Ok(app
        .create_organisation(
            actor,
            &NewOrganisation {
                name: name.into(),
                kind: kind.into(),
            },
        )
        .await?
        .id)
}

async fn service(
    app: &App,
    actor: &Actor,
    org: &str,
    commissioner: &str,
    area: &str,
    name: &str,
    kind: &str,
) -> Result<String> {
    let input = NewServiceInput {
        name: name.into(),
        kind: kind.into(),
        organisation_id: org.into(),
        commissioner_id: Some(commissioner.into()),
        area_id: area.into(),
    };
    Ok(app.create_service(actor, &input).await?.id)
}

#[allow(clippy::too_many_arguments)]
async fn person(
    app: &App,
    actor: &Actor,
    username: &str,
    name: &str,
    org: &str,
    service: Option<&str>,
    team: Option<&str>,
    role: &str,
) -> Result<()> {
    let input = NewStaff {
        username: username.into(),
        display_name: name.into(),
        organisation_id: org.into(),
        service_id: service.map(str::to_string),
        team_id: team.map(str::to_string),
        role: role.into(),
        password: DEMO_PASSWORD.into(),
    };
    app.create_staff(actor, &input).await?;
    Ok(())
}

/// Fills an empty, migrated database with the demonstration landscape.
pub async fn seed(app: &App) -> Result<()> {
    let mut conn = app.db.conn().await?;
    if store::users::count(&mut conn).await? > 0 {
        return Err(AppError::Internal(
            "the demonstration needs an empty database".into(),
        ));
    }
    drop(conn);
    let cli = command_line_actor();
    let a = &cli;

    let force = app
        .create_area(
            a,
            &NewArea {
                name: "Eastmoor".into(),
                kind: "force_area".into(),
                parent_id: None,
            },
        )
        .await?
        .id;
    let district = |name: &'static str| NewArea {
        name: name.into(),
        kind: "local_authority".into(),
        parent_id: Some(force.clone()),
    };
    let city = app.create_area(a, &district("Eastmoor City")).await?.id;
    let ashby = app.create_area(a, &district("Ashby Vale")).await?.id;
    let millbrook = app.create_area(a, &district("Millbrook")).await?.id;

    let opcc = org(
        app,
        a,
        "Office of the Police and Crime Commissioner for Eastmoor",
        "commissioner",
    )
    .await?;
    org(app, a, "Eastmoor Constabulary", "police").await?;
    let victim_care = org(app, a, "Eastmoor Victim Care", "provider").await?;
    let harbour = org(app, a, "Harbour Domestic Abuse Services", "provider").await?;
    let lanterns = org(app, a, "Lantern House Refuge Trust", "provider").await?;
    let city_adv = org(app, a, "City Advocacy Partnership", "provider").await?;
    let county_adv = org(app, a, "County Advocacy Trust", "provider").await?;
    let waymark = org(app, a, "Waymark system administration", "partner").await?;

    let generic = service(
        app,
        a,
        &victim_care,
        &opcc,
        &force,
        "Eastmoor Victim Care: cope and recover",
        "generic",
    )
    .await?;
    service(
        app,
        a,
        &harbour,
        &opcc,
        &ashby,
        "Ashby Vale domestic abuse support",
        "domestic_abuse",
    )
    .await?;
    service(
        app,
        a,
        &lanterns,
        &opcc,
        &millbrook,
        "Millbrook domestic abuse support",
        "domestic_abuse",
    )
    .await?;
    let city_idva = service(app, a, &city_adv, &opcc, &city, "City IDVA service", "idva").await?;
    service(
        app,
        a,
        &county_adv,
        &opcc,
        &force,
        "County IDVA service",
        "idva",
    )
    .await?;

    let north = app
        .create_team(
            a,
            &generic,
            &NewTeam {
                name: "North team".into(),
            },
        )
        .await?
        .id;
    app.create_team(
        a,
        &generic,
        &NewTeam {
            name: "South team".into(),
        },
    )
    .await?;
    let duty = app
        .create_team(
            a,
            &city_idva,
            &NewTeam {
                name: "Duty team".into(),
            },
        )
        .await?
        .id;

    person(
        app,
        a,
        "caseworker@victimcare.example",
        "Casey Worker",
        &victim_care,
        Some(&generic),
        Some(&north),
        "caseworker",
    )
    .await?;
    person(
        app,
        a,
        "teamleader@victimcare.example",
        "Terry Leader",
        &victim_care,
        Some(&generic),
        Some(&north),
        "team_leader",
    )
    .await?;
    person(
        app,
        a,
        "manager@victimcare.example",
        "Morgan Manager",
        &victim_care,
        Some(&generic),
        None,
        "service_manager",
    )
    .await?;
    person(
        app,
        a,
        "idva@cityadvocacy.example",
        "Indra Advocate",
        &city_adv,
        Some(&city_idva),
        Some(&duty),
        "caseworker",
    )
    .await?;
    person(
        app,
        a,
        "commissioner@opcc-eastmoor.example",
        "Cam Commissioner",
        &opcc,
        None,
        None,
        "commissioner",
    )
    .await?;
    person(
        app,
        a,
        "auditor@waymark.example",
        "Audrey Auditor",
        &waymark,
        None,
        None,
        "auditor",
    )
    .await?;
    person(
        app,
        a,
        "admin@waymark.example",
        "Alex Admin",
        &waymark,
        None,
        None,
        "administrator",
    )
    .await?;
    let admin = app.staff_by_username("admin@waymark.example").await?;
    // An administrator over everything, not only their own organisation.
    app.add_grant(a, &admin.id, "administrator", "everywhere")
        .await?;
    let auditor = app.staff_by_username("auditor@waymark.example").await?;
    app.add_grant(a, &auditor.id, "auditor", "everywhere")
        .await?;
    Ok(())
}

/// A small, seeded pseudo-random generator (xorshift64*), so generated data
/// sets are the same every time for the same seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A whole number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// Picks from (item, weight) pairs.
    fn weighted<'a, T>(&mut self, items: &'a [(T, u64)]) -> &'a T {
        let total: u64 = items.iter().map(|i| i.1).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[0].0
    }
}

// Invented name parts, combined so names are varied as real ones are
// (searches by name then find few people, as they would).
const GIVEN_START: &[&str] = &[
    "Ar", "Bel", "Cas", "Dar", "El", "Fen", "Gra", "Hal", "Is", "Jo", "Kit", "Lu", "Mar", "Nel",
    "Ol", "Pip", "Ra", "Sol", "Tam", "Um", "Val", "Wen", "Ya", "Zan", "Bri", "Cor", "Del", "Em",
    "Fi", "Gil",
];
const GIVEN_END: &[&str] = &[
    "a", "an", "en", "ie", "in", "is", "o", "on", "y", "ey", "ia", "ette", "ian", "ora", "us",
    "wyn", "lie", "ra", "ten", "ric",
];
const FAMILY_START: &[&str] = &[
    "Ash", "Brook", "Cross", "Dale", "East", "Fair", "Glen", "Holt", "Iver", "Kings", "Long",
    "Marsh", "Nor", "Oak", "Pen", "Quar", "Red", "Stan", "Thorn", "Up", "Ven", "West", "Yard",
    "Alder", "Birch", "Cold", "Dun", "Elm", "Fox", "Grey", "Hart", "Ivy", "Juni", "Kel", "Lark",
    "Moor", "Nettle", "Orch", "Pike", "Rook",
];
const FAMILY_MIDDLE: &[&str] = &[
    "", "en", "er", "ing", "le", "by", "wood", "stone", "ridge", "brook",
];
const FAMILY_END: &[&str] = &[
    "by", "combe", "field", "ford", "ham", "ley", "mere", "ton", "well", "worth", "den", "hurst",
    "stead", "wick", "cott",
];

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
    use domain::calendar::Nation;
    use domain::journey::{name_key, referral_reference, word_key};
    use domain::victims_code::{ClockStart, due_date};
    use jiff::ToSpan;
    use store::bulk::{GeneratedCase, GeneratedReferral};
    use store::cases::Outcome;
    use store::people::{NewPerson, Person};
    use store::referrals::NewReferral;

    let cli = command_line_actor();
    let services = app.services(&cli).await?;
    if services.is_empty() {
        return Err(AppError::Internal(
            "generate after the demonstration landscape exists".into(),
        ));
    }
    let mut conn = app.db.conn().await?;
    let mut workers: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for s in &services {
        let scope = domain::policy::Visibility {
            services: vec![s.id.clone()],
            ..Default::default()
        };
        let staff = store::users::list(&mut conn, &scope, None).await?;
        workers.insert(s.id.clone(), staff.into_iter().map(|u| u.id).collect());
    }
    drop(conn);
    let calendar = app.calendar(Nation::EnglandAndWales).await?;
    let clocks = app.clocks().await?;
    let today = app.today();
    let mut dice = Dice(seed.max(1));
    let mut counters: std::collections::HashMap<i16, i64> = std::collections::HashMap::new();
    let mut known: Vec<(String, String)> = Vec::new();
    let days_covered = 365 * count.div_ceil(REFERRALS_PER_YEAR).max(1) as u64;
    let mut done = Generated::default();
    let batch = 500;
    while done.referrals < count {
        let size = batch.min(count - done.referrals);
        let mut people = Vec::with_capacity(size);
        let mut referrals = Vec::with_capacity(size);
        let mut cases = Vec::new();
        for _ in 0..size {
            let service = dice.weighted(&[(0usize, 50), (1, 10), (2, 10), (3, 15), (4, 15)]);
            let service = &services[*service % services.len()];
            // Oldest first, as a system in use receives them, so records of
            // the same weeks lie together as they would in real use.
            let sequence = (done.referrals + referrals.len()) as u64;
            let days_ago = days_covered - 1 - sequence * days_covered / count.max(1) as u64;
            let received_on = today.checked_sub((days_ago as i64).days()).unwrap_or(today);
            let received_at = format!(
                "{received_on}T{:02}:{:02}:00.000000Z",
                8 + dice.below(10),
                dice.below(60)
            );
            let source = *dice.weighted(&[
                ("police", 80),
                ("hub", 8),
                ("partner", 6),
                ("self", 5),
                ("other", 1),
            ]);
            let crime_type = if service.kind == "domestic_abuse" || service.kind == "idva" {
                *dice.weighted(&[
                    ("domestic_abuse", 85),
                    ("stalking_harassment", 10),
                    ("sexual_offence", 5),
                ])
            } else {
                *dice.weighted(&[
                    ("violence_against_the_person", 25),
                    ("burglary", 12),
                    ("theft", 18),
                    ("criminal_damage", 10),
                    ("fraud", 8),
                    ("hate_crime", 5),
                    ("anti_social_behaviour", 10),
                    ("robbery", 4),
                    ("road_traffic_collision", 3),
                    ("identity_theft", 3),
                    ("other_crime", 2),
                ])
            };
            let opt_in = matches!(crime_type, "domestic_abuse" | "sexual_offence");
            let consent = if opt_in || dice.chance(50) {
                "given"
            } else {
                "not_asked"
            };
            let age = 10 + dice.below(76) as i64;
            let born = received_on
                .checked_sub(age.years())
                .ok()
                .and_then(|d| d.checked_sub((dice.below(365) as i64).days()).ok());
            let born = if dice.chance(5) { None } else { born };
            let mut reasons: Vec<&str> = Vec::new();
            if dice.chance(12) {
                reasons.push(*dice.pick(&[
                    "most_serious_crime",
                    "persistently_targeted",
                    "vulnerable",
                    "intimidated",
                ]));
            }
            if born.is_some_and(|b| domain::victims_code::age_on(b, received_on) < 18)
                && !reasons.contains(&"vulnerable")
            {
                reasons.push("vulnerable");
            }
            let enhanced = !reasons.is_empty();
            let reported = received_on
                .checked_sub((dice.below(3) as i64).days())
                .unwrap_or(received_on);
            let incident = reported
                .checked_sub((dice.below(10) as i64).days())
                .unwrap_or(reported);

            // One in ten is someone the service already knows.
            let reuse = known
                .iter()
                .rev()
                .take(200)
                .find(|(s, _)| s == &service.id)
                .filter(|_| dice.chance(10))
                .cloned();
            let person_id = match reuse {
                Some((_, id)) => id,
                None => {
                    let given = format!("{}{}", dice.pick(GIVEN_START), dice.pick(GIVEN_END));
                    let family = format!(
                        "{}{}{}",
                        dice.pick(FAMILY_START),
                        dice.pick(FAMILY_MIDDLE),
                        dice.pick(FAMILY_END)
                    );
                    let phone = format!("07700 9{:05}", dice.below(100_000));
                    let id = crate::secrets::new_id();
                    people.push(NewPerson {
                        name_key: name_key(&given, &family),
                        given_key: word_key(&given),
                        family_key: word_key(&family),
                        phone_key: domain::journey::phone_key(&phone),
                        postcode_key: None,
                        person: Person {
                            id: id.clone(),
                            service_id: service.id.clone(),
                            given_name: given,
                            family_name: family,
                            date_of_birth: born.map(|b| b.to_string()),
                            phone: Some(phone),
                            email: None,
                            address: None,
                            postcode: None,
                            gender: dice
                                .weighted(&[
                                    ("female", 62),
                                    ("male", 34),
                                    ("non_binary", 1),
                                    ("prefer_not_to_say", 1),
                                    ("not_known", 2),
                                ])
                                .to_string(),
                            ethnicity: dice
                                .weighted(&[
                                    ("white_british", 72),
                                    ("white_other", 5),
                                    ("asian_pakistani", 4),
                                    ("asian_indian", 3),
                                    ("black_caribbean", 3),
                                    ("black_african", 3),
                                    ("mixed_white_black_caribbean", 2),
                                    ("other_arab", 1),
                                    ("prefer_not_to_say", 2),
                                    ("not_known", 5),
                                ])
                                .to_string(),
                            disability: dice
                                .weighted(&[
                                    ("yes", 18),
                                    ("no", 62),
                                    ("prefer_not_to_say", 5),
                                    ("not_known", 15),
                                ])
                                .to_string(),
                            sexual_orientation: dice
                                .weighted(&[
                                    ("heterosexual", 75),
                                    ("gay_lesbian", 3),
                                    ("bisexual", 3),
                                    ("prefer_not_to_say", 6),
                                    ("not_known", 13),
                                ])
                                .to_string(),
                            religion: dice
                                .weighted(&[
                                    ("no_religion", 40),
                                    ("christian", 35),
                                    ("muslim", 7),
                                    ("hindu", 2),
                                    ("sikh", 1),
                                    ("prefer_not_to_say", 5),
                                    ("not_known", 10),
                                ])
                                .to_string(),
                            first_language: None,
                            interpreter_needed: i64::from(dice.chance(3)),
                            created_at: received_at.clone(),
                        },
                    });
                    known.push((service.id.clone(), id.clone()));
                    id
                }
            };

            let due = |code: &str, start: jiff::civil::Date| {
                clocks
                    .iter()
                    .find(|c| c.code == code)
                    .map(|c| due_date(&calendar, c, start, enhanced))
                    .unwrap_or(start)
            };
            let passed_due = clocks
                .iter()
                .find(|c| c.starts == ClockStart::CrimeReported)
                .map(|c| due_date(&calendar, c, reported, enhanced));
            let contacted = dice.chance(85).then(|| {
                calendar
                    .add_working_days(received_on, *dice.pick(&[0u32, 0, 1, 1, 1, 2, 2, 3, 4, 6]))
            });
            let contacted = contacted.filter(|d| *d <= today);
            let recent = received_on >= today.checked_sub(10.days()).unwrap_or(today);
            let status = match contacted {
                // Older referrals have all been triaged; some recent ones await it.
                Some(_) if recent && dice.chance(30) => "new",
                Some(_) => *dice.weighted(&[
                    ("accepted", 75),
                    ("declined", 10),
                    ("signposted", 11),
                    ("out_of_area", 4),
                ]),
                None if recent => "new",
                None => "not_contactable",
            };
            let year = received_on.year();
            let number = counters.entry(year).or_insert(0);
            if *number == 0 {
                let mut conn = app.db.conn().await?;
                *number = store::bulk::reference_counter(&mut conn, i64::from(year)).await?;
            }
            *number += 1;
            let referral_id = crate::secrets::new_id();
            referrals.push(GeneratedReferral {
                referral: NewReferral {
                    id: referral_id.clone(),
                    reference: referral_reference(year, *number),
                    service_id: service.id.clone(),
                    person_id: person_id.clone(),
                    source: source.into(),
                    sender_id: None,
                    sender_reference: None,
                    received_at: received_at.clone(),
                    received_on: received_on.to_string(),
                    area_id: Some(service.area_id.clone()),
                    crime_reported_on: Some(reported.to_string()),
                    crime_reference: Some(format!(
                        "EM/{}/{}",
                        dice.below(90_000) + 10_000,
                        year % 100
                    )),
                    crime_type: crime_type.into(),
                    incident_date: Some(incident.to_string()),
                    consent: consent.into(),
                    consent_recorded_on: None,
                    consent_how: None,
                    consent_by: None,
                    enhanced_reasons: reasons.join(" "),
                    enhanced: i64::from(enhanced),
                    passed_due_on: passed_due.map(|d| d.to_string()),
                    information_due_on: due("information_given", received_on).to_string(),
                    contact_due_on: due("first_contact", received_on).to_string(),
                    created_by: None,
                    created_at: received_at.clone(),
                },
                status: status.into(),
                first_contact_on: contacted.map(|d| d.to_string()),
            });
            if let (Some(opened), "accepted") = (contacted, status) {
                let length = (30 + dice.below(150)) as i64;
                let closed_on = opened
                    .checked_add(length.days())
                    .ok()
                    .filter(|d| *d <= today && dice.chance(85));
                let outcomes = match closed_on {
                    Some(_) => domain::cases::OutcomeMeasure::ALL
                        .iter()
                        .map(|m| Outcome {
                            measure: m.code().into(),
                            result: dice
                                .weighted(&[
                                    ("improved", 62),
                                    ("sustained", 14),
                                    ("not_improved", 9),
                                    ("not_asked", 10),
                                    ("declined", 5),
                                ])
                                .to_string(),
                        })
                        .collect(),
                    None => Vec::new(),
                };
                let worker = workers
                    .get(&service.id)
                    .filter(|w| !w.is_empty())
                    .map(|w| dice.pick(w).clone());
                cases.push(GeneratedCase {
                    id: crate::secrets::new_id(),
                    referral_id,
                    service_id: service.id.clone(),
                    person_id,
                    caseworker_id: worker,
                    opened_at: format!("{opened}T12:00:00.000000Z"),
                    opened_on: opened.to_string(),
                    referral_received_on: received_on.to_string(),
                    enhanced: i64::from(enhanced),
                    closed: closed_on.map(|d| (format!("{d}T16:00:00.000000Z"), d.to_string())),
                    outcomes,
                });
            }
        }
        let now = app.clock.now_text();
        let mut tx = app.write(&cli, &now).await?;
        store::bulk::write(tx.conn(), &people, &referrals, &cases).await?;
        for (year, last) in &counters {
            store::bulk::raise_reference_counter(tx.conn(), i64::from(*year), *last).await?;
        }
        tx.commit(
            crate::audit::Change::about(AuditAction::DemoGenerated, "demo")
                .after(serde_json::json!({ "batch_referrals": size, "batch_cases": cases.len() })),
        )
        .await?;
        done.referrals += size;
        done.cases += cases.len();
        done.closed += cases.iter().filter(|c| c.closed.is_some()).count();
        progress(done.referrals);
    }
    let now = app.clock.now_text();
    let mut tx = app.write(&cli, &now).await?;
    store::cases::relink_everyone(tx.conn()).await?;
    let change = crate::audit::Change::about(AuditAction::DemoGenerated, "demo").after(
        serde_json::json!({ "referrals": done.referrals, "cases": done.cases, "seed": seed }),
    );
    tx.commit(change).await?;
    app.db.after_bulk_load().await?;
    Ok(done)
}
