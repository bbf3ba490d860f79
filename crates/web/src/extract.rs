//! Extractors: who is asking, from where, and their form, checked against
//! the session's CSRF token.

use std::net::SocketAddr;

use app::auth::{SessionContext, Stage};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::cookies;
use crate::errors::PageError;
use crate::messages::PageMessage;

/// A fully signed-in person.
pub struct Signed(pub SessionContext);

/// A signed-in person at any stage (for the second-factor pages).
pub struct AnyStage(pub SessionContext);

async fn session_from(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<SessionContext>, PageError> {
    let Some(token) = cookies::get(
        &parts.headers,
        cookies::SESSION,
        state.config.secure_cookies,
    ) else {
        return Ok(None);
    };
    Ok(state.app.session(&token).await?)
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match session_from(parts, state).await? {
            None => Err(PageError::Redirect(sign_in_then(&parts.uri))),
            Some(ctx) => match ctx.stage {
                Stage::Full => Ok(Signed(ctx)),
                Stage::SecondFactor => Err(PageError::Redirect("/login/code".into())),
                Stage::Enrol => Err(PageError::Redirect("/account/second-factor".into())),
            },
        }
    }
}

impl FromRequestParts<AppState> for AnyStage {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match session_from(parts, state).await? {
            None => Err(PageError::Redirect("/login".into())),
            Some(ctx) => Ok(AnyStage(ctx)),
        }
    }
}

/// Signing in, then back to this address. A form sent after the session
/// ended comes back to its page, where the script puts back what was typed.
fn sign_in_then(uri: &axum::http::Uri) -> String {
    let here = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    match safe_return(here) {
        Some(here) if here != "/" => format!(
            "/login?{}",
            serde_urlencoded::to_string([("next", here)]).unwrap_or_default()
        ),
        _ => "/login".into(),
    }
}

/// An address to return to after signing in, if it is one of ours: a path
/// on this site, never another site's (`//host`, `/\\host`).
pub fn safe_return(next: &str) -> Option<&str> {
    let ours = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    ours.then_some(next)
}

/// The client's address, for throttling; never shown or logged with a name.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for
            && let Some(forwarded) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
            && let Some(last) = forwarded.rsplit(',').next()
        {
            return Ok(ClientAddress(last.trim().to_string()));
        }
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddress(address))
    }
}

/// A posted field's value, or empty if it was not sent. Forms with repeated
/// fields (ticked boxes) are read as pairs and looked up with this.
pub fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The CSRF field every state-changing form carries.
#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

/// A form posted by a fully signed-in person, whose CSRF token matched.
pub struct SignedForm<T> {
    pub ctx: SessionContext,
    pub form: T,
    /// Every field as posted, to show the form again as it was typed.
    pub pairs: Vec<(String, String)>,
}

/// The largest form read. A note of 20,000 characters of any script, percent
/// encoded, fits; so a note over its own limit is refused at its field, with
/// the text kept, rather than as a form too large.
const FORM_LIMIT: usize = 256 * 1024;

/// Reads a urlencoded body of at most [`FORM_LIMIT`] bytes.
async fn form_body(req: Request) -> Result<String, PageError> {
    let bytes = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
        .await
        .map_err(|_| PageError::BadRequest(PageMessage::FormTooLarge.english()))?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| PageError::BadRequest(PageMessage::FormNotText.english()))
}

/// Reads a form into its field list; a field posted more than once (ticked
/// boxes) is read as a list, and a date's day, month and year boxes as one.
fn parse_form<T: DeserializeOwned>(body: &str) -> Result<T, PageError> {
    let unreadable = || PageError::BadRequest(PageMessage::FormUnreadable.english());
    let pairs: Pairs = serde_urlencoded::from_str(body).map_err(|_| unreadable())?;
    app::fields::from_pairs(&join_dates(pairs)).map_err(|_| unreadable())
}

/// The boxes of a date entered as day, month and year (`due-day`,
/// `due-month`, `due-year`) become one field (`due`): `2026-03-07`, or what
/// was typed (`2026-3-`) for the field's own check to refuse and the page to
/// show again. Three empty boxes are an empty field.
pub fn join_dates(pairs: Pairs) -> Pairs {
    const PARTS: [&str; 3] = ["-day", "-month", "-year"];
    let base = |name: &str| {
        PARTS
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .map(str::to_string)
    };
    let mut joined: Pairs = Vec::new();
    for (name, value) in &pairs {
        let Some(date) = base(name) else {
            joined.push((name.clone(), value.clone()));
            continue;
        };
        if joined.iter().any(|(n, _)| *n == date) {
            continue;
        }
        let part = |suffix: &str| field(&pairs, &format!("{date}{suffix}")).trim().to_string();
        let (day, month, year) = (part("-day"), part("-month"), part("-year"));
        let padded = |text: String| match text.parse::<u8>() {
            Ok(n) if text.len() <= 2 => format!("{n:02}"),
            _ => text,
        };
        let value = if day.is_empty() && month.is_empty() && year.is_empty() {
            String::new()
        } else {
            format!("{year}-{}-{}", padded(month), padded(day))
        };
        joined.push((date, value));
    }
    joined
}

/// A query string read like a form: dates entered as three boxes are joined
/// (see [`join_dates`]) before the fields are read.
pub struct DateQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for DateQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(DateQuery(parse_form(
            parts.uri.query().unwrap_or_default(),
        )?))
    }
}

/// Every field of a posted form, in order, repeated ones included.
type Pairs = Vec<(String, String)>;

/// A form read field by field from [`SignedForm::pairs`] with [`field`]
/// (its fields are named at run time: one per need area, say).
#[derive(serde::Deserialize)]
pub struct ByName {}

fn csrf_matches(expected: &str, body: &str) -> bool {
    let sent: CsrfField = serde_urlencoded::from_str(body).unwrap_or(CsrfField {
        csrf_token: String::new(),
    });
    !expected.is_empty() && app::constant_time_eq(expected, &sent.csrf_token)
}

fn csrf_rejection() -> PageError {
    PageError::BadRequest(PageMessage::FormExpired.english())
}

/// The hidden field that carries a form's one-time key (see
/// [`crate::chrome::Chrome::form_key`]).
const SUBMISSION: &str = "submission";

/// The page a form was sent from, if it is one of ours: its path and query.
fn sent_from(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(axum::http::header::REFERER)?.to_str().ok()?;
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let path = rest.strip_prefix(host)?;
    path.starts_with('/').then(|| path.to_string())
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for SignedForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let Signed(mut ctx) = Signed::from_request_parts(&mut parts, state).await?;
        let from = sent_from(&parts.headers);
        let body = form_body(Request::from_parts(parts, body)).await?;
        if !csrf_matches(&ctx.csrf_token, &body) {
            return Err(csrf_rejection());
        }
        let pairs: Pairs = serde_urlencoded::from_str(&body).unwrap_or_default();
        // A form sent again (a double click, a resend): back to the page it
        // came from, which shows what the first sending did. The door
        // refuses the change too, should both arrive at once.
        let key = field(&pairs, SUBMISSION);
        if !key.is_empty() && key.len() <= 64 {
            if state.app.form_already_sent(key).await? {
                return Err(PageError::Redirect(from.unwrap_or_else(|| "/".into())));
            }
            ctx.actor.submission = Some(key.to_string());
        }
        Ok(SignedForm {
            ctx,
            form: parse_form(&body)?,
            pairs: join_dates(pairs),
        })
    }
}

/// A form with a file (`enctype="multipart/form-data"`), posted by a fully
/// signed-in person, whose CSRF token matched. The file field is `file`;
/// a file over the document limit is cut there and marked, for the use case
/// to refuse at its field.
pub struct SignedUpload {
    pub ctx: SessionContext,
    pub upload: app::documents::Upload,
    /// Every other field as posted.
    pub pairs: Vec<(String, String)>,
}

/// The largest body an upload route reads: the document limit and room for
/// the form's other fields. Beyond it the request is refused whole.
pub const UPLOAD_BODY_LIMIT: usize = domain::documents::DOCUMENT_LIMIT_BYTES + 256 * 1024;

impl FromRequest<AppState> for SignedUpload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let too_large = || {
            PageError::BadRequest(
                PageMessage::UploadTooLarge {
                    limit: domain::documents::limit_text(),
                }
                .english(),
            )
        };
        let (mut parts, body) = req.into_parts();
        let Signed(mut ctx) = Signed::from_request_parts(&mut parts, state).await?;
        let from = sent_from(&parts.headers);
        let mut multipart =
            axum::extract::Multipart::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(|_| csrf_rejection())?;
        let mut pairs: Pairs = Vec::new();
        let mut upload = app::documents::Upload::default();
        while let Some(mut part) = multipart.next_field().await.map_err(|_| too_large())? {
            let name = part.name().unwrap_or_default().to_string();
            if name == "file" {
                upload.file_name = part.file_name().unwrap_or_default().to_string();
                // Read to one byte past the limit: enough to know it is over.
                while let Some(chunk) = part.chunk().await.map_err(|_| too_large())? {
                    let room = domain::documents::DOCUMENT_LIMIT_BYTES + 1 - upload.content.len();
                    upload
                        .content
                        .extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if upload.content.len() > domain::documents::DOCUMENT_LIMIT_BYTES {
                        break;
                    }
                }
            } else {
                let value = part.text().await.map_err(|_| too_large())?;
                pairs.push((name, value));
            }
        }
        if ctx.csrf_token.is_empty()
            || !app::constant_time_eq(&ctx.csrf_token, field(&pairs, "csrf_token"))
        {
            return Err(csrf_rejection());
        }
        let key = field(&pairs, SUBMISSION);
        if !key.is_empty() && key.len() <= 64 {
            if state.app.form_already_sent(key).await? {
                return Err(PageError::Redirect(from.unwrap_or_else(|| "/".into())));
            }
            ctx.actor.submission = Some(key.to_string());
        }
        upload.description = field(&pairs, "description").to_string();
        Ok(SignedUpload { ctx, upload, pairs })
    }
}

/// Like [`SignedForm`] for a session at any stage.
pub struct AnyStageForm<T> {
    pub ctx: SessionContext,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for AnyStageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let AnyStage(ctx) = AnyStage::from_request_parts(&mut parts, state).await?;
        let body = form_body(Request::from_parts(parts, body)).await?;
        if !csrf_matches(&ctx.csrf_token, &body) {
            return Err(csrf_rejection());
        }
        Ok(AnyStageForm {
            ctx,
            form: parse_form(&body)?,
        })
    }
}

/// A form posted before anyone is signed in (the sign-in form itself),
/// whose CSRF token matched the one its page set in a cookie.
pub struct SignInForm<T> {
    pub form: T,
    /// The token the page was given, to show the form again with.
    pub csrf_token: String,
    pub headers: axum::http::HeaderMap,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for SignInForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let expected = cookies::get(&headers, cookies::LOGIN_CSRF, state.config.secure_cookies)
            .unwrap_or_default();
        let body = form_body(req).await?;
        if !csrf_matches(&expected, &body) {
            return Err(csrf_rejection());
        }
        Ok(SignInForm {
            form: parse_form(&body)?,
            csrf_token: expected,
            headers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_pages_are_returned_to_after_signing_in() {
        assert_eq!(
            safe_return("/cases/1?section=notes"),
            Some("/cases/1?section=notes")
        );
        for elsewhere in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example/",
            "evil",
            "/cases/1\nSet-Cookie: x",
            "",
        ] {
            assert_eq!(safe_return(elsewhere), None, "{elsewhere}");
        }
        let uri: axum::http::Uri = "/cases/1/notes".parse().expect("uri");
        assert_eq!(sign_in_then(&uri), "/login?next=%2Fcases%2F1%2Fnotes");
        assert_eq!(sign_in_then(&"/".parse().expect("uri")), "/login");
    }

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_dates_boxes_become_one_field_and_what_was_typed_is_kept() {
        let joined = join_dates(pairs(&[
            ("title", "Court"),
            ("due-day", "7"),
            ("due-month", "3"),
            ("due-year", "2026"),
            ("born-day", ""),
            ("born-month", ""),
            ("born-year", ""),
            ("seen-day", "31"),
            ("seen-month", "feb"),
            ("seen-year", ""),
        ]));
        assert_eq!(
            joined,
            pairs(&[
                ("title", "Court"),
                ("due", "2026-03-07"),
                ("born", ""),
                ("seen", "-feb-31"),
            ])
        );
        assert_eq!(crate::time::date_box("2026-03-07", 0), "7");
        assert_eq!(crate::time::date_box("2026-03-07", 1), "3");
        assert_eq!(crate::time::date_box("2026-03-07", 2), "2026");
        assert_eq!(crate::time::date_box("-feb-31", 1), "feb");
        assert_eq!(crate::time::date_box("", 0), "");
    }
}
