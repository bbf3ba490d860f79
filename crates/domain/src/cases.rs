//! Casework vocabulary: the needs assessment areas of the MoJ commissioning
//! framework, support contacts, closure, and the cope-and-recover outcomes
//! asked at exit.

use crate::directory::coded_enum;

coded_enum! {
    /// The eight areas of need in the MoJ framework, plus safety.
    NeedArea {
        Health => ("health", "Mental and physical health"),
        Accommodation => ("accommodation", "Shelter and accommodation"),
        Family => ("family", "Family, friends and children"),
        Education => ("education", "Education, skills and employment"),
        DrugsAlcohol => ("drugs_alcohol", "Drugs and alcohol"),
        Finance => ("finance", "Finance and benefits"),
        Outlook => ("outlook", "Outlook and attitudes"),
        SocialInteraction => ("social_interaction", "Social interaction"),
        Safety => ("safety", "Safety and security"),
    }
}

coded_enum! {
    NeedLevel {
        NoNeed => ("none", "No need"),
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
    }
}

coded_enum! {
    /// How someone else is linked to a victim's case.
    Relationship {
        Child => ("child", "Child in the household"),
        Perpetrator => ("perpetrator", "Alleged perpetrator"),
        HouseholdMember => ("household_member", "Other household member"),
        Other => ("other", "Other"),
    }
}

coded_enum! {
    CaseStatus {
        Open => ("open", "Open"),
        Closed => ("closed", "Closed"),
    }
}

coded_enum! {
    /// What else a case's history records beside its status.
    CaseEvent {
        Allocated => ("allocated", "Allocated"),
        Taken => ("taken", "Taken by its caseworker"),
        Reopened => ("reopened", "Reopened"),
        OpenedOnDuty => ("opened_on_duty", "Opened on duty, held by the duty worker"),
        HandedOver => ("handed_over", "Handed over from duty"),
    }
}

coded_enum! {
    /// How a task ended.
    TaskOutcome {
        Done => ("done", "Done"),
        Cancelled => ("cancelled", "Cancelled"),
    }
}

coded_enum! {
    /// What kind of support a contact was.
    ContactKind {
        Support => ("support", "Emotional and practical support"),
        SafetyPlanning => ("safety_planning", "Safety planning"),
        Advocacy => ("advocacy", "Advocacy"),
        Information => ("information", "Information and advice"),
        CourtSupport => ("court_support", "Court support"),
    }
}

coded_enum! {
    ClosureReason {
        SupportCompleted => ("support_completed", "Support completed"),
        DeclinedFurther => ("declined_further", "Declined further support"),
        LostContact => ("lost_contact", "Lost contact"),
        ReferredOn => ("referred_on", "Referred on to another service"),
        MovedAway => ("moved_away", "Moved out of the area"),
        Other => ("other", "Other"),
    }
}

coded_enum! {
    /// The cope-and-recover measures asked at exit (MoJ).
    OutcomeMeasure {
        HealthWellbeing => ("health_wellbeing", "Improved health and wellbeing"),
        FeelSafer => ("feel_safer", "Feeling safer"),
        InformedEmpowered => ("informed_empowered", "Better informed and empowered"),
        CopeEveryday => ("cope_everyday", "Better able to cope with everyday life"),
        CriminalJustice => ("criminal_justice", "Experience of the criminal justice system"),
    }
}

impl OutcomeMeasure {
    /// The statement the victim rates, at the start and at exit, on the one
    /// scale of [`Rating`].
    pub fn statement(self) -> &'static str {
        match self {
            OutcomeMeasure::HealthWellbeing => "My health and wellbeing are good",
            OutcomeMeasure::FeelSafer => "I feel safe",
            OutcomeMeasure::InformedEmpowered => {
                "I feel informed and in control of what happens next"
            }
            OutcomeMeasure::CopeEveryday => "I can cope with everyday life",
            OutcomeMeasure::CriminalJustice => {
                "I feel able to take part in the criminal justice process"
            }
        }
    }
}

coded_enum! {
    /// How true a measure's statement is for the victim: one scale, asked
    /// at the start (with the needs assessment) and at exit.
    Rating {
        One => ("1", "1: not at all true"),
        Two => ("2", "2: a little true"),
        Three => ("3", "3: partly true"),
        Four => ("4", "4: mostly true"),
        Five => ("5", "5: completely true"),
    }
}

impl Rating {
    /// The rating as a number from 1 to 5.
    pub fn value(self) -> u8 {
        match self {
            Rating::One => 1,
            Rating::Two => 2,
            Rating::Three => 3,
            Rating::Four => 4,
            Rating::Five => 5,
        }
    }

    /// A rating at or above this is a positive level: staying there is
    /// "sustained".
    pub const POSITIVE: u8 = 4;
}

/// The outcome a start and an exit rating show: improved when the exit
/// rating is higher; sustained when it is the same at a positive level (4
/// or 5); otherwise not improved.
pub fn change(start: Rating, exit: Rating) -> OutcomeResult {
    let (start, exit) = (start.value(), exit.value());
    if exit > start {
        OutcomeResult::Improved
    } else if exit == start && exit >= Rating::POSITIVE {
        OutcomeResult::Sustained
    } else {
        OutcomeResult::NotImproved
    }
}

coded_enum! {
    OutcomeResult {
        Improved => ("improved", "Improved"),
        Sustained => ("sustained", "Sustained"),
        NotImproved => ("not_improved", "Not improved"),
        Declined => ("declined", "Declined to answer"),
        NotAskedUnreachable => ("not_asked_unreachable", "Not asked: could not be reached"),
        NotAskedInappropriate => ("not_asked_inappropriate", "Not asked: not appropriate to ask"),
        NotAsked => ("not_asked", "Not asked: another reason"),
    }
}

impl OutcomeResult {
    /// Whether the victim was asked and answered (the MoJ's denominator).
    pub fn asked(self) -> bool {
        matches!(
            self,
            OutcomeResult::Improved | OutcomeResult::Sustained | OutcomeResult::NotImproved
        )
    }

    /// Whether it counts as a positive outcome (the MoJ's numerator).
    pub fn positive(self) -> bool {
        matches!(self, OutcomeResult::Improved | OutcomeResult::Sustained)
    }
}

coded_enum! {
    Satisfaction {
        VerySatisfied => ("very_satisfied", "Very satisfied"),
        Satisfied => ("satisfied", "Satisfied"),
        Neither => ("neither", "Neither satisfied nor dissatisfied"),
        Dissatisfied => ("dissatisfied", "Dissatisfied"),
        VeryDissatisfied => ("very_dissatisfied", "Very dissatisfied"),
        NotAsked => ("not_asked", "Not asked"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_read_from_the_start_and_exit_ratings() {
        use OutcomeResult::*;
        let r = |v: u8| Rating::ALL[usize::from(v) - 1];
        let table = [
            (1, 2, Improved),
            (4, 5, Improved),
            (2, 5, Improved),
            (4, 4, Sustained),
            (5, 5, Sustained),
            (3, 3, NotImproved),
            (1, 1, NotImproved),
            (5, 4, NotImproved),
            (3, 1, NotImproved),
        ];
        for (start, exit, expected) in table {
            assert_eq!(change(r(start), r(exit)), expected, "{start} then {exit}");
        }
        for rating in Rating::ALL {
            assert_eq!(Rating::parse(&rating.value().to_string()), Some(*rating));
        }
    }

    #[test]
    fn outcome_counting_rules() {
        let table = [
            (OutcomeResult::Improved, true, true),
            (OutcomeResult::Sustained, true, true),
            (OutcomeResult::NotImproved, true, false),
            (OutcomeResult::NotAsked, false, false),
            (OutcomeResult::Declined, false, false),
        ];
        for (result, asked, positive) in table {
            assert_eq!(result.asked(), asked, "{result:?}");
            assert_eq!(result.positive(), positive, "{result:?}");
        }
        assert_eq!(NeedArea::ALL.len(), 9, "eight MoJ areas plus safety");
        assert_eq!(Rating::ALL.len(), 5);
        assert_eq!(OutcomeMeasure::ALL.len(), 5);
    }
}
