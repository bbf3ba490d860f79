//! API tokens for machine clients (a police force's referral feed, a
//! reporting tool). A token belongs to an organisation, optionally narrowed to
//! one service, and carries scopes; it is shown once and stored as a hash.

use domain::policy::{self, Action, Actor, Grant, GrantScope, Place, Role};
use domain::validation::{FieldErrors, required_text};
use serde_json::json;
use store::tokens::{ApiToken, NewToken};

use crate::audit::AuditAction;
use crate::audit::Change;
use crate::messages::TokenMessage;
use crate::secrets::{hash_token, new_id, random_token};
use crate::{App, AppError, Result};

/// The scopes a token can carry, what each allows, and the role it acts with.
pub const SCOPES: &[(&str, &str, Role)] = &[
    (
        "directory:read",
        "Read services and teams",
        Role::DirectoryReader,
    ),
    (
        "casework:read",
        "Read the referrals, people and cases of the token's organisation or service (each read of a person audited)",
        Role::CaseReader,
    ),
    (
        "casework:write",
        "Read and record casework: contacts, tasks, notes, corrections",
        Role::Caseworker,
    ),
    (
        "staff:read",
        "Read staff lists and figures",
        Role::TeamLeader,
    ),
    ("audit:read", "Read the audit log", Role::Auditor),
    (
        "admin",
        "Manage the organisation's services, teams and staff",
        Role::Administrator,
    ),
    (
        "referrals:write",
        "Send referrals to the token's service",
        Role::Referrer,
    ),
    (
        "marac:member",
        "Read the agendas of the MARACs the token's organisation is a member agency of, add its research and update its actions",
        Role::MaracMember,
    ),
];

/// Tokens start with this, so a leaked one is easy to recognise and search for.
pub const TOKEN_PREFIX: &str = "wm_";

/// A token just created: the secret is shown once and never again.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: String,
}

pub struct NewTokenInput<'a> {
    pub name: &'a str,
    pub organisation_id: &'a str,
    pub service_id: Option<&'a str>,
    pub scopes: &'a [String],
}

/// The scopes asked for, each once; unknown ones are named in `errors`.
fn read_scopes(errors: &mut FieldErrors, asked: &[String]) -> Vec<&'static str> {
    let mut scopes: Vec<&'static str> = Vec::new();
    for scope in asked {
        match SCOPES.iter().find(|s| s.0 == scope.trim()) {
            Some(s) if scopes.contains(&s.0) => {}
            Some(s) => scopes.push(s.0),
            None => errors.add(
                "scopes",
                TokenMessage::NotAScope {
                    scope: scope.trim().into(),
                    scopes: SCOPES.iter().map(|s| s.0).collect::<Vec<_>>().join(", "),
                },
            ),
        }
    }
    if scopes.is_empty() && errors.get("scopes").is_none() {
        errors.add("scopes", TokenMessage::ChooseLeastScope);
    }
    scopes
}

impl App {
    /// Where a new token will act: its organisation, or its service.
    async fn place_of_new_token(
        &self,
        errors: &mut FieldErrors,
        input: &NewTokenInput<'_>,
        service_id: Option<&str>,
        scopes: &[&str],
    ) -> Result<Place> {
        let mut conn = self.db.conn().await?;
        if store::directory::find_organisation(&mut conn, input.organisation_id)
            .await?
            .is_none()
        {
            errors.add("organisation_id", TokenMessage::ChooseOrganisationTokenActs);
        }
        let place = Place {
            organisation_id: Some(input.organisation_id.to_string()),
            ..Place::default()
        };
        let Some(service_id) = service_id else {
            return Ok(place);
        };
        let everything = policy::Visibility {
            everything: true,
            ..Default::default()
        };
        // A sender's token may point at another organisation's service,
        // but then it may do nothing except send referrals to it.
        let only_sends = !scopes.is_empty() && scopes.iter().all(|s| *s == "referrals:write");
        match store::directory::find_service(&mut conn, service_id, &everything).await? {
            Some(s) if s.organisation_id == input.organisation_id => {
                return Ok(crate::directory::place_of_service(&s));
            }
            Some(_) if only_sends => {}
            _ => errors.add(
                "service_id",
                TokenMessage::ChooseServiceOrganisationNoneToken,
            ),
        }
        Ok(place)
    }

    pub async fn create_token(
        &self,
        actor: &Actor,
        input: NewTokenInput<'_>,
    ) -> Result<IssuedToken> {
        let mut errors = FieldErrors::new();
        let name = required_text(&mut errors, "name", input.name, "a name for the token", 120);
        let scopes = read_scopes(&mut errors, input.scopes);
        let service_id = input.service_id.map(str::trim).filter(|s| !s.is_empty());
        let place = self
            .place_of_new_token(&mut errors, &input, service_id, &scopes)
            .await?;
        if !policy::may(actor, Action::ManageTokens, &place) {
            return Err(AppError::Forbidden);
        }
        errors.into_result().map_err(AppError::Invalid)?;

        let secret = format!("{TOKEN_PREFIX}{}", random_token()?);
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        store::tokens::insert(
            tx.conn(),
            &NewToken {
                id: id.clone(),
                name: name.clone(),
                token_hash: hash_token(&secret),
                prefix: secret.chars().take(10).collect(),
                organisation_id: input.organisation_id.to_string(),
                service_id: service_id.map(str::to_string),
                scopes: scopes.join(" "),
                created_by: Some(actor.id.clone()),
                created_at: now.clone(),
            },
        )
        .await?;
        let change = Change::new(AuditAction::TokenCreated, "api_token", &id)
            .place(Some(input.organisation_id), service_id)
            .after(json!({ "name": name, "scopes": scopes }));
        let token = store::tokens::find(tx.conn(), &id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(IssuedToken { token, secret })
    }

    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        if !policy::may_somewhere(actor, Action::ManageTokens) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.db.conn().await?;
        let visibility = policy::visibility(actor, Action::ManageTokens);
        Ok(store::tokens::list(&mut conn)
            .await?
            .into_iter()
            .filter(|t| visibility.contains(&token_place(t)))
            .collect())
    }

    /// A page of the tokens the actor manages.
    pub async fn tokens_page(
        &self,
        actor: &Actor,
        request: &crate::paging::ListRequest<store::tokens::TokenSort>,
    ) -> Result<crate::paging::Page<ApiToken>> {
        if !policy::may_somewhere(actor, Action::ManageTokens) {
            return Err(AppError::Forbidden);
        }
        let visibility = policy::visibility(actor, Action::ManageTokens);
        let mut conn = self.db.conn().await?;
        Ok(store::tokens::page_of_tokens(
            &mut conn,
            &visibility,
            request.sort,
            request.descending,
            &request.start,
            crate::paging::PAGE_SIZE,
        )
        .await?)
    }

    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<ApiToken> {
        let mut conn = self.db.conn().await?;
        let token = store::tokens::find(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        if !policy::may(actor, Action::ManageTokens, &token_place(&token)) {
            return Err(AppError::NotFound);
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        if !store::tokens::revoke(tx.conn(), id, &now).await? {
            return Err(AppError::invalid(
                "token",
                TokenMessage::TokenWasAlreadyRevoked,
            ));
        }
        let change = Change::new(AuditAction::TokenRevoked, "api_token", id)
            .place(Some(&token.organisation_id), token.service_id.as_deref());
        let token = store::tokens::find(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        Ok(token)
    }

    /// The actor behind a bearer token, if the token is live.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Option<Actor>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let mut conn = self.db.conn().await?;
        let Some(token) = store::tokens::find_live_by_hash(&mut conn, &hash_token(secret)).await?
        else {
            return Ok(None);
        };
        self.take_request(&token)?;
        // Last use is kept to the minute, to spare a write per request.
        let now = self.clock.now_text();
        if token.last_used_at.as_deref().map(|t| &t[..16]) != Some(&now[..16]) {
            store::tokens::mark_used(&mut conn, &token.id, &now).await?;
        }
        let mut actor = token_actor(&token);
        // A MARAC role reaches the MARACs the organisation is a member of.
        if actor.grants.iter().any(|g| g.role.is_marac()) {
            let maracs =
                store::marac::maracs_of_organisation(&mut conn, &token.organisation_id).await?;
            let (marac_roles, mut grants): (Vec<Grant>, Vec<Grant>) =
                actor.grants.into_iter().partition(|g| g.role.is_marac());
            for grant in marac_roles {
                grants.extend(maracs.iter().map(|m| Grant {
                    role: grant.role,
                    scope: GrantScope::Marac(m.clone()),
                }));
            }
            actor.grants = grants;
        }
        Ok(Some(actor))
    }
}

impl App {
    /// Counts a request against the token's rate: refused with how long to
    /// wait once its bucket is empty.
    fn take_request(&self, token: &ApiToken) -> Result<()> {
        let per_minute = token
            .rate_per_minute
            .and_then(|r| u32::try_from(r).ok())
            .unwrap_or(self.settings.api_rate_per_minute)
            .max(1);
        let now = self.started.elapsed().as_secs_f64();
        let mut buckets = self
            .api_buckets
            .lock()
            .map_err(|_| AppError::Internal("the rate limits are unavailable".into()))?;
        let bucket = buckets
            .entry(token.id.clone())
            .or_insert_with(|| domain::rate::Bucket::full(per_minute, now));
        bucket
            .take(per_minute, now)
            .map_err(|wait| AppError::Throttled {
                retry_after_secs: i64::try_from(wait).unwrap_or(i64::MAX),
            })
    }

    /// Sets how many requests a minute a token may make (`None`: the
    /// server's default), for an administrator who manages it.
    pub async fn set_token_rate(
        &self,
        actor: &Actor,
        id: &str,
        per_minute: Option<i64>,
    ) -> Result<ApiToken> {
        if per_minute.is_some_and(|r| !(1..=100_000).contains(&r)) {
            return Err(AppError::invalid(
                "rate_per_minute",
                TokenMessage::RateBetween,
            ));
        }
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let token = store::tokens::find(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !policy::may(actor, Action::ManageTokens, &token_place(&token)) {
            return Err(AppError::NotFound);
        }
        store::tokens::set_rate(tx.conn(), id, per_minute).await?;
        let change = Change::new(AuditAction::TokenRateSet, "api_token", id)
            .place(Some(&token.organisation_id), token.service_id.as_deref())
            .before(json!({ "rate_per_minute": token.rate_per_minute }))
            .after(json!({ "rate_per_minute": per_minute }));
        let token = store::tokens::find(tx.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit(change).await?;
        // The new rate applies from the next request, with a full bucket.
        if let Ok(mut buckets) = self.api_buckets.lock() {
            buckets.remove(id);
        }
        Ok(token)
    }
}

fn token_place(token: &ApiToken) -> Place {
    Place {
        organisation_id: Some(token.organisation_id.clone()),
        service_id: token.service_id.clone(),
        ..Place::default()
    }
}

/// A token acts with the roles its scopes stand for, over its organisation or service.
pub fn token_actor(token: &ApiToken) -> Actor {
    let scope = match &token.service_id {
        Some(s) => GrantScope::Service(s.clone()),
        None => GrantScope::Organisation(token.organisation_id.clone()),
    };
    let grants = token
        .scopes
        .split_whitespace()
        .filter_map(|s| SCOPES.iter().find(|(name, _, _)| *name == s))
        .map(|(_, _, role)| Grant {
            role: *role,
            scope: scope.clone(),
        })
        .collect();
    Actor {
        submission: None,
        id: token.id.clone(),
        label: format!("token:{}", token.name),
        organisation_id: token.organisation_id.clone(),
        grants,
    }
}
