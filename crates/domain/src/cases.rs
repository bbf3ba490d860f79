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
        assert_eq!(OutcomeMeasure::ALL.len(), 5);
    }
}
