//! Password rules, following the NCSC's advice: a minimum length and a
//! deny-list of common and guessable passwords, no composition rules and no
//! forced expiry.

use crate::validation::FieldErrors;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

static COMMON: &str = include_str!("../data/common-passwords.txt");

/// Whether the password is on the deny-list, compared without case and
/// with trailing digits and punctuation removed ("Password123!" is "password").
pub fn is_common(password: &str) -> bool {
    let core = normalise(password);
    if core.len() < 4 {
        return true;
    }
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|common| normalise(common) == core)
}

fn normalise(password: &str) -> String {
    password
        .to_lowercase()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation())
        .to_string()
}

/// Checks a new password for `field`; `context` holds words it must not be
/// built from (the username, the person's name, the product's name).
pub fn check_new_password(errors: &mut FieldErrors, field: &str, password: &str, context: &[&str]) {
    let length = password.chars().count();
    if length == 0 {
        errors.add(field, "Enter a password");
    } else if length < MIN_LENGTH {
        errors.add(
            field,
            format!("Password must be {MIN_LENGTH} characters or more; three random words make a strong one"),
        );
    } else if length > MAX_LENGTH {
        errors.add(
            field,
            format!("Password must be {MAX_LENGTH} characters or fewer"),
        );
    } else if is_common(password) {
        errors.add(field, "This password is too common and easy to guess; choose another, such as three random words");
    } else {
        let core = normalise(password);
        let guessable = context
            .iter()
            .map(|w| normalise(w))
            .filter(|w| w.len() >= 4)
            .any(|w| core.contains(&w) && core.len() < w.len() + 6);
        if guessable {
            errors.add(
                field,
                "Password must not be based on your name, your username or the name of this system",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(password: &str) -> Option<String> {
        let mut errors = FieldErrors::new();
        check_new_password(
            &mut errors,
            "password",
            password,
            &["jo.bloggs@example.test", "waymark"],
        );
        errors.get("password").map(str::to_string)
    }

    #[test]
    fn password_rules_table() {
        let cases: &[(&str, bool)] = &[
            ("", false),
            ("short", false),
            ("elevenchars", false),
            ("password1234", false),
            ("Password1234!", false),
            ("qwertyuiop12", false),
            ("waymark12345", false),
            ("jo.bloggs@example.test1", false),
            ("correct horse battery staple", true),
            ("lantern-otter-velvet", true),
            ("ÉlanVitalBlue", true),
        ];
        for (password, ok) in cases {
            assert_eq!(
                check(password).is_none(),
                *ok,
                "{password:?}: {:?}",
                check(password)
            );
        }
    }

    #[test]
    fn no_composition_rules() {
        // Long lowercase phrases are fine: no demand for digits or symbols.
        assert_eq!(check("marmalade on a tuesday"), None);
    }

    #[test]
    fn lengths_at_their_limits() {
        let at_min = "k".repeat(MIN_LENGTH - 4) + "zqvw";
        assert_eq!(at_min.chars().count(), MIN_LENGTH);
        assert_eq!(check(&at_min), None, "exactly the minimum is enough");
        let short = &at_min[1..];
        assert!(check(short).is_some_and(|m| m.contains("characters or more")));
        let at_max = "correct horse battery staple ".repeat(20)[..MAX_LENGTH].to_string();
        assert_eq!(check(&at_max), None, "exactly the maximum is allowed");
        let long = at_max.clone() + "x";
        assert!(check(&long).is_some_and(|m| m.contains("characters or fewer")));
        // Very short cores are treated as common.
        assert!(is_common("abc12345"));
        assert!(!is_common("wxyz"));
        // A context word with six or more added is not guessable; with less, it is.
        assert_eq!(check("waymark-alpha"), None);
        assert!(check("waymark-alph").is_some_and(|m| m.contains("based on")));
    }
}
