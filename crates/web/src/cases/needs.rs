//! The needs assessment, posted from the case page.

use axum::extract::{Path, State};
use axum::response::Response;
use domain::cases::NeedArea;

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, SignedForm, field as kept};

use super::*;
use crate::messages::Done;

pub(crate) async fn needs(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm { ctx, pairs, .. }: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let needs: Vec<(String, String, String)> = NeedArea::ALL
        .iter()
        .map(|a| {
            (
                a.code().to_string(),
                kept(&pairs, &format!("level-{}", a.code())).to_string(),
                kept(&pairs, &format!("notes-{}", a.code())).to_string(),
            )
        })
        .collect();
    let ratings: Vec<(String, String)> = OutcomeMeasure::ALL
        .iter()
        .map(|m| {
            (
                m.code().to_string(),
                kept(&pairs, &format!("rating-{}", m.code())).to_string(),
            )
        })
        .collect();
    let result = state
        .app
        .assess_needs(&ctx.actor, &id, &needs, &ratings)
        .await
        .map(|_| Done::NeedsSaved);
    outcome(&state, &ctx, &id, Section::Needs, result, pairs).await
}
