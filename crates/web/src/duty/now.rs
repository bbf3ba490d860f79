//! Who is on duty now, and the rotas of the person's services.

use app::duty::{OnDuty, Rota};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::chrome::Chrome;
use crate::errors::{PageError, render};
use crate::extract::Signed;

#[derive(Template)]
#[template(path = "duty/now.html")]
pub(crate) struct DutyPage {
    chrome: Chrome,
    now: Vec<OnDuty>,
    rotas: Vec<Rota>,
}

pub(crate) async fn duty(
    State(state): State<AppState>,
    Signed(ctx): Signed,
) -> Result<Response, PageError> {
    let rotas = state.app.duty_rotas(&ctx.actor).await?;
    Ok(render(&DutyPage {
        chrome: Chrome::signed(&ctx, "Duty", "/duty"),
        now: state.app.on_duty_now(&ctx.actor).await?,
        rotas,
    }))
}
