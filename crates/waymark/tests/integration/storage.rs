//! Migrations and scoped queries, on both engines.

use app::Settings;
use app::command_line_actor;
use domain::policy::{Action, Actor, Grant, GrantScope, Role, visibility};
use store::Db;
use store::migrations::{self, SchemaStatus};

use crate::support::{app_on, databases, demo_app};

#[tokio::test]
async fn migrations_apply_from_empty_and_serve_refuses_other_schemas() {
    for db in databases().await {
        let store = Db::connect(&db.url).await.expect("connect");
        let app = app::App::new(store.clone(), Settings::default());
        let latest = migrations::latest_version();
        assert_eq!(
            migrations::status(&store).await.expect("status"),
            SchemaStatus::Behind { applied: 0, latest },
            "{}",
            db.engine
        );
        let refusal = app
            .check_schema()
            .await
            .expect_err("an empty database is refused")
            .to_string();
        assert!(
            refusal.contains("waymark migrate"),
            "{}: {refusal}",
            db.engine
        );

        assert_eq!(
            app.migrate().await.expect("migrate"),
            (1..=latest).collect::<Vec<i64>>(),
            "{}",
            db.engine
        );
        assert_eq!(
            app.migrate().await.expect("migrate again"),
            Vec::<i64>::new(),
            "{}",
            db.engine
        );
        assert_eq!(
            migrations::status(&store).await.expect("status"),
            SchemaStatus::UpToDate { version: latest }
        );
        app.check_schema()
            .await
            .expect("an up-to-date schema is served");

        // A schema migrated by a newer build is refused, with what to do.
        sqlx::query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', '2030-01-01T00:00:00.000000Z')")
            .execute(store.pool())
            .await
            .expect("insert future migration");
        let refusal = app
            .check_schema()
            .await
            .expect_err("newer schema refused")
            .to_string();
        assert!(
            refusal.contains("newer than this Waymark"),
            "{}: {refusal}",
            db.engine
        );
        assert!(
            app.migrate().await.is_err(),
            "{}: migrate refuses a newer schema",
            db.engine
        );
    }
}

fn actor(role: Role, scope: GrantScope) -> Actor {
    Actor {
        submission: None,
        id: "t".into(),
        label: "t".into(),
        organisation_id: String::new(),
        grants: vec![Grant { role, scope }],
    }
}

#[tokio::test]
async fn scoped_lists_return_only_what_the_policy_allows() {
    for db in databases().await {
        let app = demo_app(&db, Settings::default()).await;
        let all = app.services(&command_line_actor()).await.expect("services");
        assert_eq!(all.len(), 5, "{}", db.engine);
        let city = all
            .iter()
            .find(|s| s.name == "City IDVA service")
            .expect("city service");

        let caseworker = actor(Role::Caseworker, GrantScope::Service(city.id.clone()));
        let seen = app.services(&caseworker).await.expect("services");
        assert_eq!(
            seen.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            vec!["City IDVA service"],
            "{}",
            db.engine
        );

        // Staff: a team leader of the city service sees its staff only.
        let leader = actor(Role::TeamLeader, GrantScope::Service(city.id.clone()));
        let staff = app.staff(&leader, None).await.expect("staff");
        assert_eq!(
            staff
                .iter()
                .map(|u| u.username.as_str())
                .collect::<Vec<_>>(),
            vec!["manager@cityadvocacy.example", "idva@cityadvocacy.example"]
        );
        // Searching cannot widen the scope.
        assert!(
            app.staff(&leader, Some("victimcare"))
                .await
                .expect("search")
                .is_empty(),
            "{}",
            db.engine
        );

        // A commissioner's aggregate scope is what they commission.
        let commissioner_org = all[0].commissioner_id.clone().expect("commissioned");
        let commissioner = actor(
            Role::Commissioner,
            GrantScope::Organisation(commissioner_org),
        );
        assert_eq!(
            app.service_figures(&commissioner)
                .await
                .expect("figures")
                .len(),
            5,
            "{}",
            db.engine
        );
        assert!(
            app.staff(&commissioner, None).await.is_err(),
            "{}: commissioners see no staff",
            db.engine
        );
        let elsewhere = actor(
            Role::Commissioner,
            GrantScope::Organisation("another-pcc".into()),
        );
        assert!(
            app.service_figures(&elsewhere)
                .await
                .expect("figures")
                .is_empty(),
            "{}",
            db.engine
        );

        // An empty visibility renders as a query that returns nothing.
        let nobody = visibility(
            &actor(Role::Auditor, GrantScope::Everywhere),
            Action::ViewDirectory,
        );
        assert!(nobody.is_nothing(), "{nobody:?}");
        let mut conn = app.db.conn().await.expect("conn");
        assert!(
            store::directory::list_services(&mut conn, &nobody)
                .await
                .expect("list")
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_refused_write_leaves_nothing_behind() {
    for db in databases().await {
        let app = app_on(&db, Settings::default()).await;
        let cli = command_line_actor();
        let before = store::audit::count(&mut app.db.conn().await.expect("conn"))
            .await
            .expect("count");
        let org = app
            .create_organisation(
                &cli,
                &app::directory::NewOrganisation {
                    name: "Northgate Support".into(),
                    kind: "provider".into(),
                },
            )
            .await
            .expect("create");
        // The same name again is refused on the name field, and adds no audit event.
        let duplicate = app
            .create_organisation(
                &cli,
                &app::directory::NewOrganisation {
                    name: "northgate support".into(),
                    kind: "provider".into(),
                },
            )
            .await;
        match duplicate {
            Err(app::AppError::Invalid(errors)) => {
                assert!(errors.get("name").is_some(), "{}", db.engine)
            }
            other => panic!("{}: expected a field error, got {other:?}", db.engine),
        }
        let after = store::audit::count(&mut app.db.conn().await.expect("conn"))
            .await
            .expect("count");
        assert_eq!(
            after,
            before + 1,
            "{}: one event for one organisation",
            db.engine
        );
        assert_eq!(
            app.organisations(&cli)
                .await
                .expect("list")
                .iter()
                .filter(|o| o.id == org.id)
                .count(),
            1
        );
        assert!(
            app.verify_audit().await.expect("verify").is_ok(),
            "{}",
            db.engine
        );
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_unbroken_chain() {
    for db in databases().await {
        let app = app_on(&db, Settings::default()).await;
        let cli = command_line_actor();
        let mut tasks = Vec::new();
        for i in 0..24 {
            let app = app.clone();
            let cli = cli.clone();
            tasks.push(tokio::spawn(async move {
                app.create_organisation(
                    &cli,
                    &app::directory::NewOrganisation {
                        name: format!("Partner {i}"),
                        kind: "partner".into(),
                    },
                )
                .await
            }));
        }
        for task in tasks {
            task.await.expect("join").expect("create");
        }
        assert_eq!(
            app.verify_audit().await.expect("verify"),
            Ok(24),
            "{}",
            db.engine
        );
    }
}

/// The SQL scope and `may` must agree for every kind of place: a table of
/// places (organisation, service, commissioner, region, team, worker,
/// restricted), every role over every kind of scope, every action.
#[tokio::test]
async fn the_sql_scope_reaches_exactly_what_may_allows() {
    use domain::policy::{Place, may};
    use store::{ScopeColumns, Sql};
    const COLUMNS: ScopeColumns = ScopeColumns {
        organisation: Some("organisation_id"),
        service: Some("service_id"),
        commissioner: Some("commissioner_id"),
        region: Some("region_id"),
        team: Some("team_id"),
        worker: Some("worker_id"),
        restricted: Some("restricted"),
    };
    let some = |v: &str| (!v.is_empty()).then(|| v.to_string());
    let mut places = Vec::new();
    for org in ["o1", "o2"] {
        for service in ["s1", "s2"] {
            for commissioner in ["c1", ""] {
                for region in ["r1", ""] {
                    for team in ["t1", "t2", ""] {
                        for worker in ["u1", "u2", ""] {
                            for restricted in [false, true] {
                                places.push(Place {
                                    organisation_id: some(org),
                                    service_id: some(service),
                                    commissioner_id: some(commissioner),
                                    region_id: some(region),
                                    team_id: some(team),
                                    worker_id: some(worker),
                                    // Cases are not placed by a MARAC: its
                                    // roles reach none of them.
                                    marac_id: None,
                                    restricted,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    let scopes = [
        GrantScope::Everywhere,
        GrantScope::Organisation("o1".into()),
        GrantScope::Organisation("c1".into()),
        GrantScope::Service("s1".into()),
        GrantScope::Team("t1".into()),
        GrantScope::OwnCaseload("s1".into()),
        GrantScope::Region("r1".into()),
        GrantScope::Marac("m1".into()),
    ];
    let mut actors = Vec::new();
    for role in Role::ALL {
        for scope in &scopes {
            actors.push(vec![Grant {
                role: *role,
                scope: scope.clone(),
            }]);
        }
    }
    // Two grants together: a caseworker's team and a manager elsewhere.
    actors.push(vec![
        Grant {
            role: Role::Caseworker,
            scope: GrantScope::Team("t2".into()),
        },
        Grant {
            role: Role::ServiceManager,
            scope: GrantScope::Service("s2".into()),
        },
    ]);
    for db in databases().await {
        let store = Db::connect(&db.url).await.expect("connect");
        sqlx::query(
            "CREATE TABLE places (id TEXT PRIMARY KEY, organisation_id TEXT, service_id TEXT,
                commissioner_id TEXT, region_id TEXT, team_id TEXT, worker_id TEXT,
                restricted INTEGER NOT NULL)",
        )
        .execute(store.pool())
        .await
        .expect("create places");
        for (i, p) in places.iter().enumerate() {
            sqlx::query("INSERT INTO places VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(format!("{i:03}"))
                .bind(p.organisation_id.clone())
                .bind(p.service_id.clone())
                .bind(p.commissioner_id.clone())
                .bind(p.region_id.clone())
                .bind(p.team_id.clone())
                .bind(p.worker_id.clone())
                .bind(i64::from(p.restricted))
                .execute(store.pool())
                .await
                .expect("insert place");
        }
        let mut conn = store.pool().acquire().await.expect("connection");
        for grants in &actors {
            let actor = Actor {
                submission: None,
                id: "u1".into(),
                label: "u1".into(),
                organisation_id: "o1".into(),
                grants: grants.clone(),
            };
            for action in Action::ALL {
                let mut sql = Sql::new("SELECT id FROM places WHERE ");
                sql.scope(&visibility(&actor, *action), &COLUMNS)
                    .push(" ORDER BY id");
                let found: Vec<(String,)> = sql
                    .query_as()
                    .fetch_all(&mut *conn)
                    .await
                    .expect("scoped query");
                let found: Vec<String> = found.into_iter().map(|(id,)| id).collect();
                let allowed: Vec<String> = places
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| may(&actor, *action, p))
                    .map(|(i, _)| format!("{i:03}"))
                    .collect();
                assert_eq!(found, allowed, "{}: {grants:?} {action:?}", db.engine);
            }
        }
    }
}
