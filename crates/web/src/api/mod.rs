//! The JSON API under `/api/v1`, for machine clients with bearer tokens.
//! Its OpenAPI document, served at `/api/openapi.json`, is generated from
//! the handlers' annotations here, so it cannot drift from the code.
//! Errors are `application/problem+json` (RFC 9457) with field-level detail.

mod casework;
mod directory;
mod duty;
mod marac;
mod referrals;
mod staff;
mod types;

use app::AppError;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::policy::Actor;
use domain::validation::FieldError;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;
pub(crate) use crate::errors::{ApiError, problem};
use crate::routes::Routes;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The API's routes, under `/api`. Each documented route is registered
/// once, from its handler's annotation, so the router and the OpenAPI
/// document are one list.
pub fn routes() -> Routes {
    Routes::new()
        .route("/api/openapi.json", get(openapi_json))
        .documented(documented_routes())
}

fn documented_routes() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .routes(routes!(me))
        .merge(directory::routes())
        .merge(staff::routes())
        .merge(referrals::routes())
        .merge(casework::routes())
        .merge(marac::routes())
        .merge(duty::routes());
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api", v1)
}

/// What the document says beyond its paths: the description, the shared
/// schemas and the security scheme.
#[derive(OpenApi)]
#[openapi(
    info(title = "Waymark API", description = "Case management and commissioning for victims' services. Authenticate with a bearer token issued by an administrator."),
    components(schemas(types::Problem, types::ProblemField)),
    security(("bearer" = [])),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("wm_…")
                        .build(),
                ),
            );
        }
    }
}

/// Declares the problem documents every operation may answer with, as
/// `application/problem+json` (what the API sends), not `application/json`.
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        const PROBLEM: &str = "application/problem+json";
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        PROBLEM,
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            )
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let names_a_record = path.contains('{');
            let operations = [
                (false, item.get.as_mut()),
                (true, item.post.as_mut()),
                (true, item.put.as_mut()),
                (true, item.patch.as_mut()),
                (true, item.delete.as_mut()),
            ];
            for (changes, operation) in operations {
                let Some(operation) = operation else { continue };
                for response in operation.responses.responses.values_mut() {
                    if let RefOr::T(response) = response
                        && let Some(content) = response.content.shift_remove("application/json")
                    {
                        let is_problem = matches!(&content, RefOr::T(c) if matches!(
                            &c.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem")));
                        let kind = if is_problem {
                            PROBLEM
                        } else {
                            "application/json"
                        };
                        response.content.insert(kind.to_string(), content);
                    }
                }
                let mut answers = vec![
                    ("400", "The request could not be read: the detail says why"),
                    ("401", "No live API token was sent"),
                    (
                        "403",
                        "The token's organisation or scopes do not allow this",
                    ),
                ];
                if names_a_record {
                    answers.push(("404", "No such record, or not one this token may see"));
                }
                if changes {
                    answers.extend([
                        (
                            "409",
                            "It conflicts with what is held: the detail says what to do",
                        ),
                        ("415", "The body was not JSON"),
                        ("422", "Fields were not valid: each is named in errors"),
                    ]);
                }
                for (status, description) in answers {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem(description));
                }
            }
        }
    }
}

/// The OpenAPI document as JSON.
pub fn openapi_document() -> String {
    let (_, mut document) = documented_routes().split_for_parts();
    BearerAuth.modify(&mut document);
    ProblemResponses.modify(&mut document);
    document.to_pretty_json().unwrap_or_else(|_| "{}".into())
}

async fn openapi_json() -> Response {
    ([(CONTENT_TYPE, "application/json")], openapi_document()).into_response()
}

/// The machine client behind a bearer token.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(ApiError(AppError::Unauthenticated))?;
        match state.app.authenticate_token(token).await? {
            Some(actor) => Ok(ApiActor(actor)),
            None => Err(ApiError(AppError::Unauthenticated)),
        }
    }
}

/// A JSON body; a malformed one is refused naming the field where possible.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send JSON",
                "Set 'Content-Type: application/json' and send a JSON object.",
                vec![],
            ));
        }
        let bytes = axum::body::to_bytes(req.into_body(), 256 * 1024)
            .await
            .map_err(|_| {
                problem(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Body too large",
                    "Send at most 256 KiB.",
                    vec![],
                )
            })?;
        // A field sent as null is a field not sent: a client may send back
        // what it read (absent values are null there) with one field changed.
        let mut value = serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| {
            problem(
                StatusCode::BAD_REQUEST,
                "The body is not JSON",
                &format!("Send one JSON object: {e}."),
                vec![],
            )
        })?;
        if let Some(fields) = value.as_object_mut() {
            fields.retain(|_, v| !v.is_null());
        }
        read_fields(value).map(ApiJson).map_err(|errors| {
            problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Some fields could not be read",
                "Each field named has the wrong type or is missing: see errors.",
                errors,
            )
        })
    }
}

/// Reads a body as `T`, naming every field that cannot be read rather than
/// only the first: a field of the wrong type is named, set aside, and the
/// rest read again (inputs give every field a default), so a client learns
/// all that is wrong at once.
fn read_fields<T: DeserializeOwned>(mut value: serde_json::Value) -> Result<T, Vec<FieldError>> {
    let mut errors = Vec::new();
    loop {
        let e = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(read) if errors.is_empty() => return Ok(read),
            Ok(_) => return Err(errors),
            Err(e) => e,
        };
        let message = e.inner().to_string();
        let field = match e.path().iter().next() {
            Some(serde_path_to_error::Segment::Map { key }) => Some(key.clone()),
            // Fields of a flattened part (a referral's person) are read from
            // a buffer that keeps no path: the field at fault is the one
            // whose absence clears this error.
            _ => value.as_object().and_then(|fields| {
                fields
                    .keys()
                    .find(|key| {
                        let mut without = value.clone();
                        if let Some(fields) = without.as_object_mut() {
                            fields.remove(*key);
                        }
                        serde_path_to_error::deserialize::<_, T>(without)
                            .err()
                            .is_none_or(|other| other.inner().to_string() != message)
                    })
                    .cloned()
            }),
        };
        if let Some(field) = field
            && value
                .as_object_mut()
                .and_then(|fields| fields.remove(&field))
                .is_some()
        {
            errors.push(FieldError { field, message });
            continue;
        }
        // A required field left out, or a body that is not an object.
        let field = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .unwrap_or("body")
            .to_string();
        errors.push(FieldError { field, message });
        return Err(errors);
    }
}

/// Who the token acts as.
#[utoipa::path(get, path = "/v1/me", tag = "account",
    responses((status = 200, body = types::Me), (status = 401, body = types::Problem)))]
async fn me(ApiActor(actor): ApiActor) -> Json<types::Me> {
    Json(types::Me {
        id: actor.id.clone(),
        label: actor.label.clone(),
        organisation_id: actor.organisation_id.clone(),
        roles: actor.roles().iter().map(|r| r.code().to_string()).collect(),
    })
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;
