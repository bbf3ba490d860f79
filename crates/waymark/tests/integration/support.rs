//! Test fixtures: fresh databases on each engine, a running server, and a
//! small browser that keeps cookies and the page's CSRF token.

use std::collections::BTreeMap;

use app::{App, Settings};
use store::Db;
use tempfile::TempDir;

/// A fresh, empty database on one engine.
pub struct TestDb {
    pub engine: &'static str,
    pub url: String,
    _dir: Option<TempDir>,
}

/// A fresh SQLite database, and a fresh PostgreSQL database when
/// `TEST_DATABASE_URL` is set: each test runs once per engine.
pub async fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
    let mut dbs = vec![TestDb {
        engine: "sqlite",
        url,
        _dir: Some(dir),
    }];
    if let Ok(admin) = std::env::var("TEST_DATABASE_URL") {
        let name = format!("waymark_test_{}", uuid::Uuid::now_v7().simple());
        let server = Db::connect(&admin)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(server.pool())
            .await
            .expect("create test database");
        server.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        dbs.push(TestDb {
            engine: "postgres",
            url: format!("{base}/{name}"),
            _dir: None,
        });
    }
    dbs
}

/// A migrated database with the use cases over it.
pub async fn app_on(db: &TestDb, settings: Settings) -> App {
    let store = Db::connect(&db.url).await.expect("connect");
    let app = App::new(store, settings);
    app.migrate().await.expect("migrate");
    app
}

/// The demonstration landscape: services, teams and one login per role.
pub async fn demo_app(db: &TestDb, settings: Settings) -> App {
    let app = app_on(db, settings).await;
    app::demo::seed(&app).await.expect("seed demo");
    app
}

pub const PASSWORD: &str = app::demo::DEMO_PASSWORD;

/// The real server on a free port, in production mode (secure cookies).
pub struct Server {
    pub app: App,
    pub base: String,
    pub engine: &'static str,
}

pub async fn serve(app: App, engine: &'static str) -> Server {
    serve_with(app, engine, web::WebConfig::default()).await
}

/// The real server with these web settings (short timeouts, say).
pub async fn serve_with(app: App, engine: &'static str, config: web::WebConfig) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let served = app.clone();
    tokio::spawn(async move {
        web::serve(listener, served, config).await.expect("serve");
    });
    Server { app, base, engine }
}

impl Server {
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

/// A response as the tests look at it.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    /// Where a post's redirect after a change led (the page shown is that one).
    pub after_change: Option<String>,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The value of a hidden or text input, as the HTML carries it.
    pub fn input_value(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_string())
    }
}

/// Keeps cookies like a browser, ignoring `Secure` (tests run on plain
/// http; the attributes are checked separately), and the last CSRF token seen.
pub struct Browser {
    client: reqwest::Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
    /// The one-time key of the last page's first form, sent with the next
    /// post as a browser would.
    pub submission: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: base.to_string(),
            cookies: BTreeMap::new(),
            csrf: String::new(),
            submission: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let body = response.text().await.unwrap_or_default();
        let page = Page {
            status,
            headers,
            body,
            after_change: None,
        };
        if let Some(token) = page.input_value("csrf_token") {
            self.csrf = token;
        }
        if let Some(key) = page.input_value("submission") {
            self.submission = key;
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("GET");
        self.finish(response).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(fields)
            .send()
            .await
            .expect("POST");
        self.finish(response).await
    }

    /// Posts a form with the CSRF token from the last page seen. A change
    /// that succeeds redirects to its page (`?done=`); like a browser, this
    /// follows that redirect and returns the page, noting where it led.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let key = std::mem::take(&mut self.submission);
        let mut all = vec![("csrf_token", csrf.as_str())];
        if !key.is_empty() && !fields.iter().any(|(name, _)| *name == "submission") {
            all.push(("submission", key.as_str()));
        }
        all.extend_from_slice(fields);
        let page = self.post_raw(path, &all).await;
        self.after_post(page).await
    }

    /// A post's answer as a browser shows it: a successful change's
    /// redirect (`?done=`) followed, noting where it led.
    async fn after_post(&mut self, page: Page) -> Page {
        match page.location() {
            Some(to) if page.status == 303 && (to.contains("?done=") || to.contains("&done=")) => {
                let to = to.to_string();
                let mut shown = self.get(&to).await;
                shown.after_change = Some(to);
                shown
            }
            _ => page,
        }
    }

    /// Posts a form with a file (`multipart/form-data`) as a browser would:
    /// the CSRF token and one-time key first, then the fields, then the file.
    /// Follows a successful change's redirect like [`Browser::submit`].
    pub async fn upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content: Vec<u8>,
    ) -> Page {
        let key = std::mem::take(&mut self.submission);
        let mut form = reqwest::multipart::Form::new()
            .text("csrf_token", self.csrf.clone())
            .text("submission", key);
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let file = reqwest::multipart::Part::bytes(content).file_name(file_name.to_string());
        form = form.part("file", file);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .multipart(form)
            .send()
            .await
            .expect("POST");
        let page = self.finish(response).await;
        self.after_post(page).await
    }

    /// Fetches a file: its status, headers and bytes.
    pub async fn download(&mut self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .expect("GET");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body").to_vec();
        (status, headers, bytes)
    }

    /// Signs in with a password only; returns the response to the form.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        self.get("/login").await;
        self.submit("/login", &[("username", username), ("password", password)])
            .await
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.get("__Host-waymark_session").cloned()
    }
}

/// Signs in as a user, completing (or enrolling) the second factor when asked.
/// Returns the browser and the TOTP secret if one was enrolled here.
pub async fn signed_in(server: &Server, username: &str) -> Browser {
    let mut browser = server.browser();
    let page = browser.sign_in(username, PASSWORD).await;
    assert_eq!(
        page.status, 303,
        "{} sign-in as {username}: {}",
        server.engine, page.body
    );
    if page.location() == Some("/account/second-factor") {
        let enrol = browser.get("/account/second-factor").await;
        let secret = enrol.input_value("secret").expect("setup key");
        let code = code_now(&server.app, &secret);
        let done = browser
            .submit(
                "/account/second-factor",
                &[("secret", &secret), ("code", &code)],
            )
            .await;
        assert_eq!(
            done.status, 303,
            "{} enrol {username}: {}",
            server.engine, done.body
        );
    }
    browser.get("/").await;
    browser
}

pub fn code_now(app: &App, secret: &str) -> String {
    let unix = u64::try_from(app.clock.now().as_second()).expect("time");
    app::auth::current_code(secret, unix).expect("code")
}

/// Builds a referral for a test to take, with only what the test cares
/// about said: `a_referral(&app).to("Eastmoor Victim Care").crime_type("robbery").about("Rae", "Racing").taken().await`.
pub struct ReferralBuilder<'a> {
    app: &'a App,
    service: String,
    input: app::referrals::ReferralInput,
}

pub fn a_referral(app: &App) -> ReferralBuilder<'_> {
    ReferralBuilder {
        app,
        service: "Eastmoor Victim Care".into(),
        input: app::referrals::ReferralInput {
            source: "police".into(),
            crime_type: "theft".into(),
            consent: "given".into(),
            person: app::people::PersonInput {
                given_name: "Sam".into(),
                family_name: "Sample".into(),
                ..Default::default()
            },
            ..Default::default()
        },
    }
}

impl ReferralBuilder<'_> {
    /// The service whose name starts with this.
    pub fn to(mut self, service: &str) -> Self {
        self.service = service.into();
        self
    }

    /// Where the person lives (letters need an address).
    pub fn address(mut self, address: &str, postcode: &str) -> Self {
        self.input.person.address = address.into();
        self.input.person.postcode = postcode.into();
        self
    }

    pub fn crime_type(mut self, code: &str) -> Self {
        self.input.crime_type = code.into();
        self
    }

    pub fn about(mut self, given: &str, family: &str) -> Self {
        self.input.person.given_name = given.into();
        self.input.person.family_name = family.into();
        self
    }

    /// Their date of birth, `YYYY-MM-DD`.
    pub fn born(mut self, date: &str) -> Self {
        self.input.person.date_of_birth = date.into();
        self
    }

    /// Taken as the hand form takes it after the duplicate check was
    /// answered "someone new": nothing goes on the review list.
    pub async fn typed_in(mut self) -> store::referrals::Referral {
        let choice = app::referrals::PersonChoice {
            confirm_new_person: true,
            ..Default::default()
        };
        self.service_id_from_name().await;
        self.app
            .take_referral(&app::command_line_actor(), &self.input, &choice)
            .await
            .expect("referral")
            .referral
    }

    pub fn crime_reference(mut self, reference: &str) -> Self {
        self.input.crime_reference = reference.into();
        self
    }

    /// Taken at the command line, as a new person.
    pub async fn taken(self) -> store::referrals::Referral {
        self.take().await.expect("referral").referral
    }

    /// Taken, then accepted for support by its service's team leader: the
    /// referral and the case opened from it.
    pub async fn accepted(self) -> (store::referrals::Referral, store::cases::Case) {
        let app = self.app.clone();
        let referral = self.taken().await;
        let leader = team_leader_of(&referral.service_id);
        app.triage(&leader, &referral.id, "accepted", "")
            .await
            .expect("accepted");
        let case = app
            .case_of_referral(&leader, &referral.id)
            .await
            .expect("case")
            .expect("opened");
        (referral, case)
    }

    /// Refused, with why.
    pub async fn refused(self) -> app::AppError {
        match self.take().await {
            Ok(_) => panic!("the referral was taken"),
            Err(e) => e,
        }
    }

    async fn take(mut self) -> app::Result<app::referrals::Taken> {
        self.service_id_from_name().await;
        self.app
            .take_referral(
                &app::command_line_actor(),
                &self.input,
                &app::referrals::PersonChoice::sender(),
            )
            .await
    }

    async fn service_id_from_name(&mut self) {
        self.input.service_id = service_id(self.app, &self.service).await;
    }
}

/// The victim care service's id.
pub async fn service_id(app: &App, name_starts: &str) -> String {
    app.services(&app::command_line_actor())
        .await
        .expect("services")
        .into_iter()
        .find(|s| s.name.starts_with(name_starts))
        .unwrap_or_else(|| panic!("no service {name_starts}"))
        .id
}

/// A team leader of one service who is no signed-in user: for tests that
/// act on a service's casework directly through the app.
pub fn team_leader_of(service_id: &str) -> domain::policy::Actor {
    domain::policy::Actor {
        id: "team-leader".into(),
        label: "team-leader".into(),
        organisation_id: String::new(),
        grants: vec![domain::policy::Grant {
            role: domain::policy::Role::TeamLeader,
            scope: domain::policy::GrantScope::Service(service_id.to_string()),
        }],
        submission: None,
    }
}

/// A police feed's token that sends referrals to the victim care service.
pub async fn police_feed(server: &Server) -> String {
    let cli = app::command_line_actor();
    let orgs = server.app.organisations(&cli).await.expect("orgs");
    let police = orgs
        .iter()
        .find(|o| o.name == "Eastmoor Constabulary")
        .expect("police");
    let services = server.app.services(&cli).await.expect("services");
    let victim_care = services
        .iter()
        .find(|s| s.name.starts_with("Eastmoor Victim Care"))
        .expect("service");
    let scopes = vec!["referrals:write".to_string()];
    server
        .app
        .create_token(
            &cli,
            app::tokens::NewTokenInput {
                name: "Police feed",
                organisation_id: &police.id,
                service_id: Some(&victim_care.id),
                scopes: &scopes,
            },
        )
        .await
        .expect("token")
        .secret
}

/// An API token of an organisation with these scopes.
pub async fn token(server: &Server, organisation: &str, scopes: &[&str]) -> String {
    let cli = app::command_line_actor();
    let orgs = server.app.organisations(&cli).await.expect("orgs");
    let org = orgs
        .iter()
        .find(|o| o.name == organisation)
        .expect(organisation);
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    let input = app::tokens::NewTokenInput {
        name: "test client",
        organisation_id: &org.id,
        service_id: None,
        scopes: &scopes,
    };
    server
        .app
        .create_token(&cli, input)
        .await
        .expect("token")
        .secret
}

/// Allocates a case to the first caseworker of its service, as a case must
/// be before it closes.
pub async fn allocate_to_anyone(
    app: &App,
    actor: &domain::policy::Actor,
    case: &store::cases::Case,
) {
    let holders = app.allocatable(case).await.expect("caseworkers");
    let worker = holders.first().expect("a caseworker of the service");
    app.allocate(actor, &case.id, &worker.id)
        .await
        .expect("allocate");
}

/// A DASH assessment with this many "yes" answers and the rest "no",
/// prompted by a call-out, to be reviewed in June 2027.
pub fn dash_with_yes(yes: usize) -> app::risk::RiskInput {
    let template = domain::risk::Template::parse(app::risk::SHIPPED[0]).expect("dash");
    app::risk::RiskInput {
        template: "dash".into(),
        prompted_by: "Police call-out on Saturday".into(),
        review_on: "2027-01-15".into(),
        answers: template
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), if i < yes { "yes" } else { "no" }.into()))
            .collect(),
        ..Default::default()
    }
}

/// A case with all its casework, as its page shows it.
pub async fn case_detail(
    app: &App,
    actor: &domain::policy::Actor,
    case_id: &str,
) -> app::cases::CaseDetail {
    app.case(actor, case_id).await.expect("case").into_inner()
}

/// Closes a case, allocating it first, with every outcome not asked.
pub async fn close_nothing_asked(
    app: &App,
    actor: &domain::policy::Actor,
    case: &store::cases::Case,
) {
    allocate_to_anyone(app, actor, case).await;
    let closure = app::cases::Closure {
        reason: "support_completed".into(),
        satisfaction: "not_asked".into(),
        outcomes: domain::cases::OutcomeMeasure::ALL
            .iter()
            .map(|m| (m.code().to_string(), "not_asked".to_string()))
            .collect(),
        open_tasks: String::new(),
    };
    app.close_case(actor, &case.id, &closure)
        .await
        .expect("closed");
}

/// A MARAC for the first area, with the police (Eastmoor Constabulary) and
/// the city council's children's services as member agencies, a meeting in
/// a week, and an accepted case referred to it at high risk:
/// (MARAC, meeting id, referral).
pub async fn a_marac_hearing(
    app: &App,
    name: &str,
) -> (app::marac::Marac, String, app::marac::MaracReferral) {
    let cli = app::command_line_actor();
    let area = app.areas(&cli).await.expect("areas")[0].id.clone();
    a_marac_hearing_in(app, name, &area).await
}

/// A MARAC of an area outside the demonstration's force area, with no
/// service of its own: what no Eastmoor commissioner oversees.
pub async fn an_area_elsewhere(app: &App) -> String {
    let area = app::directory::NewArea {
        name: "Westmoor".into(),
        kind: "force_area".into(),
        parent_id: None,
    };
    app.create_area(&app::command_line_actor(), &area)
        .await
        .expect("area")
        .id
}

/// As `a_marac_hearing`, for a MARAC of the area given.
pub async fn a_marac_hearing_in(
    app: &App,
    name: &str,
    area: &str,
) -> (app::marac::Marac, String, app::marac::MaracReferral) {
    use app::marac::{AgencyInput, MaracInput, MaracReferralInput};
    let cli = app::command_line_actor();
    let area = area.to_string();
    let input = MaracInput {
        name: name.into(),
        area_id: area,
        agencies: vec![
            AgencyInput::new("Police", "police", "Eastmoor Constabulary"),
            AgencyInput::new(
                "Children's services",
                "childrens_social_care",
                "Eastmoor City Council",
            ),
            AgencyInput::new("Housing", "housing", ""),
        ],
        agenda_order: String::new(),
        minutes_due_days: 5,
    };
    let marac = app.create_marac(&cli, &input).await.expect("marac");
    let soon = app
        .today()
        .saturating_add(jiff::Span::new().days(7))
        .to_string();
    let meeting = app
        .schedule_marac_meeting(&cli, &marac.id, &soon)
        .await
        .expect("meeting")
        .id;
    let (_, case) = a_referral(app).about("Mara", name).accepted().await;
    let worker = team_leader_of(&case.service_id);
    app.assess_risk(&worker, &case.id, &dash_with_yes(15))
        .await
        .expect("high");
    let referral = app
        .refer_to_marac(
            &worker,
            &case.id,
            &MaracReferralInput {
                marac: marac.id.clone(),
                meeting: meeting.clone(),
                consent: "given".into(),
                ..Default::default()
            },
        )
        .await
        .expect("referred");
    (marac, meeting, referral)
}

/// A person of an organisation (by name) holding a MARAC role over a MARAC,
/// given by the system's administrator as the staff page gives it.
pub async fn marac_role(
    app: &App,
    username: &str,
    organisation: &str,
    role: &str,
    marac_id: &str,
) -> domain::policy::Actor {
    let cli = app::command_line_actor();
    let organisations = app.organisations(&cli).await.expect("organisations");
    let organisation = organisations
        .iter()
        .find(|o| o.name == organisation)
        .expect(organisation);
    let user = app
        .create_staff(
            &cli,
            &app::staff::NewStaff {
                username: username.into(),
                display_name: format!("Member {username}"),
                organisation_id: organisation.id.clone(),
                service_id: None,
                team_id: None,
                role: "referrer".into(),
                password: PASSWORD.into(),
            },
        )
        .await
        .expect("staff");
    app.add_grant(&cli, &user.id, role, &format!("marac:{marac_id}"))
        .await
        .expect("marac role");
    let mut conn = app.db.conn().await.expect("conn");
    let grants = store::users::grants(&mut conn, &user.id)
        .await
        .expect("grants");
    domain::policy::Actor {
        submission: None,
        id: user.id,
        label: username.into(),
        organisation_id: organisation.id.clone(),
        grants: grants.iter().filter_map(|g| g.grant()).collect(),
    }
}

/// The demonstration's Eastmoor Victim Care service, and a commissioner of it.
pub async fn victim_care_and_its_commissioner(
    app: &App,
) -> (store::directory::Service, domain::policy::Actor) {
    let services = app
        .services(&app::command_line_actor())
        .await
        .expect("services");
    let service = services
        .into_iter()
        .find(|s| s.name.starts_with("Eastmoor Victim Care"))
        .expect("service");
    let reader = commissioner(service.commissioner_id.as_deref().expect("commissioned"));
    (service, reader)
}

pub fn commissioner(organisation: &str) -> domain::policy::Actor {
    domain::policy::Actor {
        submission: None,
        id: "commissioner".into(),
        label: "commissioner".into(),
        organisation_id: organisation.into(),
        grants: vec![domain::policy::Grant {
            role: domain::policy::Role::Commissioner,
            scope: domain::policy::GrantScope::Organisation(organisation.into()),
        }],
    }
}

/// A demonstration person as the policy sees them: their own grants.
pub async fn actor_of(app: &App, username: &str) -> domain::policy::Actor {
    let user = app.staff_by_username(username).await.expect("staff");
    let mut conn = app.db.conn().await.expect("conn");
    let grants = store::users::grants(&mut conn, &user.id)
        .await
        .expect("grants");
    domain::policy::Actor {
        submission: None,
        id: user.id,
        label: username.into(),
        organisation_id: user.organisation_id,
        grants: grants.iter().filter_map(|g| g.grant()).collect(),
    }
}
