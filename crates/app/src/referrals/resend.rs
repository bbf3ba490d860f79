//! A sender's reference makes sending safe to repeat: the same content sent
//! again is the referral already received; different content under the same
//! reference is refused, naming the fields that differ, so a sender's
//! correction is never silently dropped.

use serde_json::{Map, Value};

/// What was sent, as canonical JSON: the fields given (text trimmed; blank
/// text, empty lists and `false` left out, as they mean "not sent").
pub(crate) fn content_of(input: &impl serde::Serialize) -> String {
    let fields = match serde_json::to_value(input) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    let kept: std::collections::BTreeMap<String, Value> = fields
        .into_iter()
        .filter_map(|(field, value)| {
            let value = match value {
                Value::String(text) => Value::String(text.trim().to_string()),
                other => other,
            };
            let blank = match &value {
                Value::String(text) => text.is_empty(),
                Value::Array(items) => items.is_empty(),
                Value::Bool(set) => !set,
                Value::Null => true,
                _ => false,
            };
            (!blank).then_some((field, value))
        })
        .collect();
    serde_json::to_string(&kept).unwrap_or_default()
}

/// The fields in which `sent` differs from what was `held` under the same
/// reference; none when nothing was kept (referrals received before it was).
pub(crate) fn differences(held: Option<&str>, sent: &str) -> Vec<String> {
    let read = |text: &str| serde_json::from_str::<Map<String, Value>>(text).unwrap_or_default();
    let Some(held) = held.map(read) else {
        return Vec::new();
    };
    let sent = read(sent);
    let mut fields: Vec<String> = held
        .keys()
        .chain(sent.keys())
        .filter(|field| held.get(*field) != sent.get(*field))
        .cloned()
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referrals::ReferralInput;

    fn input(given: &str, account: &str) -> ReferralInput {
        let mut input = ReferralInput {
            source: "police".into(),
            sender_reference: "EMP-1".into(),
            crime_type: "theft".into(),
            account: account.into(),
            ..Default::default()
        };
        input.person.given_name = given.into();
        input.person.family_name = "Lee".into();
        input
    }

    #[test]
    fn the_same_content_is_the_same_however_spaced_and_a_change_is_named() {
        let first = content_of(&input("Ann", ""));
        assert_eq!(
            differences(Some(&first), &content_of(&input(" Ann ", "  "))),
            Vec::<String>::new()
        );
        assert_eq!(
            differences(Some(&first), &content_of(&input("Anne", "Seen at home"))),
            ["account", "given_name"]
        );
        // A field left out the second time differs too.
        let fuller = content_of(&input("Ann", "Seen at home"));
        assert_eq!(differences(Some(&fuller), &first), ["account"]);
        // Nothing was kept for referrals received before: treated as the same.
        assert!(differences(None, &first).is_empty());
    }
}
