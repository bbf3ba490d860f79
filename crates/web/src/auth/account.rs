//! The account page: changing one's own password.

use app::AppError;
use app::store::users::User;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use domain::validation::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render, render_form};
use crate::extract::{Signed, SignedForm};

use super::*;

#[derive(Template)]
#[template(path = "auth/account.html")]
pub(crate) struct AccountPage {
    chrome: Chrome,
    errors: FieldErrors,
    user: User,
    notice: Option<String>,
}

pub(crate) async fn account_page(Signed(ctx): Signed) -> Response {
    render(&AccountPage {
        chrome: Chrome::signed(&ctx, "Your account", "/account"),
        errors: FieldErrors::new(),
        user: ctx.user.clone(),
        notice: None,
    })
}

#[derive(Deserialize, Default)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub(crate) async fn change_password(
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

/// Keeps a session in use alive: the page's "stay signed in" (the session's
/// own lookup records the use). Answers 204, or sends to sign in if it ended.
pub(crate) async fn keep_alive(_: crate::extract::Signed) -> axum::http::StatusCode {
    axum::http::StatusCode::NO_CONTENT
}
