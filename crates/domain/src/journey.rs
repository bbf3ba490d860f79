//! The words of the victim's journey: where referrals come from, the
//! channels used to reach someone, what happened when trying, and how triage
//! ends; and the people's details recorded as given.

use crate::directory::coded_enum;

coded_enum! {
    /// Where a referral came from.
    ReferralSource {
        Police => ("police", "Police"),
        Hub => ("hub", "Victims' hub"),
        Partner => ("partner", "Partner agency"),
        SelfReferral => ("self", "Self-referral"),
        Other => ("other", "Other"),
    }
}

coded_enum! {
    /// A way of reaching someone; each can be marked unsafe for a person.
    Channel {
        Call => ("call", "Phone call"),
        Voicemail => ("voicemail", "Voicemail"),
        Text => ("text", "Text message"),
        Email => ("email", "Email"),
        Letter => ("letter", "Letter"),
        Visit => ("visit", "Home visit"),
    }
}

coded_enum! {
    /// What happened when trying to make contact.
    AttemptResult {
        Contacted => ("contacted", "Contacted"),
        NoAnswer => ("no_answer", "No answer"),
        WrongNumber => ("wrong_number", "Wrong number or address"),
        Unsafe => ("unsafe", "Unsafe (for example, someone else answered)"),
        Declined => ("declined", "Declined support"),
    }
}

impl AttemptResult {
    /// Whether the victim was reached: contact counts (for the Victims'
    /// Code's information and contact deadlines, and the return) whatever
    /// they then decide, so a victim who hears what is offered and declines
    /// it was contacted (docs/victims-code.md).
    pub fn reached(self) -> bool {
        matches!(self, AttemptResult::Contacted | AttemptResult::Declined)
    }
}

coded_enum! {
    /// Where a referral stands. New referrals await contact; the rest are triage outcomes.
    ReferralStatus {
        New => ("new", "Awaiting contact"),
        Accepted => ("accepted", "Accepted for support"),
        Declined => ("declined", "Declined"),
        NotContactable => ("not_contactable", "Not contactable"),
        Signposted => ("signposted", "Signposted elsewhere"),
        OutOfArea => ("out_of_area", "Out of area"),
    }
}

coded_enum! {
    Gender {
        Female => ("female", "Female"),
        Male => ("male", "Male"),
        NonBinary => ("non_binary", "Non-binary"),
        Other => ("other", "Another gender"),
        PreferNotToSay => ("prefer_not_to_say", "Prefer not to say"),
        NotKnown => ("not_known", "Not known"),
    }
}

coded_enum! {
    /// The ONS 2021 census classification (England and Wales).
    Ethnicity {
        AsianBangladeshi => ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
        AsianChinese => ("asian_chinese", "Asian or Asian British: Chinese"),
        AsianIndian => ("asian_indian", "Asian or Asian British: Indian"),
        AsianPakistani => ("asian_pakistani", "Asian or Asian British: Pakistani"),
        AsianOther => ("asian_other", "Asian or Asian British: any other Asian background"),
        BlackAfrican => ("black_african", "Black, Black British, Caribbean or African: African"),
        BlackCaribbean => ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
        BlackOther => ("black_other", "Black, Black British, Caribbean or African: any other Black background"),
        MixedWhiteAsian => ("mixed_white_asian", "Mixed or multiple: White and Asian"),
        MixedWhiteBlackAfrican => ("mixed_white_black_african", "Mixed or multiple: White and Black African"),
        MixedWhiteBlackCaribbean => ("mixed_white_black_caribbean", "Mixed or multiple: White and Black Caribbean"),
        MixedOther => ("mixed_other", "Mixed or multiple: any other mixed background"),
        WhiteBritish => ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
        WhiteIrish => ("white_irish", "White: Irish"),
        WhiteGypsyTraveller => ("white_gypsy_traveller", "White: Gypsy or Irish Traveller"),
        WhiteRoma => ("white_roma", "White: Roma"),
        WhiteOther => ("white_other", "White: any other White background"),
        OtherArab => ("other_arab", "Other ethnic group: Arab"),
        OtherAny => ("other_any", "Other ethnic group: any other ethnic group"),
        PreferNotToSay => ("prefer_not_to_say", "Prefer not to say"),
        NotKnown => ("not_known", "Not known"),
    }
}

coded_enum! {
    Disability {
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        PreferNotToSay => ("prefer_not_to_say", "Prefer not to say"),
        NotKnown => ("not_known", "Not known"),
    }
}

coded_enum! {
    SexualOrientation {
        Heterosexual => ("heterosexual", "Heterosexual or straight"),
        GayLesbian => ("gay_lesbian", "Gay or lesbian"),
        Bisexual => ("bisexual", "Bisexual"),
        Other => ("other", "Another sexual orientation"),
        PreferNotToSay => ("prefer_not_to_say", "Prefer not to say"),
        NotKnown => ("not_known", "Not known"),
    }
}

coded_enum! {
    Religion {
        NoReligion => ("no_religion", "No religion"),
        Christian => ("christian", "Christian"),
        Buddhist => ("buddhist", "Buddhist"),
        Hindu => ("hindu", "Hindu"),
        Jewish => ("jewish", "Jewish"),
        Muslim => ("muslim", "Muslim"),
        Sikh => ("sikh", "Sikh"),
        Other => ("other", "Another religion"),
        PreferNotToSay => ("prefer_not_to_say", "Prefer not to say"),
        NotKnown => ("not_known", "Not known"),
    }
}

/// A readable reference: `REF-2026-000123`.
pub fn referral_reference(year: i16, number: i64) -> String {
    format!("REF-{year}-{number:06}")
}

/// Names compared for duplicates: lower case, letters and digits only.
pub fn name_key(given: &str, family: &str) -> String {
    format!("{given} {family}")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One name on its own, as search compares it.
pub fn word_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Edits (insertions, deletions, substitutions and swaps of neighbours)
/// that turn one text into the other.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the table: two back (for swaps), one back, this one.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1)
                .min(row[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()]
}

/// Whether a referral's person is surely someone the service already knows:
/// the same name (ignoring case, spaces and punctuation) and the same date
/// of birth, both given. A sender, who cannot see whom the service knows,
/// is linked to them; anything less sure is a new person, for the service
/// to link (docs/police-feed.md).
pub fn surely_the_same(
    (given, family, born): (&str, &str, Option<&str>),
    (held_given, held_family, held_born): (&str, &str, Option<&str>),
) -> bool {
    born.is_some()
        && born == held_born
        && name_key(given, family) == name_key(held_given, held_family)
}

/// Whether two people's names may be the same person's, as typed by
/// different people: the same first or last name; the whole name with a
/// slip or two (one for short names, two from eight letters); or the
/// names the wrong way round.
pub fn similar_names(given: &str, family: &str, other_given: &str, other_family: &str) -> bool {
    let (g, f) = (word_key(given), word_key(family));
    let (og, of) = (word_key(other_given), word_key(other_family));
    if (!g.is_empty() && g == og) || (!f.is_empty() && f == of) {
        return true;
    }
    let (whole, other) = (format!("{g}{f}"), format!("{og}{of}"));
    let allowed = if whole.chars().count() >= 8 { 2 } else { 1 };
    edit_distance(&whole, &other) <= allowed || (g == of && f == og)
}

/// One person as the duplicate check compares them.
#[derive(Debug, Clone, Copy)]
pub struct Likeness<'a> {
    pub given: &'a str,
    pub family: &'a str,
    pub born: Option<&'a str>,
    /// Their phone number as [`phone_key`] gives it.
    pub phone_key: Option<&'a str>,
}

/// Whether two records may be the same person, for someone to look at:
/// the same date of birth and [`similar_names`]; the same name when the
/// first has no date of birth; or the same phone number.
pub fn possibly_the_same(new: Likeness<'_>, held: Likeness<'_>) -> bool {
    let same_phone = new.phone_key.is_some() && new.phone_key == held.phone_key;
    let alike = match new.born {
        Some(_) => {
            new.born == held.born && similar_names(new.given, new.family, held.given, held.family)
        }
        None => name_key(new.given, new.family) == name_key(held.given, held.family),
    };
    same_phone || alike
}

/// Phone numbers compared by digits, with a UK +44 prefix read as 0.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("44") {
        Some(rest) if phone.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    };
    (digits.len() >= 6).then_some(digits)
}

/// A UK postcode, normalised (`ng18 1ab` → `NG18 1AB`), if it has the right shape.
pub fn normalise_postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    if !(5..=7).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = inward.as_bytes()[0].is_ascii_digit()
        && inward.as_bytes()[1].is_ascii_alphabetic()
        && inward.as_bytes()[2].is_ascii_alphabetic();
    let outward_ok =
        outward.as_bytes()[0].is_ascii_alphabetic() && outward.chars().any(|c| c.is_ascii_digit());
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_possible_match_is_a_similar_name_and_the_same_birthday_or_a_shared_phone() {
        use super::{Likeness, possibly_the_same};
        let who = |given, family, born, phone_key| Likeness {
            given,
            family,
            born,
            phone_key,
        };
        let held = who(
            "Morwenna",
            "Tregarthen",
            Some("1983-03-04"),
            Some("07700900987"),
        );
        let table = [
            // A slip, the same birthday.
            (who("Morwena", "Tregarthen", Some("1983-03-04"), None), true),
            // A slip, another birthday, no phone.
            (
                who("Morwena", "Tregarthen", Some("1983-03-05"), None),
                false,
            ),
            // A stranger with the same birthday.
            (who("Dilys", "Fourth", Some("1983-03-04"), None), false),
            // No birthday: only the same name will do.
            (who("Morwenna", "Tregarthen", None, None), true),
            (who("Morwena", "Tregarthen", None, None), false),
            // Anyone with the same phone number.
            (
                who("Dilys", "Fourth", Some("1990-01-01"), Some("07700900987")),
                true,
            ),
            (who("Dilys", "Fourth", None, Some("07700900988")), false),
        ];
        for (typed, expected) in table {
            assert_eq!(possibly_the_same(typed, held), expected, "{typed:?}");
        }
        // No phone on either side is not a shared phone.
        let no_phone = who("Dilys", "Fourth", Some("1990-01-01"), None);
        assert!(!possibly_the_same(
            no_phone,
            who("Ann", "Other", None, None)
        ));
    }

    #[test]
    fn a_sure_match_is_the_same_name_and_date_of_birth_both_given() {
        use super::surely_the_same;
        let dob = Some("1980-02-01");
        for (a, b, same) in [
            (("Ann", "Lee", dob), ("ann", " LEE ", dob), true),
            (("Ann", "O'Neill", dob), ("Ann", "ONeill", dob), true),
            (("Ann", "Lee", dob), ("Anne", "Lee", dob), false),
            (
                ("Ann", "Lee", dob),
                ("Ann", "Lee", Some("1980-02-02")),
                false,
            ),
            (("Ann", "Lee", None), ("Ann", "Lee", None), false),
            (("Ann", "Lee", dob), ("Ann", "Lee", None), false),
        ] {
            assert_eq!(surely_the_same(a, b), same, "{a:?} {b:?}");
        }
    }

    #[test]
    fn a_victim_reached_counts_as_contacted_whatever_they_decide() {
        use super::AttemptResult::*;
        for (result, reached) in [
            (Contacted, true),
            (Declined, true),
            (NoAnswer, false),
            (WrongNumber, false),
            (Unsafe, false),
        ] {
            assert_eq!(result.reached(), reached, "{result:?}");
        }
    }

    use super::*;

    #[test]
    fn edit_distance_counts_slips() {
        for (a, b, edits) in [
            ("", "", 0),
            ("anna", "anna", 0),
            ("anna", "ana", 1),
            ("jon", "john", 1),
            ("smith", "smyth", 1),
            ("carl", "clar", 2),
            ("sarah", "sahar", 2),
            ("abcd", "abdc", 1),
            ("", "abc", 3),
            ("kowalski", "kowalsky", 1),
        ] {
            assert_eq!(edit_distance(a, b), edits, "{a} / {b}");
            assert_eq!(edit_distance(b, a), edits, "{b} / {a}");
        }
    }

    #[test]
    fn similar_names_catch_slips_but_not_strangers() {
        for (given, family, other_given, other_family, similar) in [
            ("Sarah", "Jones", "Sarah", "Jones", true),
            ("Sarah", "Jones", "Sara", "Jones", true),
            ("Sarah", "Jones", "Sarha", "Jonse", true),
            ("Jon", "Smith", "John", "Smyth", true),
            ("Jones", "Sarah", "Sarah", "Jones", true),
            ("Aisha", "Khan", "Asha", "Kahn", true),
            ("Ann", "Lee", "Anne", "Lee", true),
            ("Tom", "Ray", "Jim", "Ray", true),
            ("Sarah", "Jones", "Peter", "Brown", false),
            ("Ann", "Lee", "Ian", "Loe", false),
            ("Michael", "Green", "Michelle", "Greer", false),
        ] {
            assert_eq!(
                similar_names(given, family, other_given, other_family),
                similar,
                "{given} {family} / {other_given} {other_family}"
            );
        }
    }

    #[test]
    fn references_and_keys() {
        assert_eq!(referral_reference(2026, 123), "REF-2026-000123");
        assert_eq!(name_key("Anne-Marie", "O'Neill"), "annemarieoneill");
        assert_eq!(phone_key("+44 7700 900123").as_deref(), Some("07700900123"));
        assert_eq!(phone_key("07700 900123").as_deref(), Some("07700900123"));
        assert_eq!(phone_key("123"), None);
    }

    #[test]
    fn postcodes() {
        for (text, expected) in [
            ("ng18 1ab", Some("NG18 1AB")),
            ("NG181AB", Some("NG18 1AB")),
            ("  sw1a 1aa ", Some("SW1A 1AA")),
            ("M1 1AE", Some("M1 1AE")),
            ("12345", None),
            ("NG18 1A", None),
            ("not a postcode", None),
        ] {
            assert_eq!(normalise_postcode(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn every_demographic_list_allows_not_known_and_prefer_not_to_say() {
        assert!(
            Gender::parse("prefer_not_to_say").is_some() && Gender::parse("not_known").is_some()
        );
        assert!(
            Ethnicity::parse("prefer_not_to_say").is_some()
                && Ethnicity::parse("not_known").is_some()
        );
        assert!(
            Disability::parse("prefer_not_to_say").is_some()
                && Disability::parse("not_known").is_some()
        );
        assert!(SexualOrientation::parse("prefer_not_to_say").is_some());
        assert!(Religion::parse("not_known").is_some());
        assert_eq!(Ethnicity::ALL.len(), 21, "19 ONS categories plus two");
    }

    #[test]
    fn phone_keys_postcodes_and_names_at_their_edges() {
        // +44 is read as 0 only when the number starts with +.
        assert_eq!(phone_key("+44 7700 900123").as_deref(), Some("07700900123"));
        assert_eq!(phone_key("447700 900123").as_deref(), Some("447700900123"));
        assert_eq!(phone_key("12345"), None, "too short");
        assert_eq!(phone_key("123456").as_deref(), Some("123456"));
        // Postcodes: shape of both halves, and letters only where letters go.
        assert_eq!(normalise_postcode("ng18 1ab").as_deref(), Some("NG18 1AB"));
        assert_eq!(normalise_postcode("W1A 0AX").as_deref(), Some("W1A 0AX"));
        assert_eq!(
            normalise_postcode("NG18 AAB"),
            None,
            "inward must start with a digit"
        );
        assert_eq!(normalise_postcode("NG18 11B"), None, "then a letter");
        assert_eq!(normalise_postcode("NG18 1A1"), None, "then a letter");
        assert_eq!(
            normalise_postcode("1G18 1AB"),
            None,
            "outward starts with a letter"
        );
        assert_eq!(normalise_postcode("NGAB 1AB"), None, "outward has a digit");
        assert_eq!(
            normalise_postcode("NG18-1AB"),
            None,
            "letters and digits only"
        );
        // Names: a shared first or last name, but not two empty ones.
        assert!(similar_names("Sam", "Jones", "Sam", "Okafor"));
        assert!(similar_names("Ann", "Okafor", "Beth", "Okafor"));
        assert!(!similar_names("", "Jones", "", "Okafor"));
        assert!(!similar_names("Sam", "", "Kit", ""));
        assert!(similar_names("Jones", "Sam", "Sam", "Jones"), "swapped");
        assert!(
            !similar_names("Sam", "Jones", "Kit", "Sam"),
            "one name in the other's other place is not a swap"
        );
    }
}
