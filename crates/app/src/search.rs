//! Finding people: one box that understands names, dates of birth,
//! references, crime references, phone numbers and postcodes. The scope is
//! applied in the query, so results never include another service's people.

use domain::journey::{normalise_postcode, phone_key, word_key};
use domain::policy::{self, Action, Actor};
use domain::validation::FieldErrors;
use jiff::civil::Date;
use serde_json::json;
use store::people::{Found, SearchTerms};

use crate::audit::AuditAction;
use crate::messages::SearchMessage;
use crate::{App, AppError, Result};

fn date(text: &str) -> Option<Date> {
    domain::values::Day::parse(text).ok().map(|d| d.date())
}

/// People shown on a page of results.
pub const SEARCH_SHOWN: i64 = 50;

/// The most a search finds: beyond it, the search says "more than" and
/// asks for detail, rather than paging through a county's victims.
pub const SEARCH_CAP: i64 = 250;

/// One page of a search's results, by name.
#[derive(Debug, Clone)]
pub struct SearchResults {
    pub rows: Vec<Found>,
    /// The position of the first row shown, from 1.
    pub first: i64,
    /// How many were found, up to [`SEARCH_CAP`].
    pub total: i64,
    /// Whether more than [`SEARCH_CAP`] match.
    pub capped: bool,
}

impl SearchResults {
    pub fn has_later(&self) -> bool {
        self.first - 1 + (self.rows.len() as i64) < self.total
    }
}

/// Reads what was typed into search terms, or says what to type.
pub fn parse_query(
    query: &str,
    date_of_birth: &str,
) -> std::result::Result<SearchTerms, FieldErrors> {
    let query = query.trim();
    let mut terms = SearchTerms::default();
    let mut errors = FieldErrors::new();
    if !date_of_birth.trim().is_empty() {
        match date(date_of_birth) {
            Some(d) => terms.date_of_birth = Some(d.to_string()),
            None => errors.add("dob", SearchMessage::EnterDateBirthRealDate),
        }
    }
    if query.is_empty() {
        if terms.date_of_birth.is_none() && errors.is_empty() {
            errors.add("q", SearchMessage::EnterNameDateBirthReference);
        }
        return errors.into_result().map(|_| terms);
    }
    let digits = query.chars().filter(char::is_ascii_digit).count();
    let letters = query.chars().filter(|c| c.is_alphabetic()).count();
    if query.to_uppercase().starts_with("REF-") {
        terms.reference = Some(query.to_uppercase());
    } else if let Some(d) = date(query) {
        terms.date_of_birth = Some(d.to_string());
    } else if letters > 0
        && digits > 0
        && !query.contains('/')
        && normalise_postcode(query).is_some()
    {
        terms.postcode_key = normalise_postcode(query).map(|p| p.replace(' ', ""));
    } else if letters == 0 && digits >= 6 {
        terms.phone_key = phone_key(query);
    } else if digits > 0 {
        terms.crime_reference = Some(query.to_string());
    } else {
        let words: Vec<String> = query
            .split_whitespace()
            .map(word_key)
            .filter(|w| !w.is_empty())
            .collect();
        match words.as_slice() {
            [] => errors.add("q", SearchMessage::EnterNameDateBirthReference),
            [one] => terms.either_name_key = Some(one.clone()),
            [first, .., last] => {
                terms.given_key = Some(first.clone());
                terms.family_key = Some(last.clone());
            }
        }
    }
    errors.into_result().map(|_| terms)
}

impl App {
    /// People the actor may see who match; the search is audited (without
    /// its terms, which are themselves personal data).
    /// Page `page` (from 1) of them. Each page shown is a search, audited.
    pub async fn search_people(
        &self,
        actor: &Actor,
        query: &str,
        date_of_birth: &str,
        page: i64,
    ) -> Result<crate::Seen<SearchResults>> {
        if !policy::may_somewhere(actor, Action::ViewCases) {
            return Err(AppError::Forbidden);
        }
        let terms = parse_query(query, date_of_birth).map_err(AppError::Invalid)?;
        let visibility = policy::visibility(actor, Action::ViewCases);
        let mut conn = self.db.conn().await?;
        // One more than the cap, to know when there are more.
        let mut found =
            store::people::search(&mut conn, &visibility, &terms, SEARCH_CAP + 1).await?;
        let capped = found.len() as i64 > SEARCH_CAP;
        found.truncate(SEARCH_CAP as usize);
        let total = found.len() as i64;
        let last_page = ((total + SEARCH_SHOWN - 1) / SEARCH_SHOWN).max(1);
        let page = page.clamp(1, last_page);
        let first = (page - 1) * SEARCH_SHOWN + 1;
        let mut rows: Vec<Found> = found
            .into_iter()
            .skip((first - 1) as usize)
            .take(SEARCH_SHOWN as usize)
            .collect();
        store::people::shown_details(&mut conn, &mut rows).await?;
        drop(conn);
        let read = crate::audit::Change::about(AuditAction::PeopleSearched, "person")
            .after(json!({ "results": total, "shown": rows.len() }));
        let results = SearchResults {
            rows,
            first,
            total,
            capped,
        };
        self.disclose(actor, read, results).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_typed_is_understood() {
        let t = parse_query("ref-2026-000123", "").expect("reference");
        assert_eq!(t.reference.as_deref(), Some("REF-2026-000123"));
        let t = parse_query("01/04/1990", "").expect("date");
        assert_eq!(t.date_of_birth.as_deref(), Some("1990-04-01"));
        let t = parse_query("ng18 1ab", "").expect("postcode");
        assert_eq!(t.postcode_key.as_deref(), Some("NG181AB"));
        let t = parse_query("07700 900123", "").expect("phone");
        assert_eq!(t.phone_key.as_deref(), Some("07700900123"));
        let t = parse_query("EM/12345/26", "").expect("crime reference");
        assert_eq!(t.crime_reference.as_deref(), Some("EM/12345/26"));
        let t = parse_query("O'Neill", "").expect("one name");
        assert_eq!(t.either_name_key.as_deref(), Some("oneill"));
        let t = parse_query("Anne Marie O'Neill", "1990-04-01").expect("names and date");
        assert_eq!(
            (t.given_key.as_deref(), t.family_key.as_deref()),
            (Some("anne"), Some("oneill"))
        );
        assert_eq!(t.date_of_birth.as_deref(), Some("1990-04-01"));
        assert!(parse_query("", "").is_err());
        assert!(
            parse_query("", "31/02/1990")
                .expect_err("bad date")
                .get("dob")
                .is_some()
        );
    }
}
