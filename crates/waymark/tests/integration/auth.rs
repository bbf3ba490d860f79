//! Signing in: cookies, CSRF, rotation, timeouts, throttling and the second factor.

use app::Settings;

use crate::support::{Browser, PASSWORD, code_now, databases, demo_app, serve, signed_in};

const CASEWORKER: &str = "caseworker@victimcare.example";

#[tokio::test]
async fn session_cookie_is_host_only_secure_and_strict_and_rotates_at_sign_in() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let mut browser = server.browser();
        let page = browser.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(page.status, 303, "{}", server.engine);
        assert_eq!(page.location(), Some("/"));
        let cookie = page
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .find(|c| c.starts_with("__Host-waymark_session="))
            .expect("session cookie");
        for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(
                cookie.contains(attribute),
                "{}: {cookie} lacks {attribute}",
                server.engine
            );
        }
        assert!(
            !cookie.contains("Domain="),
            "a __Host- cookie has no Domain"
        );
        let first = browser.session_cookie().expect("session");
        assert!(first.len() >= 43, "at least 256 bits, base64url");

        // Signing in again from the same browser ends the old session id.
        browser.sign_in(CASEWORKER, PASSWORD).await;
        let second = browser.session_cookie().expect("session");
        assert_ne!(
            first, second,
            "{}: the session id rotates at sign-in",
            server.engine
        );
        let mut stale = server.browser();
        stale.cookies.insert("__Host-waymark_session".into(), first);
        let page = stale.get("/").await;
        assert_eq!(
            page.location(),
            Some("/login"),
            "{}: the old id no longer works",
            server.engine
        );
        assert_eq!(browser.get("/").await.status, 200);

        // Signing out ends the session.
        let page = browser.submit("/logout", &[]).await;
        assert_eq!(page.location(), Some("/login"));
        let mut after = server.browser();
        after
            .cookies
            .insert("__Host-waymark_session".into(), second);
        assert_eq!(
            after.get("/").await.location(),
            Some("/login"),
            "{}",
            server.engine
        );
    }
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let clock = server.app.clock.clone();

        let mut idle = signed_in(&server, CASEWORKER).await;
        clock.advance(29 * 60);
        assert_eq!(
            idle.get("/").await.status,
            200,
            "{}: 29 idle minutes are fine",
            server.engine
        );
        clock.advance(31 * 60);
        assert_eq!(
            idle.get("/").await.location(),
            Some("/login"),
            "{}: 31 idle minutes end it",
            server.engine
        );

        let mut busy = signed_in(&server, CASEWORKER).await;
        for _ in 0..(11 * 60 / 20) {
            clock.advance(20 * 60);
            assert_eq!(
                busy.get("/").await.status,
                200,
                "{}: an active session lasts",
                server.engine
            );
        }
        clock.advance(60 * 60);
        assert_eq!(
            busy.get("/").await.location(),
            Some("/login"),
            "{}: 12 hours end it however busy",
            server.engine
        );

        // The page warns before the idle timeout, and "stay signed in"
        // keeps the session alive.
        let mut warned = signed_in(&server, CASEWORKER).await;
        let home = warned.get("/").await;
        assert!(
            home.body.contains("data-idle-seconds=\"1800\"")
                && home.body.contains("Stay signed in")
                && home.body.contains("/static/waymark.js"),
            "{}",
            server.engine
        );
        clock.advance(25 * 60);
        assert_eq!(warned.get("/account/keep-alive").await.status, 204);
        clock.advance(25 * 60);
        assert_eq!(
            warned.get("/").await.status,
            200,
            "{}: kept alive, 50 minutes after signing in",
            server.engine
        );

        // A form sent after the session ended: sign in, and back to its page.
        clock.advance(31 * 60);
        let case_form = "/cases/01a00000-0000-7000-8000-000000000001/notes";
        let sent = warned
            .post_raw(case_form, &[("note", "Typed before")])
            .await;
        let login = sent.location().expect("to sign in").to_string();
        assert_eq!(
            login, "/login?next=%2Fcases%2F01a00000-0000-7000-8000-000000000001%2Fnotes",
            "{}",
            server.engine
        );
        let page = warned.get(&login).await;
        assert!(
            page.body.contains(
                "name=\"next\" value=\"/cases/01a00000-0000-7000-8000-000000000001/notes\""
            )
        );
        let back = warned
            .submit(
                "/login",
                &[
                    ("username", CASEWORKER),
                    ("password", PASSWORD),
                    ("next", "/cases/01a00000-0000-7000-8000-000000000001/notes"),
                ],
            )
            .await;
        assert_eq!(
            back.location(),
            Some("/cases/01a00000-0000-7000-8000-000000000001/notes"),
            "{}",
            server.engine
        );
        // The form's address opened as a page leads to the part of the case it is on.
        let opened = warned.get(case_form).await;
        assert_eq!(
            opened.location(),
            Some("/cases/01a00000-0000-7000-8000-000000000001?section=notes")
        );
        // Never to another site.
        let mut stranger = server.browser();
        stranger.get("/login?next=//evil.example/").await;
        let signed = stranger
            .submit(
                "/login",
                &[
                    ("username", CASEWORKER),
                    ("password", PASSWORD),
                    ("next", "//evil.example/"),
                ],
            )
            .await;
        assert_eq!(signed.location(), Some("/"), "{}", server.engine);
    }
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        // Sign-in itself needs the token matched by its cookie.
        let mut browser = server.browser();
        let page = browser
            .post_raw(
                "/login",
                &[("username", CASEWORKER), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(page.status, 400, "{}", server.engine);
        assert!(browser.session_cookie().is_none());

        let mut manager = signed_in(&server, "manager@victimcare.example").await;
        let services = manager.get("/services").await;
        let id_start =
            services.body.find("/services/0").expect("a service link") + "/services/".len();
        let id = &services.body[id_start..id_start + 36].to_string();
        let path = format!("/services/{id}/teams");
        let missing = manager.post_raw(&path, &[("name", "Forged team")]).await;
        assert_eq!(missing.status, 400, "{}: no token", server.engine);
        let wrong = manager
            .post_raw(
                &path,
                &[("csrf_token", "not-the-token"), ("name", "Forged team")],
            )
            .await;
        assert_eq!(wrong.status, 400, "{}: wrong token", server.engine);
        assert!(
            !manager
                .get(&format!("/services/{id}"))
                .await
                .body
                .contains("Forged team")
        );
        let right = manager.submit(&path, &[("name", "Real team")]).await;
        assert_eq!(right.status, 303, "{}: {}", server.engine, right.body);
    }
}

/// The page a sign-in attempt shows, without the parts that differ per request.
fn comparable(body: &str) -> String {
    body.lines()
        .filter(|l| !l.contains("csrf_token") && !l.contains("name=\"username\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn ten_wrong_guesses_lock_an_account_for_strangers_only_and_unknown_users_look_the_same() {
    for db in databases().await {
        // The per-address slowdown is tested on its own below.
        let settings = Settings {
            address_free_failures: 1000,
            ..Settings::default()
        };
        let server = serve(demo_app(&db, settings).await, db.engine).await;
        // The owner has signed in from this browser before: it is a trusted device.
        let mut owner = signed_in(&server, CASEWORKER).await;
        owner.submit("/logout", &[]).await;

        let mut attacker = server.browser();
        let mut known = Vec::new();
        for _ in 0..10 {
            known.push(attacker.sign_in(CASEWORKER, "wrong password guess").await);
        }
        let mut stranger = server.browser();
        let mut unknown = Vec::new();
        for _ in 0..10 {
            unknown.push(
                stranger
                    .sign_in("nobody@victimcare.example", "wrong password guess")
                    .await,
            );
        }
        for (k, u) in known.iter().zip(&unknown) {
            assert_eq!(k.status, 422, "{}", server.engine);
            assert_eq!(k.status, u.status);
            assert_eq!(
                comparable(&k.body),
                comparable(&u.body),
                "{}: known and unknown users answer alike",
                server.engine
            );
        }
        // The eleventh attempt is refused even with the right password…
        let locked = attacker.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(locked.status, 429, "{}", server.engine);
        assert!(locked.body.contains("Too many attempts"));
        let locked_unknown = stranger
            .sign_in("nobody@victimcare.example", PASSWORD)
            .await;
        assert_eq!(
            locked_unknown.status, 429,
            "{}: unknown users are throttled alike",
            server.engine
        );
        assert_eq!(comparable(&locked.body), comparable(&locked_unknown.body));
        // …but the owner, on their trusted device, still gets in.
        let page = owner.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(
            page.status, 303,
            "{}: the owner is not locked out",
            server.engine
        );

        // After the window the account opens again for everyone.
        server.app.clock.advance(5 * 60 + 1);
        let page = attacker.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(page.status, 303, "{}", server.engine);
    }
}

#[tokio::test]
async fn repeated_failures_from_one_address_slow_down() {
    for db in databases().await {
        let settings = Settings {
            address_free_failures: 5,
            ..Settings::default()
        };
        let server = serve(demo_app(&db, settings).await, db.engine).await;
        let mut browser = server.browser();
        for i in 0..5 {
            let page = browser
                .sign_in(
                    &format!("guess{i}@victimcare.example"),
                    "wrong password guess",
                )
                .await;
            assert_eq!(page.status, 422, "{}", server.engine);
        }
        // Spread over many usernames, the address must now wait between
        // attempts, twice as long each time.
        let page = browser
            .sign_in("guess9@victimcare.example", "wrong password guess")
            .await;
        assert_eq!(
            page.status, 429,
            "{}: over the allowance, attempts wait",
            server.engine
        );
        server.app.clock.advance(2);
        let page = browser
            .sign_in("guess10@victimcare.example", "wrong password guess")
            .await;
        assert_eq!(
            page.status, 422,
            "{}: after waiting, an attempt is heard",
            server.engine
        );
        let page = browser.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(page.status, 429, "{}: the wait doubled", server.engine);
        server.app.clock.advance(3);
        let page = browser.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(
            page.status, 303,
            "{}: after waiting, a right password works",
            server.engine
        );
    }
}

#[tokio::test]
async fn second_factor_enrolment_sign_in_and_no_replay() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let app = &server.app;
        let mut browser = signed_in(&server, CASEWORKER).await;
        let enrol = browser.get("/account/second-factor").await;
        let secret = enrol.input_value("secret").expect("secret");
        // The setup link as a QR code, drawn here: an SVG in the page itself.
        let figure = enrol
            .body
            .split("<figure class=\"qr-code\"")
            .nth(1)
            .and_then(|rest| rest.split("</figure>").next())
            .expect("a QR code");
        assert!(
            figure.contains("<svg")
                && figure.contains("<path")
                && !figure.contains("src=")
                && !figure.contains("<image"),
            "{}: {}",
            server.engine,
            &figure[..figure.len().min(400)]
        );
        let wrong = browser
            .submit(
                "/account/second-factor",
                &[("secret", &secret), ("code", "000000")],
            )
            .await;
        assert_eq!(wrong.status, 422, "{}", server.engine);
        assert!(
            wrong.body.contains("href=\"#code\""),
            "error summary links to the field"
        );
        let code = code_now(app, &secret);
        let done = browser
            .submit(
                "/account/second-factor",
                &[("secret", &secret), ("code", &code)],
            )
            .await;
        assert_eq!(done.status, 303, "{}: {}", server.engine, done.body);
        browser.submit("/logout", &[]).await;

        // Next sign-in asks for a code, and nothing else is reachable until then.
        app.clock.advance(30);
        let mut next = Browser::new(&server.base);
        let page = next.sign_in(CASEWORKER, PASSWORD).await;
        assert_eq!(page.location(), Some("/login/code"), "{}", server.engine);
        let partway = next.session_cookie().expect("session");
        assert_eq!(next.get("/services").await.location(), Some("/login/code"));
        next.get("/login/code").await;
        let wrong = next.submit("/login/code", &[("code", "123456")]).await;
        assert_eq!(wrong.status, 422);
        let code = code_now(app, &secret);
        let ok = next.submit("/login/code", &[("code", &code)]).await;
        assert_eq!(ok.location(), Some("/"), "{}: {}", server.engine, ok.body);
        assert_ne!(
            next.session_cookie().expect("session"),
            partway,
            "the id rotates after the code"
        );
        assert_eq!(next.get("/services").await.status, 200);

        // The same code cannot be used twice.
        let mut replay = Browser::new(&server.base);
        replay.sign_in(CASEWORKER, PASSWORD).await;
        replay.get("/login/code").await;
        let again = replay.submit("/login/code", &[("code", &code)]).await;
        assert_eq!(
            again.status, 422,
            "{}: a used code is refused",
            server.engine
        );
        assert!(again.body.contains("already been used"));
    }
}

#[tokio::test]
async fn administrators_must_enrol_a_second_factor_and_policy_can_require_it_of_all() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let mut admin = Browser::new(&server.base);
        let page = admin.sign_in("admin@waymark.example", PASSWORD).await;
        assert_eq!(
            page.location(),
            Some("/account/second-factor"),
            "{}",
            server.engine
        );
        assert_eq!(
            admin.get("/organisations").await.location(),
            Some("/account/second-factor")
        );
        let mut caseworker = Browser::new(&server.base);
        assert_eq!(
            caseworker.sign_in(CASEWORKER, PASSWORD).await.location(),
            Some("/")
        );

        let strict = Settings {
            require_totp_for_all: true,
            ..Settings::default()
        };
        let db2 = &databases().await[0];
        let server = serve(demo_app(db2, strict).await, db2.engine).await;
        let mut caseworker = Browser::new(&server.base);
        assert_eq!(
            caseworker.sign_in(CASEWORKER, PASSWORD).await.location(),
            Some("/account/second-factor")
        );
    }
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let mut browser = signed_in(&server, CASEWORKER).await;
        for path in ["/login", "/", "/services", "/account", "/no-such-page"] {
            let page = browser.get(path).await;
            let csp = page.header("content-security-policy").unwrap_or_default();
            assert!(
                csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"),
                "{path}: {csp}"
            );
            assert_eq!(
                page.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert_eq!(
                page.header("referrer-policy"),
                Some("no-referrer"),
                "{path}"
            );
            assert!(page.header("strict-transport-security").is_some(), "{path}");
            assert_eq!(page.header("cache-control"), Some("no-store"), "{path}");
        }
        let css = browser.get("/static/waymark.css").await;
        assert_eq!(css.status, 200);
        assert_eq!(browser.get("/healthz").await.body, "ok");
        assert_eq!(browser.get("/readyz").await.status, 200);
        let missing = browser.get("/no-such-page").await;
        assert_eq!(missing.status, 404);
        assert!(missing.body.contains("Page not found"));
    }
}

#[tokio::test]
async fn bad_form_input_is_shown_again_with_an_error_summary_and_nothing_lost() {
    for db in databases().await {
        let server = serve(demo_app(&db, Settings::default()).await, db.engine).await;
        let mut manager = signed_in(&server, "manager@victimcare.example").await;
        manager.get("/staff/new").await;
        let page = manager
            .submit(
                "/staff/new",
                &[
                    ("display_name", "Robin Example"),
                    ("username", "not-an-email"),
                    ("organisation_id", ""),
                    ("role", ""),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{}", server.engine);
        assert!(page.body.contains("There is a problem"));
        for field in ["username", "organisation_id", "role"] {
            assert!(
                page.body.contains(&format!("href=\"#{field}\"")),
                "{}: summary links to {field}",
                server.engine
            );
        }
        assert!(
            page.body.contains("value=\"Robin Example\""),
            "what was typed is kept"
        );
        assert!(page.body.contains("value=\"not-an-email\""));
        assert!(
            !page.body.contains("value=\"short\""),
            "passwords are never sent back"
        );
        // The wrong sign-in shows the username again, and never the password.
        let mut browser = server.browser();
        let page = browser
            .sign_in("Someone@Example.org", "a wrong password")
            .await;
        assert!(page.body.contains("value=\"Someone@Example.org\""));
        assert!(!page.body.contains("a wrong password"));
        let page = browser
            .submit("/login", &[("username", ""), ("password", "")])
            .await;
        assert!(
            page.body.contains("Enter your email address")
                && page.body.contains("Enter your password")
        );
    }
}

#[tokio::test]
async fn an_internal_failure_shows_a_reference_and_no_detail() {
    let db = &databases().await[0];
    let server = serve(demo_app(db, Settings::default()).await, db.engine).await;
    let mut browser = signed_in(&server, CASEWORKER).await;
    // The database goes away under the running server.
    server.app.db.close().await;
    let page = browser.get("/services").await;
    assert_eq!(page.status, 500);
    assert!(page.body.contains("Sorry, there is a problem with Waymark"));
    assert!(
        page.body
            .contains("Reference: <strong class=\"reference\">"),
        "{}",
        page.body
    );
    assert!(
        !page.body.to_lowercase().contains("pool") && !page.body.contains("sqlx"),
        "no internal detail: {}",
        page.body
    );
    let api = server
        .api()
        .get(server.url("/api/v1/services"))
        .bearer_auth("wm_anything")
        .send()
        .await
        .expect("send");
    assert_eq!(api.status(), 500);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}

/// Every form the router serves checks its CSRF token before anything
/// else: posted without one, each is refused (or takes no posts at all).
#[tokio::test]
async fn every_form_route_refuses_a_post_without_its_token() {
    let db = &databases().await[0];
    let server = serve(demo_app(db, Settings::default()).await, db.engine).await;
    let mut manager = signed_in(&server, "manager@victimcare.example").await;
    let id = "01a00000-0000-7000-8000-000000000000";
    for path in web::route_paths() {
        if path.starts_with("/api/") {
            continue; // bearer tokens, not cookies
        }
        let path = path
            .replace("{id}", id)
            .replace("{note}", id)
            .replace("{task}", id)
            .replace("{grant}", id)
            .replace("{code}", "theft");
        let page = manager.post_raw(&path, &[("name", "Forged")]).await;
        assert!(
            matches!(page.status, 400 | 405),
            "{path}: a post without the token answered {}",
            page.status
        );
    }
}
