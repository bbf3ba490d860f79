//! Reading field lists from any transport. A form posts strings, a key
//! once per ticked box; a JSON body has real lists and booleans; a CSV row
//! has strings. These let one field list (a `…Input` struct) take all three.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::{Map, Value};

/// Reads posted pairs into a field list. A key posted more than once (ticked
/// boxes) becomes a list; fields the list does not name are ignored.
pub fn from_pairs<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, String> {
    let mut map = Map::new();
    for (key, value) in pairs {
        let value = Value::String(value.clone());
        match map.get_mut(key) {
            Some(Value::Array(list)) => list.push(value),
            Some(first) => {
                let first = first.take();
                map.insert(key.clone(), Value::Array(vec![first, value]));
            }
            None => {
                map.insert(key.clone(), value);
            }
        }
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| e.to_string())
}

/// An optional choice left blank (an empty select) is no choice.
pub fn blank_to_none(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A list: a JSON list, one value (a single ticked box), or values joined
/// by `;` (a CSV cell). Empty values are dropped.
pub fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<String>),
        One(String),
    }
    let values = match OneOrMany::deserialize(deserializer)? {
        OneOrMany::Many(values) => values,
        OneOrMany::One(value) => value.split(';').map(str::to_string).collect(),
    };
    Ok(values
        .into_iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

/// A list that may be left out: absent is `None` (unchanged, in a
/// correction); present, it is read as [`list`].
pub fn optional_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    list(deserializer).map(Some)
}

/// A yes or no: a JSON boolean, or `true`/`yes`/`y`/`on`/`1` and
/// `false`/`no`/`n`/`0`/empty as text.
pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrText {
        Bool(bool),
        Text(String),
    }
    match BoolOrText::deserialize(deserializer)? {
        BoolOrText::Bool(b) => Ok(b),
        BoolOrText::Text(text) => match text.trim().to_lowercase().as_str() {
            "true" | "yes" | "y" | "on" | "1" => Ok(true),
            "" | "false" | "no" | "n" | "0" => Ok(false),
            other => Err(de::Error::custom(format!("'{other}' should be yes or no"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct Example {
        name: String,
        #[serde(deserialize_with = "list")]
        ticked: Vec<String>,
        #[serde(deserialize_with = "flag")]
        agreed: bool,
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn forms_json_and_csv_fill_the_same_list() {
        let form: Example = from_pairs(&pairs(&[
            ("name", "Ada"),
            ("ticked", "a"),
            ("ticked", "b"),
            ("agreed", "true"),
            ("csrf_token", "ignored"),
        ]))
        .expect("form");
        let json: Example =
            serde_json::from_str(r#"{"name":"Ada","ticked":["a","b"],"agreed":true}"#)
                .expect("json");
        let csv: Example = from_pairs(&pairs(&[
            ("name", "Ada"),
            ("ticked", "a; b"),
            ("agreed", "yes"),
        ]))
        .expect("csv");
        let expected = Example {
            name: "Ada".into(),
            ticked: vec!["a".into(), "b".into()],
            agreed: true,
        };
        assert_eq!(form, expected);
        assert_eq!(json, expected);
        assert_eq!(csv, expected);
        let one: Example = from_pairs(&pairs(&[("ticked", "a")])).expect("one box");
        assert_eq!(one.ticked, vec!["a".to_string()]);
        assert!(!one.agreed, "an unticked box is not sent");
    }

    #[test]
    fn a_flag_that_is_neither_yes_nor_no_is_refused() {
        let refused = from_pairs::<Example>(&pairs(&[("agreed", "maybe")]));
        assert!(refused.is_err_and(|e| e.contains("'maybe' should be yes or no")));
    }
}
