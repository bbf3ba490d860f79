//! The second factor: the code page, and setting up an authenticator app.

use app::AppError;
use app::auth::{SessionContext, Stage};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{AnyStage, AnyStageForm};

use super::*;

#[derive(Template)]
#[template(path = "auth/code.html")]
pub(crate) struct CodePage {
    chrome: Chrome,
    errors: FieldErrors,
}

pub(crate) async fn code_page(AnyStage(ctx): AnyStage) -> Result<Response, PageError> {
    if ctx.stage != Stage::SecondFactor {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(render(&CodePage {
        chrome: Chrome::partway(&ctx, "Enter your code"),
        errors: FieldErrors::new(),
    }))
}

#[derive(Deserialize, Default)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
}

pub(crate) async fn code(
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

#[derive(Template)]
#[template(path = "auth/enrol.html")]
pub(crate) struct EnrolPage {
    chrome: Chrome,
    errors: FieldErrors,
    secret: String,
    otpauth_url: String,
    /// The setup link as a QR code (SVG, made here), if there is a link.
    qr_code: String,
    required: bool,
}

/// A QR code of the setup link for an authenticator app to scan, drawn as
/// SVG on the server: no image service, no script.
fn qr_code(link: &str) -> String {
    if link.is_empty() {
        return String::new();
    }
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build()
            // Inside a page, an SVG needs no XML declaration.
            .split_once("?>")
            .map(|(_, svg)| svg.to_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

pub(crate) fn enrol_chrome(ctx: &SessionContext) -> Chrome {
    if ctx.stage == Stage::Full {
        Chrome::signed(ctx, "Set up a second factor", "/account")
    } else {
        Chrome::partway(ctx, "Set up a second factor")
    }
}

pub(crate) async fn enrol_page(
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
        qr_code: qr_code(&enrolment.otpauth_url),
        otpauth_url: enrolment.otpauth_url,
        required: ctx.stage == Stage::Enrol,
    }))
}

pub(crate) async fn enrol(
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
                    qr_code: qr_code(&otpauth_url),
                    otpauth_url,
                    required: ctx.stage == Stage::Enrol,
                },
                false,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
