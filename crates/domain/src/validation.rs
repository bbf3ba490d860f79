//! Field-level validation errors shared by every layer: the web turns them
//! into an error summary and messages beside each field, the API into a
//! problem document that names each field.

use serde::Serialize;

/// One thing wrong with one input field, said so a person can put it right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field or JSON property name, e.g. `username`.
    pub field: String,
    /// What is wrong and what to do, e.g. "Enter a name for the team".
    pub message: String,
}

/// A collection of field errors, built while checking a whole input so the
/// person sees every problem at once rather than one per attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, if that field has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// `Ok(())` when nothing was added, otherwise the errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }
}

/// Trims a text input and checks it is present and not too long.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    max_chars: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {label}"));
    } else if value.chars().count() > max_chars {
        errors.add(
            field,
            format!(
                "{} must be {max_chars} characters or fewer: this is {}",
                capitalise(label),
                value.chars().count()
            ),
        );
    }
    value.to_string()
}

fn capitalise(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_reports_missing_and_long_values() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            required_text(&mut errors, "name", "  Ashfield  ", "a name", 20),
            "Ashfield"
        );
        assert!(errors.is_empty());
        required_text(&mut errors, "name", "   ", "a name", 20);
        assert_eq!(errors.get("name"), Some("Enter a name"));
        let mut errors = FieldErrors::new();
        required_text(&mut errors, "name", &"x".repeat(21), "a name", 20);
        assert_eq!(
            errors.get("name"),
            Some("A name must be 20 characters or fewer: this is 21")
        );
    }

    #[test]
    fn field_errors_collect_and_refuse() {
        let mut errors = FieldErrors::new();
        assert!(errors.is_empty());
        assert!(errors.clone().into_result().is_ok());
        errors.add("name", "Enter a name");
        assert!(!errors.is_empty());
        assert_eq!(
            errors.clone().into_result().err().map(|e| e.0.len()),
            Some(1)
        );
        let single = FieldErrors::single("email", "Enter an email address");
        assert_eq!(single.get("email"), Some("Enter an email address"));
        // Exactly the limit is allowed; one more is not.
        let mut limit = FieldErrors::new();
        assert_eq!(
            required_text(&mut limit, "n", "abcde", "a name", 5),
            "abcde"
        );
        assert!(limit.is_empty());
        required_text(&mut limit, "n", "abcdef", "a name", 5);
        assert_eq!(
            limit.get("n"),
            Some("A name must be 5 characters or fewer: this is 6")
        );
    }
}
