//! Signing in with a password, and signing out.

use app::AppError;
use app::auth::{Attempt, NewSession, Stage};
use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{AnyStageForm, ClientAddress, SignInForm};
use crate::messages::FormMessage;
use crate::{AppState, cookies};

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
pub(crate) struct LoginPage {
    chrome: Chrome,
    errors: FieldErrors,
    username: String,
    csrf_token: String,
    notice: Option<String>,
    /// Where to go once signed in (a page of ours), if not home.
    next: String,
}

/// Where the sign-in page was asked to return to.
#[derive(Deserialize, Default)]
pub(crate) struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in form carries a token matched by a cookie, so a sign-in
/// cannot be forged from another site.
pub(crate) fn login_csrf(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<(String, Option<String>), PageError> {
    match cookies::get(headers, cookies::LOGIN_CSRF, state.config.secure_cookies) {
        Some(token) => Ok((token, None)),
        None => {
            let token = app::random_token()?;
            let cookie = cookies::set(
                cookies::LOGIN_CSRF,
                &token,
                state.config.secure_cookies,
                None,
            );
            Ok((token, Some(cookie)))
        }
    }
}

pub(crate) async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<NextQuery>,
) -> Result<Response, PageError> {
    let (csrf_token, cookie) = login_csrf(&headers, &state)?;
    let page = LoginPage {
        chrome: Chrome::anonymous("Sign in"),
        errors: FieldErrors::new(),
        username: String::new(),
        csrf_token,
        notice: None,
        next: crate::extract::safe_return(&query.next)
            .unwrap_or_default()
            .to_string(),
    };
    let mut response = render(&page);
    if let Some(cookie) = cookie
        && let Ok(value) = cookie.parse()
    {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The page to return to once signed in.
    #[serde(default)]
    next: String,
}

pub(crate) fn session_cookies(response: &mut Response, state: &AppState, session: &NewSession) {
    let secure = state.config.secure_cookies;
    let mut values = vec![cookies::set(cookies::SESSION, &session.token, secure, None)];
    if let Some(device) = &session.device_token {
        values.push(cookies::set(
            cookies::DEVICE,
            device,
            secure,
            Some(365 * 24 * 3600),
        ));
    }
    for value in values {
        if let Ok(v) = value.parse() {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
}

pub(crate) fn after_sign_in(stage: Stage) -> &'static str {
    match stage {
        Stage::Full => "/",
        Stage::SecondFactor => "/login/code",
        Stage::Enrol => "/account/second-factor",
    }
}

pub(crate) async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    SignInForm {
        form,
        csrf_token: expected,
        headers,
    }: SignInForm<LoginForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::new();
    if form.username.trim().is_empty() {
        errors.add("username", FormMessage::EnterEmail);
    }
    if form.password.is_empty() {
        errors.add("password", FormMessage::EnterPassword);
    }
    let secure = state.config.secure_cookies;
    let page = |errors: FieldErrors| LoginPage {
        chrome: Chrome::anonymous("Sign in"),
        errors,
        username: form.username.trim().to_string(),
        csrf_token: expected.clone(),
        notice: None,
        next: form.next.clone(),
    };
    if !errors.is_empty() {
        return Ok(render_form(&page(errors), false));
    }
    let device = cookies::get(&headers, cookies::DEVICE, secure);
    let old = cookies::get(&headers, cookies::SESSION, secure);
    let attempt = Attempt {
        address: &address,
        device_token: device.as_deref(),
        old_session: old.as_deref(),
    };
    match state
        .app
        .sign_in(&form.username, &form.password, attempt)
        .await
    {
        Ok(session) => {
            let to = match (session.stage, crate::extract::safe_return(&form.next)) {
                (Stage::Full, Some(next)) => next,
                (stage, _) => after_sign_in(stage),
            };
            let mut response = Redirect::to(to).into_response();
            session_cookies(&mut response, &state, &session);
            if let Ok(v) = cookies::clear(cookies::LOGIN_CSRF, secure).parse() {
                response.headers_mut().append(SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(AppError::LoginFailed) => Ok(render_form(
            &page(FieldErrors::single("username", FormMessage::SignInFailed)),
            false,
        )),
        Err(AppError::Throttled { retry_after_secs }) => {
            let minutes = (retry_after_secs + 59) / 60;
            let mut response = render(&page(FieldErrors::single(
                "username",
                FormMessage::SignInThrottled { minutes },
            )));
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    form: AnyStageForm<LoginForm>,
) -> Result<Response, PageError> {
    state.app.sign_out(&form.ctx).await?;
    let mut response = Redirect::to("/login").into_response();
    if let Ok(v) = cookies::clear(cookies::SESSION, state.config.secure_cookies).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    Ok(response)
}
