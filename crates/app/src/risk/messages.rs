//! What risk assessment says beyond the domain's rules. Keyed, so a Welsh
//! catalogue can sit beside it.

domain::messages! {
    /// What risk assessment says.
    pub enum RiskUseMessage {
        ChooseTemplate => "Choose which assessment to use",
        AssessedOnReal => "Enter the day it was done as a real date, for example 27 11 2026",
        AssessedOnFuture => "An assessment cannot be dated after today: check the date",
        AssessedOnLongAgo => "Check the date: it is more than a year ago",
        ReviewOnReal => "Enter the review date as a real date, for example 27 12 2026",
        ReviewBeforeAssessed => "The review date must come after the day it was done",
        ReviewTooFar => "Set a review within a year of the assessment",
        NoJudgementSection => "This assessment has no professional judgement section: leave the level blank",
        ChooseJudgementLevel => "Choose standard, medium or high, or leave professional judgement blank",
        VersionNotNewer { key: String, version: u32, latest: u32 } => "Waymark already has {key} version {latest}: give this file version {latest} plus one or more (it says {version})",
        TemplateFileProblems { count: usize } => "The template file has {count} problem(s); nothing was imported",
        UnknownTemplate { key: String } => "There is no assessment template called {key}",
        IncidentDateReal => "Enter the day it happened as a real date, for example 27 11 2026",
        IncidentInFuture => "An incident cannot be recorded before it happens: check the date",
        IncidentTooLongAgo => "Check the date: it is more than ten years ago",
        ChooseIncidentSource => "Choose how the incident became known",
        ChoosePerpetrator => "Choose an alleged perpetrator linked to this case, or none",
        EscalationBetween => "Give a number of incidents from 1 to 20",
        PlanEmpty => "Write at least one part of the plan: the risks, the safety measures, the actions, the safe places and people, or the emergency plan",
        PlanReviewAfterToday => "Set the review date after today",
        AlreadyWithdrawn => "This assessment has already been withdrawn",
        BandsProblem => "Give the bands as a level and the score it starts from, lowest first, such as: standard 0, medium 10, high 14",
    }
}
