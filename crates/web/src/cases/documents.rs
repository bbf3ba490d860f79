//! The case's documents: attaching a file, downloading one (audited),
//! removing one attached by mistake, and writing a letter from a template.

use app::documents::{Letter, LetterInput};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::errors::PageError;
use crate::extract::{ByName, Signed, SignedForm, SignedUpload, field as kept};

use super::*;
use crate::confirm::{Ask, ask_first};
use crate::messages::{ConfirmMessage, Done};

pub(crate) async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedUpload,
) -> Result<Response, PageError> {
    let result = state
        .app
        .add_document(&form.ctx.actor, &id, &form.upload)
        .await
        .map(|_| Done::DocumentAdded);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Documents,
        result,
        form.pairs,
    )
    .await
}

/// `filename*` per RFC 5987: the name percent-encoded as UTF-8.
fn encoded_file_name(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The same name with only plain letters kept, for browsers without `filename*`.
fn plain_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

pub(crate) async fn download(
    State(state): State<AppState>,
    Signed(ctx): Signed,
    Path((id, document)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let file = state
        .app
        .download_document(&ctx.actor, &id, &document)
        .await?
        .into_inner();
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        plain_file_name(&file.file_name),
        encoded_file_name(&file.file_name)
    );
    let mut response = file.content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.kind.media_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    // Whatever a file holds, it runs nothing if a browser shows it here.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(response)
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    Path((id, document)): Path<(String, String)>,
    form: SignedForm<ByName>,
) -> Result<Response, PageError> {
    let ask = Ask {
        question: ConfirmMessage::RemoveDocument,
        consequence: ConfirmMessage::RemoveDocumentConsequence,
        yes: ConfirmMessage::RemoveDocumentYes,
    };
    let back = Section::Documents.href(&id);
    let action = format!("/cases/{id}/documents/{document}/remove");
    if let Some(asking) = ask_first(&form, ask, &action, &back) {
        return Ok(asking);
    }
    let SignedForm { ctx, pairs, .. } = form;
    let result = state
        .app
        .remove_document(&ctx.actor, &id, &document, kept(&pairs, "reason"))
        .await
        .map(|_| Done::DocumentRemoved);
    outcome(&state, &ctx, &id, Section::Documents, result, pairs).await
}

/// A letter as kept: one page of HTML that prints as a letter, with its
/// style inside it (it is opened from a download, away from Waymark).
#[derive(Template)]
#[template(path = "cases/letter.html")]
struct LetterPage<'a> {
    l: &'a Letter,
}

pub(crate) async fn letter(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: SignedForm<LetterInput>,
) -> Result<Response, PageError> {
    let render = |l: &Letter| LetterPage { l }.render().unwrap_or_default();
    let result = state
        .app
        .write_letter(&form.ctx.actor, &id, &form.form, render)
        .await
        .map(|_| Done::LetterWritten);
    outcome(
        &state,
        &form.ctx,
        &id,
        Section::Documents,
        result,
        form.pairs,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_safely_for_every_browser() {
        assert_eq!(encoded_file_name("Order 1.pdf"), "Order%201.pdf");
        assert_eq!(encoded_file_name("Siân.pdf"), "Si%C3%A2n.pdf");
        assert_eq!(plain_file_name("Siân \"x\".pdf"), "Si_n__x_.pdf");
    }
}
