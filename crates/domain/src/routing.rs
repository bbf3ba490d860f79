//! Routing a referral that names an area but not a service: which of the
//! services covering the area should receive it. Specialist crime types go
//! to a specialist service where there is one; everything else, and
//! specialist types where there is none, to generic victim support. The
//! service whose area is nearest wins: a district's own service before a
//! force-wide one.

use crate::directory::ServiceKind;

/// A service as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub area_id: &'a str,
}

/// Why a referral could not be routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoRoute {
    /// No service of a suitable kind covers the area.
    Uncovered,
    /// Several services of the same kind cover the area equally: a person
    /// must choose. Their names, to say so.
    Ambiguous(Vec<String>),
}

/// The kind of specialist service a crime type goes to, if any.
pub fn specialist_kind(crime_type: &str) -> Option<ServiceKind> {
    match crime_type {
        "domestic_abuse" => Some(ServiceKind::DomesticAbuse),
        "sexual_offence" => Some(ServiceKind::Isva),
        _ => None,
    }
}

/// Chooses the service for a referral about `areas` (the area itself first,
/// then the areas containing it, nearest first) with a crime type.
pub fn route<'a>(
    crime_type: &str,
    areas: &[&str],
    services: &[Candidate<'a>],
) -> Result<&'a str, NoRoute> {
    let kinds = specialist_kind(crime_type)
        .into_iter()
        .chain(std::iter::once(ServiceKind::Generic));
    for kind in kinds {
        for area in areas {
            let found: Vec<&Candidate> = services
                .iter()
                .filter(|s| s.kind == kind.code() && s.area_id == *area)
                .collect();
            match found.as_slice() {
                [] => continue,
                [one] => return Ok(one.id),
                many => {
                    return Err(NoRoute::Ambiguous(
                        many.iter().map(|s| s.name.to_string()).collect(),
                    ));
                }
            }
        }
    }
    Err(NoRoute::Uncovered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Vec<Candidate<'static>> {
        vec![
            Candidate {
                id: "generic",
                name: "Victim Care",
                kind: "generic",
                area_id: "force",
            },
            Candidate {
                id: "da-ashby",
                name: "Ashby DA",
                kind: "domestic_abuse",
                area_id: "ashby",
            },
            Candidate {
                id: "da-mill",
                name: "Millbrook DA",
                kind: "domestic_abuse",
                area_id: "millbrook",
            },
            Candidate {
                id: "idva",
                name: "County IDVA",
                kind: "idva",
                area_id: "force",
            },
            Candidate {
                id: "city-generic",
                name: "City Care",
                kind: "generic",
                area_id: "city",
            },
        ]
    }

    #[test]
    fn routes_by_crime_type_and_nearest_area() {
        let all = services();
        for (crime_type, areas, expected) in [
            ("domestic_abuse", &["ashby", "force"][..], Ok("da-ashby")),
            ("domestic_abuse", &["millbrook", "force"][..], Ok("da-mill")),
            // No specialist service in the city: generic support, the city's own first.
            ("domestic_abuse", &["city", "force"][..], Ok("city-generic")),
            ("burglary", &["city", "force"][..], Ok("city-generic")),
            ("burglary", &["ashby", "force"][..], Ok("generic")),
            ("burglary", &["force"][..], Ok("generic")),
            // No ISVA anywhere: generic support.
            ("sexual_offence", &["ashby", "force"][..], Ok("generic")),
            ("burglary", &["elsewhere"][..], Err(NoRoute::Uncovered)),
        ] {
            assert_eq!(
                route(crime_type, areas, &all),
                expected,
                "{crime_type} in {areas:?}"
            );
        }
    }

    #[test]
    fn two_services_alike_are_left_to_a_person() {
        let mut all = services();
        all.push(Candidate {
            id: "da-ashby-2",
            name: "Second Ashby DA",
            kind: "domestic_abuse",
            area_id: "ashby",
        });
        assert_eq!(
            route("domestic_abuse", &["ashby", "force"], &all),
            Err(NoRoute::Ambiguous(vec![
                "Ashby DA".into(),
                "Second Ashby DA".into()
            ]))
        );
        assert_eq!(route("burglary", &["ashby", "force"], &all), Ok("generic"));
    }

    #[test]
    fn specialist_kinds_by_crime_type() {
        assert_eq!(
            specialist_kind("domestic_abuse"),
            Some(ServiceKind::DomesticAbuse)
        );
        assert_eq!(specialist_kind("sexual_offence"), Some(ServiceKind::Isva));
        assert_eq!(specialist_kind("burglary"), None);
    }
}
