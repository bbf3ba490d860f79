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

/// Whether text is one line (names, references, titles) or may run over
/// several (notes, accounts, addresses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// A character that is not seen, or that changes how the text around it is
/// shown: zero-width spaces and marks, direction overrides and isolates, and
/// the byte-order mark. Such characters make two names look the same that
/// are not, or a blank one look filled in.
pub fn hidden_character(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// Whether `c` may be kept in text of this kind: never a control character
/// except a line end or tab in text over several lines, and never a hidden
/// one except the joiners some scripts and emoji need, in such text.
fn allowed(c: char, lines: Lines) -> bool {
    let many = lines == Lines::Many;
    if c.is_control() {
        return many && matches!(c, '\n' | '\r' | '\t');
    }
    !hidden_character(c) || (many && matches!(c, '\u{200C}' | '\u{200D}'))
}

/// Checks one text input: trimmed of spaces and hidden characters at its
/// ends (so a zero-width space alone is blank), within `max_chars`, and
/// holding nothing that cannot be seen. Adds the field's error and returns
/// the trimmed text, or `None` when blank.
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    max_chars: usize,
    lines: Lines,
) -> Option<String> {
    let value = value.trim_matches(|c: char| c.is_whitespace() || hidden_character(c));
    if value.is_empty() {
        return None;
    }
    let count = value.chars().count();
    if count > max_chars {
        errors.add(
            field,
            format!(
                "{} must be {max_chars} characters or fewer: this is {count}",
                capitalise(label)
            ),
        );
    } else if value.chars().any(|c| !allowed(c, lines)) {
        errors.add(
            field,
            format!(
                "{} contains characters that cannot be seen or that change how text is shown: type it again rather than pasting it",
                capitalise(label)
            ),
        );
    }
    Some(value.to_string())
}

/// [`text`] for an input that must be given, on one line.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    max_chars: usize,
) -> String {
    required(errors, field, value, label, max_chars, Lines::One)
}

/// [`text`] for an input that must be given and may run over several lines.
pub fn required_lines(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    max_chars: usize,
) -> String {
    required(errors, field, value, label, max_chars, Lines::Many)
}

fn required(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    label: &str,
    max_chars: usize,
    lines: Lines,
) -> String {
    text(errors, field, value, label, max_chars, lines).unwrap_or_else(|| {
        errors.add(field, format!("Enter {label}"));
        String::new()
    })
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
    fn hidden_and_control_characters_are_refused_and_blank_after_trimming_is_blank() {
        let check = |value: &str, lines: Lines| {
            let mut errors = FieldErrors::new();
            let kept = text(&mut errors, "f", value, "the name", 50, lines);
            (kept, errors.get("f").map(str::to_string))
        };
        let refused = |value: &str, lines: Lines| check(value, lines).1.is_some();
        // Blank once spaces and hidden characters are trimmed from the ends.
        for blank in ["", "   ", "\u{200B}", " \u{FEFF}\u{200B} ", "\u{2060}"] {
            assert_eq!(check(blank, Lines::One), (None, None), "{blank:?}");
            let mut errors = FieldErrors::new();
            required_text(&mut errors, "f", blank, "the name", 50);
            assert_eq!(errors.get("f"), Some("Enter the name"), "{blank:?}");
        }
        assert_eq!(
            check("\u{200B}Ann\u{200B}", Lines::One).0.as_deref(),
            Some("Ann")
        );
        for bad in [
            "Ann\u{0}Smith",
            "Ann\u{7}",
            "Ann\nSmith",
            "Ann\tSmith",
            "Ann\u{202E}htimS",
            "An\u{200B}n",
            "Ann\u{2066}x",
            "Ann\u{200D}x",
            "So\u{00AD}phie",
        ] {
            assert!(refused(bad, Lines::One), "{bad:?} on one line");
        }
        // Notes keep line ends and tabs, and the joiners scripts need.
        for kept in [
            "First line\nsecond\tcolumn\r\nthird",
            "کتاب\u{200C}خانه",
            "👩\u{200D}💻",
        ] {
            assert!(!refused(kept, Lines::Many), "{kept:?} over several lines");
        }
        for bad in [
            "note\u{0}x",
            "no\u{202E}te",
            "note\u{200B}x",
            "note\u{1B}[31m",
        ] {
            assert!(refused(bad, Lines::Many), "{bad:?} over several lines");
        }
        let mut errors = FieldErrors::new();
        assert_eq!(
            required_lines(&mut errors, "note", " one\n\ttwo \n", "the note", 50),
            "one\n\ttwo"
        );
        assert!(errors.is_empty());
        required_lines(&mut errors, "note", "\n \u{200B}", "the note", 50);
        assert_eq!(errors.get("note"), Some("Enter the note"));
        // The error names the field and says what to do.
        let (_, message) = check("An\u{202E}n", Lines::One);
        assert!(message.unwrap().starts_with("The name contains characters"));
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
