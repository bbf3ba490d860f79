//! Sign-in, the second factor, sign-out and the person's own account.

use app::AppError;
use app::auth::{Attempt, NewSession, SessionContext, Stage};
use app::store::users::User;
use askama::Template;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{AnyStage, AnyStageForm, ClientAddress, SignInForm, Signed, SignedForm};
use crate::routes::Routes;
use crate::{AppState, cookies};

pub fn routes() -> Routes {
    Routes::new()
        .route("/login", get(login_page).post(login))
        .route("/login/code", get(code_page).post(code))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/password", post(change_password))
        .route("/account/second-factor", get(enrol_page).post(enrol))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    errors: FieldErrors,
    username: String,
    csrf_token: String,
    notice: Option<String>,
}

/// The sign-in form carries a token matched by a cookie, so a sign-in
/// cannot be forged from another site.
fn login_csrf(
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

async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (csrf_token, cookie) = login_csrf(&headers, &state)?;
    let page = LoginPage {
        chrome: Chrome::anonymous("Sign in"),
        errors: FieldErrors::new(),
        username: String::new(),
        csrf_token,
        notice: None,
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
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn session_cookies(response: &mut Response, state: &AppState, session: &NewSession) {
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

fn after_sign_in(stage: Stage) -> &'static str {
    match stage {
        Stage::Full => "/",
        Stage::SecondFactor => "/login/code",
        Stage::Enrol => "/account/second-factor",
    }
}

async fn login(
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
        errors.add("username", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    let secure = state.config.secure_cookies;
    let page = |errors: FieldErrors| LoginPage {
        chrome: Chrome::anonymous("Sign in"),
        errors,
        username: form.username.trim().to_string(),
        csrf_token: expected.clone(),
        notice: None,
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
            let mut response = Redirect::to(after_sign_in(session.stage)).into_response();
            session_cookies(&mut response, &state, &session);
            if let Ok(v) = cookies::clear(cookies::LOGIN_CSRF, secure).parse() {
                response.headers_mut().append(SET_COOKIE, v);
            }
            Ok(response)
        }
        Err(AppError::LoginFailed) => Ok(render_form(
            &page(FieldErrors::single(
                "username",
                "The email address or password is not right. Check them and try again.",
            )),
            false,
        )),
        Err(AppError::Throttled { retry_after_secs }) => {
            let minutes = (retry_after_secs + 59) / 60;
            let mut response = render(&page(FieldErrors::single(
                "username",
                format!("Too many attempts to sign in. Wait {minutes} minute(s) and try again."),
            )));
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    chrome: Chrome,
    errors: FieldErrors,
}

async fn code_page(AnyStage(ctx): AnyStage) -> Result<Response, PageError> {
    if ctx.stage != Stage::SecondFactor {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(render(&CodePage {
        chrome: Chrome::partway(&ctx, "Enter your code"),
        errors: FieldErrors::new(),
    }))
}

#[derive(Deserialize, Default)]
struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
}

async fn code(
    State(state): State<AppState>,
    form: AnyStageForm<CodeForm>,
) -> Result<Response, PageError> {
    let AnyStageForm { ctx, form } = form;
    match state.app.second_factor(&ctx, &form.code).await {
        Ok(session) => {
            let mut response = Redirect::to("/").into_response();
            session_cookies(&mut response, &state, &session);
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => Ok(render_form(
            &CodePage {
                chrome: Chrome::partway(&ctx, "Enter your code"),
                errors,
            },
            false,
        )),
        Err(e) => Err(e.into()),
    }
}

async fn logout(
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

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    errors: FieldErrors,
    user: User,
    notice: Option<String>,
}

async fn account_page(Signed(ctx): Signed) -> Response {
    render(&AccountPage {
        chrome: Chrome::signed(&ctx, "Your account", "/account"),
        errors: FieldErrors::new(),
        user: ctx.user.clone(),
        notice: None,
    })
}

#[derive(Deserialize, Default)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    form: SignedForm<PasswordForm>,
) -> Result<Response, PageError> {
    let SignedForm { ctx, form, .. } = form;
    match state
        .app
        .change_own_password(
            &ctx,
            &form.current_password,
            &form.new_password,
            &form.confirm_password,
        )
        .await
    {
        Ok(session) => {
            let fresh = state
                .app
                .session(&session.token)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            let mut response = render(&AccountPage {
                chrome: Chrome::signed(&fresh, "Your account", "/account"),
                errors: FieldErrors::new(),
                user: fresh.user.clone(),
                notice: Some(
                    "Your password has been changed. You have been signed out everywhere else."
                        .into(),
                ),
            });
            session_cookies(&mut response, &state, &session);
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => Ok(render_form(
            &AccountPage {
                chrome: Chrome::signed(&ctx, "Your account", "/account"),
                errors,
                user: ctx.user.clone(),
                notice: None,
            },
            false,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    chrome: Chrome,
    errors: FieldErrors,
    secret: String,
    otpauth_url: String,
    required: bool,
}

fn enrol_chrome(ctx: &SessionContext) -> Chrome {
    if ctx.stage == Stage::Full {
        Chrome::signed(ctx, "Set up a second factor", "/account")
    } else {
        Chrome::partway(ctx, "Set up a second factor")
    }
}

async fn enrol_page(
    State(state): State<AppState>,
    AnyStage(ctx): AnyStage,
) -> Result<Response, PageError> {
    if ctx.stage == Stage::SecondFactor {
        return Ok(Redirect::to("/login/code").into_response());
    }
    let enrolment = state.app.begin_totp_enrolment(&ctx)?;
    Ok(render(&EnrolPage {
        chrome: enrol_chrome(&ctx),
        errors: FieldErrors::new(),
        secret: enrolment.secret_base32,
        otpauth_url: enrolment.otpauth_url,
        required: ctx.stage == Stage::Enrol,
    }))
}

async fn enrol(
    State(state): State<AppState>,
    form: AnyStageForm<CodeForm>,
) -> Result<Response, PageError> {
    let AnyStageForm { ctx, form } = form;
    match state
        .app
        .confirm_totp_enrolment(&ctx, &form.secret, &form.code)
        .await
    {
        Ok(fresh) => {
            let mut response =
                Redirect::to(if fresh.is_some() { "/" } else { "/account" }).into_response();
            if let Some(session) = fresh {
                session_cookies(&mut response, &state, &session);
            }
            Ok(response)
        }
        Err(AppError::Invalid(errors)) => {
            let otpauth_url = String::new();
            Ok(render_form(
                &EnrolPage {
                    chrome: enrol_chrome(&ctx),
                    errors,
                    secret: form.secret.trim().to_string(),
                    otpauth_url,
                    required: ctx.stage == Stage::Enrol,
                },
                false,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
