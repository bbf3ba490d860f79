//! Risk assessment as data: a template (questions, free-text boxes, a
//! scoring rule and risk bands) read from a plain text file, and the rules
//! that turn a completed assessment into a level. The DASH checklist is one
//! template; a service that holds licensed wording loads its own.

use std::collections::HashMap;

use crate::directory::coded_enum;

coded_enum! {
    /// An answer to one question.
    Answer {
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        DontKnow => ("dont_know", "Don't know"),
        NotAsked => ("not_asked", "Not asked"),
    }
}

coded_enum! {
    /// A risk level, lowest first.
    Level {
        Standard => ("standard", "Standard"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
    }
}

impl Level {
    fn rank(self) -> usize {
        Level::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }
}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Level {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

coded_enum! {
    /// Where an incident became known.
    IncidentSource {
        PoliceCallout => ("police_callout", "Police call-out"),
        OtherAgency => ("other_agency", "Another agency"),
        VictimsAccount => ("victims_account", "The victim's own account"),
    }
}

/// How many incidents within 12 months make "potential escalation" where a
/// service has not set its own number.
pub const ESCALATION_INCIDENTS: usize = 3;

/// The first day of the 12 months that end on `today`: the same date a year
/// before. An incident on that day is within them; the day before is not.
pub fn twelve_months_from(today: jiff::civil::Date) -> jiff::civil::Date {
    use jiff::ToSpan;
    today.saturating_sub(1.year())
}

/// Potential escalation: at least `threshold` incidents within the 12
/// months that end on `today`, from any source.
pub fn potential_escalation(
    incidents: &[jiff::civil::Date],
    today: jiff::civil::Date,
    threshold: usize,
) -> bool {
    incidents_within_year(incidents, today) >= threshold.max(1)
}

/// The incidents within the 12 months that end on `today`.
pub fn incidents_within_year(incidents: &[jiff::civil::Date], today: jiff::civil::Date) -> usize {
    let from = twelve_months_from(today);
    incidents
        .iter()
        .filter(|on| **on >= from && **on <= today)
        .count()
}

crate::messages! {
    /// What risk assessment says: about a template file (each with its
    /// line) and about an assessment.
    pub enum RiskMessage {
        UnknownLine { line: usize } => "Line {line}: start the line with template, version, name, ages, scoring, band, judgement, question, text or #",
        MissingValue { line: usize, what: String } => "Line {line}: give the {what} after the colon",
        BadVersion { line: usize } => "Line {line}: the version is a whole number from 1",
        BadKey { line: usize } => "Line {line}: a template or question id is lower-case letters, digits and hyphens, up to 40",
        BadScoring { line: usize } => "Line {line}: the scoring rule is count-yes (the number of questions answered yes)",
        BadBand { line: usize } => "Line {line}: a band is a level (standard, medium or high) and the score it starts from, such as: band: high 14",
        BadJudgement { line: usize } => "Line {line}: judgement is yes or no",
        BadAges { line: usize } => "Line {line}: ages are a range such as 13-17, or 16- for 16 and over",
        BadQuestion { line: usize } => "Line {line}: a question or text box is an id, a bar and its words, such as: question: injury | Is the victim injured now?",
        Repeated { line: usize, what: String } => "Line {line}: the {what} is given twice; give it once",
        DuplicateId { line: usize, id: String, first: usize } => "Line {line}: the id {id} is used already on line {first}; give each question and text box its own id",
        BandOrder { line: usize } => "Line {line}: bands go from the lowest level to the highest, each once, each starting above the one before",
        BandGap => "The bands leave scores without a level: the first band starts from 0",
        BandUnreachable { line: usize, from: usize, questions: usize } => "Line {line}: this band starts from {from}, but the template has only {questions} questions",
        Missing { what: String } => "The file has no {what} line; add one",
        NoQuestions => "The template has no questions; add at least one question line",
        TooLong { line: usize } => "Line {line}: the words are longer than 500 characters; shorten them",
        NotAnAnswer { question: usize } => "Question {question}: choose yes, no, don't know or not asked",
        UnknownQuestion { id: String } => "The template has no question {id}",
        JudgementLowers { actuarial: String } => "Professional judgement can raise the level but never lower it: the answers give {actuarial}. Choose {actuarial} or higher, or leave judgement blank",
        JudgementNeedsReasons => "Give the reasons for the professional judgement",
        BadAbuse { line: usize } => "Line {line}: an abuse line is a kind (physical, sexual, stalking, controlling, financial or emotional), a bar and the ids of its questions, such as: abuse: physical | injury, weapons",
        AbuseQuestion { line: usize, id: String } => "Line {line}: the template has no question {id}; tie each kind of abuse to the template's own questions",
        ReasonsNeedJudgement => "Choose the level professional judgement sets, or clear the reasons",
    }
}

coded_enum! {
    /// A kind of abuse the national data counts: present in an assessment
    /// when a question its template ties to the kind is answered yes.
    AbuseType {
        Physical => ("physical", "Physical"),
        Sexual => ("sexual", "Sexual"),
        Stalking => ("stalking", "Stalking and harassment"),
        Controlling => ("controlling", "Jealous and controlling behaviour"),
        Financial => ("financial", "Financial"),
        Emotional => ("emotional", "Emotional"),
    }
}

/// The most a template's words may be, in characters.
const MAX_WORDS: usize = 500;

/// One question, in the template's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub text: String,
}

/// A risk band: the level a score reaches from `from` upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub level: Level,
    pub from: usize,
}

/// The ages a template is written for, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ages {
    pub from: Option<u32>,
    pub to: Option<u32>,
}

/// An assessment template, as read from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub key: String,
    pub version: u32,
    pub name: String,
    pub ages: Ages,
    pub questions: Vec<Question>,
    /// Free-text boxes: (id, label).
    pub texts: Vec<Question>,
    /// Lowest first; the first starts from 0.
    pub bands: Vec<Band>,
    /// Whether the template has a professional-judgement section.
    pub judgement: bool,
    /// Each kind of abuse and the questions that show it, in file order.
    pub abuse: Vec<(AbuseType, Vec<String>)>,
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Template {
    /// Reads a template file. Every problem is given, each with its line;
    /// nothing is returned unless the whole file is right.
    pub fn parse(source: &str) -> Result<Template, Vec<RiskMessage>> {
        let mut problems = Vec::new();
        let mut key = None;
        let mut version = None;
        let mut name = None;
        let mut ages = None;
        let mut scoring = false;
        let mut judgement = None;
        let mut bands: Vec<(usize, Band)> = Vec::new();
        let mut questions = Vec::new();
        let mut texts = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut seen: Vec<&str> = Vec::new();
        // (line, kind, question ids), checked once every question is read.
        let mut abuse: Vec<(usize, AbuseType, Vec<String>)> = Vec::new();
        for (index, raw) in source.lines().enumerate() {
            let line = index + 1;
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let Some((directive, value)) = raw.split_once(':') else {
                problems.push(RiskMessage::UnknownLine { line });
                continue;
            };
            let directive = directive.trim();
            let value = value.trim();
            seen.push(directive);
            if value.is_empty() {
                problems.push(RiskMessage::MissingValue {
                    line,
                    what: directive.to_string(),
                });
                continue;
            }
            if value.chars().count() > MAX_WORDS || value.chars().any(char::is_control) {
                problems.push(RiskMessage::TooLong { line });
                continue;
            }
            let mut once = |slot_taken: bool, what: &str| {
                if slot_taken {
                    problems.push(RiskMessage::Repeated {
                        line,
                        what: what.to_string(),
                    });
                }
                !slot_taken
            };
            match directive {
                "template" => {
                    if once(key.is_some(), "template") {
                        if valid_key(value) {
                            key = Some(value.to_string());
                        } else {
                            problems.push(RiskMessage::BadKey { line });
                        }
                    }
                }
                "version" => {
                    if once(version.is_some(), "version") {
                        match value.parse::<u32>() {
                            Ok(v) if v >= 1 => version = Some(v),
                            _ => problems.push(RiskMessage::BadVersion { line }),
                        }
                    }
                }
                "name" => {
                    if once(name.is_some(), "name") {
                        name = Some(value.to_string());
                    }
                }
                "ages" => {
                    if once(ages.is_some(), "ages") {
                        match parse_ages(value) {
                            Some(a) => ages = Some(a),
                            None => problems.push(RiskMessage::BadAges { line }),
                        }
                    }
                }
                "scoring" => {
                    if once(scoring, "scoring") {
                        if value == "count-yes" {
                            scoring = true;
                        } else {
                            problems.push(RiskMessage::BadScoring { line });
                        }
                    }
                }
                "judgement" => {
                    if once(judgement.is_some(), "judgement") {
                        match value {
                            "yes" => judgement = Some(true),
                            "no" => judgement = Some(false),
                            _ => problems.push(RiskMessage::BadJudgement { line }),
                        }
                    }
                }
                "band" => match parse_band(value) {
                    Some(band) => bands.push((line, band)),
                    None => problems.push(RiskMessage::BadBand { line }),
                },
                "question" | "text" => {
                    let Some((id, words)) = value
                        .split_once('|')
                        .map(|(id, words)| (id.trim(), words.trim()))
                        .filter(|(_, words)| !words.is_empty())
                    else {
                        problems.push(RiskMessage::BadQuestion { line });
                        continue;
                    };
                    if !valid_key(id) {
                        problems.push(RiskMessage::BadKey { line });
                        continue;
                    }
                    if let Some(first) = ids.get(id) {
                        problems.push(RiskMessage::DuplicateId {
                            line,
                            id: id.to_string(),
                            first: *first,
                        });
                        continue;
                    }
                    ids.insert(id.to_string(), line);
                    let item = Question {
                        id: id.to_string(),
                        text: words.to_string(),
                    };
                    if directive == "question" {
                        questions.push(item);
                    } else {
                        texts.push(item);
                    }
                }
                "abuse" => {
                    let parsed = value.split_once('|').and_then(|(kind, ids)| {
                        let kind = AbuseType::parse(kind.trim())?;
                        let ids: Vec<String> = ids
                            .split(',')
                            .map(|id| id.trim().to_string())
                            .filter(|id| !id.is_empty())
                            .collect();
                        (!ids.is_empty()).then_some((kind, ids))
                    });
                    match parsed {
                        Some((kind, ids)) => abuse.push((line, kind, ids)),
                        None => problems.push(RiskMessage::BadAbuse { line }),
                    }
                }
                _ => problems.push(RiskMessage::UnknownLine { line }),
            }
        }
        for (line, _, ids) in &abuse {
            for id in ids {
                if !questions.iter().any(|q: &Question| q.id == *id) {
                    problems.push(RiskMessage::AbuseQuestion {
                        line: *line,
                        id: id.clone(),
                    });
                }
            }
        }
        for what in ["template", "version", "name", "scoring", "band"] {
            if !seen.contains(&what) {
                problems.push(RiskMessage::Missing { what: what.into() });
            }
        }
        if !seen.contains(&"question") {
            problems.push(RiskMessage::NoQuestions);
        }
        problems.extend(band_problems(&bands, questions.len()));
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Template {
            key: key.unwrap_or_default(),
            version: version.unwrap_or(1),
            name: name.unwrap_or_default(),
            ages: ages.unwrap_or_default(),
            questions,
            texts,
            bands: bands.into_iter().map(|(_, b)| b).collect(),
            judgement: judgement.unwrap_or(true),
            abuse: abuse
                .into_iter()
                .map(|(_, kind, ids)| (kind, ids))
                .collect(),
        })
    }

    /// The kinds of abuse an assessment shows: each whose questions include
    /// one answered yes. `yes` says whether a question id was answered yes.
    pub fn abuse_present(&self, yes: impl Fn(&str) -> bool) -> Vec<AbuseType> {
        let mut present: Vec<AbuseType> = Vec::new();
        for (kind, ids) in &self.abuse {
            if !present.contains(kind) && ids.iter().any(|id| yes(id)) {
                present.push(*kind);
            }
        }
        present
    }

    /// The level a number of "yes" answers reaches.
    pub fn band_of(&self, yes: usize) -> Level {
        band_of(&self.bands, yes)
    }

    /// Scores a set of answers, `(question id, answer)`: every question
    /// must be answered from the template's options, and a question left
    /// out counts as not asked.
    pub fn score(&self, answers: &[(String, Answer)]) -> Result<Score, Vec<RiskMessage>> {
        let problems: Vec<RiskMessage> = answers
            .iter()
            .filter(|(id, _)| !self.questions.iter().any(|q| &q.id == id))
            .map(|(id, _)| RiskMessage::UnknownQuestion { id: id.clone() })
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        let answer_to = |q: &Question| {
            answers
                .iter()
                .find(|(id, _)| id == &q.id)
                .map_or(Answer::NotAsked, |(_, a)| *a)
        };
        let yes = self
            .questions
            .iter()
            .filter(|q| answer_to(q) == Answer::Yes)
            .count();
        let unanswered = self
            .questions
            .iter()
            .filter(|q| answer_to(q) == Answer::NotAsked)
            .count();
        let reached = self.band_of(yes);
        // Unanswered questions could only have added to the score: the
        // answers given show at least `reached`, and only the top band is
        // certain whatever the rest would have been.
        let top = self.bands.last().map_or(Level::Standard, |b| b.level);
        let actuarial = if unanswered == 0 || reached == top {
            Some(reached)
        } else {
            None
        };
        Ok(Score {
            yes,
            unanswered,
            actuarial,
        })
    }
}

/// The level a score reaches under these bands (lowest first).
pub fn band_of(bands: &[Band], yes: usize) -> Level {
    bands
        .iter()
        .rev()
        .find(|b| yes >= b.from)
        .map_or(Level::Standard, |b| b.level)
}

fn parse_ages(value: &str) -> Option<Ages> {
    let (from, to) = value.split_once('-')?;
    let from = from.trim();
    let to = to.trim();
    let read = |s: &str| -> Option<Option<u32>> {
        if s.is_empty() {
            Some(None)
        } else {
            s.parse::<u32>().ok().filter(|n| *n <= 120).map(Some)
        }
    };
    let ages = Ages {
        from: read(from)?,
        to: read(to)?,
    };
    match ages {
        Ages {
            from: Some(f),
            to: Some(t),
        } if f > t => None,
        Ages {
            from: None,
            to: None,
        } => None,
        _ => Some(ages),
    }
}

/// `high 14`: a level and the score it starts from.
pub fn parse_band(value: &str) -> Option<Band> {
    let mut words = value.split_whitespace();
    let level = Level::parse(words.next()?)?;
    let from = words.next()?.parse::<usize>().ok()?;
    if words.next().is_some() {
        return None;
    }
    Some(Band { level, from })
}

/// What is wrong with a set of bands, each with its line: they must start
/// from 0, rise from the lowest level to the highest with each level once,
/// and each be reachable with the template's questions.
pub fn band_problems(bands: &[(usize, Band)], questions: usize) -> Vec<RiskMessage> {
    let mut problems = Vec::new();
    if let Some((_, first)) = bands.first()
        && first.from != 0
    {
        problems.push(RiskMessage::BandGap);
    }
    for pair in bands.windows(2) {
        let ((_, before), (line, band)) = (pair[0], pair[1]);
        if band.level <= before.level || band.from <= before.from {
            problems.push(RiskMessage::BandOrder { line });
        }
    }
    for (line, band) in bands {
        if band.from > questions && questions > 0 {
            problems.push(RiskMessage::BandUnreachable {
                line: *line,
                from: band.from,
                questions,
            });
        }
    }
    problems
}

/// What the answers give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// Questions answered yes. "Don't know" is not yes.
    pub yes: usize,
    /// Questions not asked or left out.
    pub unanswered: usize,
    /// The level the answers give; none while questions are unanswered,
    /// unless the "yes" answers already reach the top band.
    pub actuarial: Option<Level>,
}

impl Score {
    /// Whether every question was answered (yes, no or don't know).
    pub fn complete(&self) -> bool {
        self.unanswered == 0
    }
}

/// The level an assessment ends at: the answers' level, raised by
/// professional judgement where given, with its reasons. Judgement can
/// never lower the answers' level.
pub fn final_level(
    score: &Score,
    judgement: Option<Level>,
    reasons: &str,
) -> Result<Option<Level>, RiskMessage> {
    let reasons = reasons.trim();
    match judgement {
        None if !reasons.is_empty() => Err(RiskMessage::ReasonsNeedJudgement),
        None => Ok(score.actuarial),
        Some(_) if reasons.is_empty() => Err(RiskMessage::JudgementNeedsReasons),
        Some(level) => match score.actuarial {
            Some(actuarial) if level < actuarial => Err(RiskMessage::JudgementLowers {
                actuarial: actuarial.label().to_lowercase(),
            }),
            _ => Ok(Some(level)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(questions: usize, bands: &str) -> String {
        let mut s = String::from("template: t\nversion: 1\nname: Test\nscoring: count-yes\n");
        for band in bands.split(',') {
            s.push_str(&format!("band: {}\n", band.trim()));
        }
        for i in 1..=questions {
            s.push_str(&format!("question: q{i} | Question {i}?\n"));
        }
        s
    }

    fn answers(
        yes: usize,
        dont_know: usize,
        not_asked: usize,
        total: usize,
    ) -> Vec<(String, Answer)> {
        (1..=total)
            .map(|i| {
                let a = if i <= yes {
                    Answer::Yes
                } else if i <= yes + dont_know {
                    Answer::DontKnow
                } else if i <= yes + dont_know + not_asked {
                    Answer::NotAsked
                } else {
                    Answer::No
                };
                (format!("q{i}"), a)
            })
            .collect()
    }

    #[test]
    fn scores_reach_each_band_at_its_boundary() {
        let t = Template::parse(&template(24, "standard 0, medium 10, high 14")).expect("parses");
        for (yes, level) in [
            (0, Level::Standard),
            (9, Level::Standard),
            (10, Level::Medium),
            (13, Level::Medium),
            (14, Level::High),
            (24, Level::High),
        ] {
            let score = t.score(&answers(yes, 0, 0, 24)).expect("scored");
            assert_eq!(score.yes, yes);
            assert_eq!(score.actuarial, Some(level), "{yes} yes");
        }
    }

    #[test]
    fn dont_know_is_not_yes() {
        let t = Template::parse(&template(24, "standard 0, high 14")).expect("parses");
        let score = t.score(&answers(13, 11, 0, 24)).expect("scored");
        assert_eq!(score.yes, 13);
        assert!(score.complete());
        assert_eq!(score.actuarial, Some(Level::Standard));
    }

    #[test]
    fn unanswered_questions_make_it_incomplete_never_low() {
        let t = Template::parse(&template(24, "standard 0, medium 10, high 14")).expect("parses");
        let score = t.score(&answers(3, 0, 1, 24)).expect("scored");
        assert!(!score.complete());
        assert_eq!(score.actuarial, None, "no low score while incomplete");
        // A question left out is not asked.
        let mut given = answers(3, 0, 0, 24);
        given.pop();
        assert_eq!(t.score(&given).expect("scored").actuarial, None);
        // Enough "yes" for the top band is high whatever the rest.
        let score = t.score(&answers(14, 0, 10, 24)).expect("scored");
        assert_eq!(score.actuarial, Some(Level::High));
        let score = t.score(&answers(13, 0, 1, 24)).expect("scored");
        assert_eq!(score.actuarial, None);
    }

    #[test]
    fn an_answer_to_a_question_not_in_the_template_is_refused() {
        let t = Template::parse(&template(3, "standard 0, high 2")).expect("parses");
        let refused = t.score(&[("q9".into(), Answer::Yes)]).expect_err("refused");
        assert_eq!(
            refused,
            vec![RiskMessage::UnknownQuestion { id: "q9".into() }]
        );
    }

    #[test]
    fn judgement_raises_with_reasons_and_never_lowers() {
        let score = |actuarial| Score {
            yes: 0,
            unanswered: 0,
            actuarial,
        };
        let cases = [
            (Some(Level::Standard), None, "", Ok(Some(Level::Standard))),
            (
                Some(Level::Standard),
                Some(Level::High),
                "Threats to kill",
                Ok(Some(Level::High)),
            ),
            (
                Some(Level::Medium),
                Some(Level::Medium),
                "Same",
                Ok(Some(Level::Medium)),
            ),
            (None, Some(Level::High), "Escalating", Ok(Some(Level::High))),
            (
                None,
                Some(Level::Standard),
                "Calm",
                Ok(Some(Level::Standard)),
            ),
            (
                Some(Level::High),
                Some(Level::Medium),
                "Seems calmer",
                Err(RiskMessage::JudgementLowers {
                    actuarial: "high".into(),
                }),
            ),
            (
                Some(Level::Medium),
                Some(Level::Standard),
                "x",
                Err(RiskMessage::JudgementLowers {
                    actuarial: "medium".into(),
                }),
            ),
            (
                Some(Level::Standard),
                Some(Level::High),
                "  ",
                Err(RiskMessage::JudgementNeedsReasons),
            ),
            (
                Some(Level::Standard),
                None,
                "Reasons alone",
                Err(RiskMessage::ReasonsNeedJudgement),
            ),
        ];
        for (actuarial, judgement, reasons, expected) in cases {
            assert_eq!(
                final_level(&score(actuarial), judgement, reasons),
                expected,
                "{actuarial:?} {judgement:?} {reasons:?}"
            );
        }
    }

    #[test]
    fn a_template_file_names_every_problem_by_line() {
        let file = "template: Bad Key\nversion: 0\nname: x\nscoring: count-yes\nband: standard 0\nband: high 3\nband: medium 5\nquestion: a | A?\nquestion: a | Again?\ncolour: blue\nquestion: b\n";
        let problems = Template::parse(file).expect_err("refused");
        assert_eq!(
            problems,
            vec![
                RiskMessage::BadKey { line: 1 },
                RiskMessage::BadVersion { line: 2 },
                RiskMessage::DuplicateId {
                    line: 9,
                    id: "a".into(),
                    first: 8
                },
                RiskMessage::UnknownLine { line: 10 },
                RiskMessage::BadQuestion { line: 11 },
                RiskMessage::BandOrder { line: 7 },
                RiskMessage::BandUnreachable {
                    line: 6,
                    from: 3,
                    questions: 1
                },
                RiskMessage::BandUnreachable {
                    line: 7,
                    from: 5,
                    questions: 1
                },
            ]
        );
    }

    #[test]
    fn bands_must_start_from_nothing() {
        let problems = Template::parse(&template(5, "medium 1, high 3")).expect_err("gap");
        assert_eq!(problems, vec![RiskMessage::BandGap]);
        let problems =
            Template::parse(&template(5, "standard 0, high 3, high 4")).expect_err("twice");
        assert_eq!(problems, vec![RiskMessage::BandOrder { line: 7 }]);
    }

    #[test]
    fn escalation_counts_incidents_within_twelve_months_at_the_edge() {
        let day = |s: &str| s.parse::<jiff::civil::Date>().expect("date");
        let today = day("2026-11-29");
        let two_recent = [day("2026-06-01"), day("2026-11-28")];
        for (third, within) in [
            ("2025-11-29", true),
            ("2025-11-28", false),
            ("2026-11-29", true),
            ("2026-11-30", false),
        ] {
            let incidents = [two_recent[0], two_recent[1], day(third)];
            assert_eq!(
                potential_escalation(&incidents, today, 3),
                within,
                "third incident on {third}"
            );
        }
        assert!(!potential_escalation(&two_recent, today, 3));
        assert!(potential_escalation(&two_recent, today, 2));
        // A leap day a year on: the window starts on 28 February.
        assert_eq!(twelve_months_from(day("2029-02-28")), day("2028-02-28"));
        assert_eq!(twelve_months_from(day("2028-02-29")), day("2027-02-28"));
    }

    #[test]
    fn ages_are_a_range() {
        for (value, expected) in [
            ("13-17", Some((Some(13), Some(17)))),
            ("16-", Some((Some(16), None))),
            ("-12", Some((None, Some(12)))),
            ("17-13", None),
            ("-", None),
            ("teen", None),
        ] {
            assert_eq!(
                parse_ages(value).map(|a| (a.from, a.to)),
                expected,
                "{value}"
            );
        }
    }

    #[test]
    fn abuse_lines_tie_kinds_to_questions_and_name_bad_ones_by_line() {
        let source = "template: t\nversion: 1\nname: T\nscoring: count-yes\nband: standard 0\n\
            question: hit | Hit?\nquestion: money | Money?\nquestion: watch | Watched?\n\
            abuse: physical | hit\nabuse: financial | money, hit\n";
        let t = Template::parse(source).expect("parses");
        assert_eq!(t.abuse.len(), 2);
        assert_eq!(
            t.abuse_present(|id| id == "hit"),
            vec![AbuseType::Physical, AbuseType::Financial]
        );
        assert_eq!(
            t.abuse_present(|id| id == "money"),
            vec![AbuseType::Financial]
        );
        assert_eq!(t.abuse_present(|id| id == "watch"), vec![]);
        assert_eq!(t.abuse_present(|_| false), vec![]);

        let bad =
            format!("{source}abuse: shouting | hit\nabuse: stalking | follow\nabuse: sexual |\n");
        assert_eq!(
            Template::parse(&bad).expect_err("refused"),
            vec![
                RiskMessage::BadAbuse { line: 11 },
                RiskMessage::BadAbuse { line: 13 },
                RiskMessage::AbuseQuestion {
                    line: 12,
                    id: "follow".into()
                },
            ]
        );
    }

    #[test]
    fn comments_blank_lines_long_words_and_judgement_are_read_as_documented() {
        let base = "# a comment: with a colon\n\ntemplate: t\nversion: 1\nname: T\n\
            scoring: count-yes\nband: standard 0\njudgement: yes\nquestion: q | Q?\n";
        let t = Template::parse(base).expect("comments and blank lines are skipped");
        assert!(t.judgement);
        let long = format!("{base}text: long | {}\n", "w".repeat(MAX_WORDS));
        assert_eq!(
            Template::parse(&long).expect_err("too long"),
            vec![RiskMessage::TooLong { line: 10 }]
        );
        let exactly = format!("{base}text: fits | {}\n", "w".repeat(MAX_WORDS - 7));
        assert!(Template::parse(&exactly).is_ok(), "500 characters fit");
        let control = format!("{base}text: bell | ring\u{7}\n");
        assert_eq!(
            Template::parse(&control).expect_err("control character"),
            vec![RiskMessage::TooLong { line: 10 }]
        );
    }
}
