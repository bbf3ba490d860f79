//! What casework says. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What casework says.
    pub enum CaseMessage {
        ContactDateReal => "Enter the date it happened as a real date, for example 2026-11-27",
        ContactTimeReal => "Enter the time it happened, like 14:30",
        ContactInFuture => "A contact cannot be recorded before it happens: check the date and time",
        ContactTooLongAgo => "Check the date: it is more than a year ago",
        ChannelUnsafe { channel: String, why: String } => "{channel} is marked unsafe for this person: use a channel marked safe.{why}",
        ChooseOutcome { measure: String } => "Choose an answer for {measure}, or not asked",
        ChooseNeedLevel { need: String } => "Choose a level for {need}",
        NotANeed { area: String } => "'{area}' is not an area of need",
        ChooseCaseworkerService => "Choose a caseworker of this service",
        PersonsRoleDoesNotHold => "This person's role does not hold cases: choose a caseworker",
        ChooseWhyCaseClosing => "Choose why the case is closing",
        ChooseHowSatisfiedTheyWere => "Choose how satisfied they were, or not asked",
        ChooseWhatKindSupportWas => "Choose what kind of support this was",
        ChooseHowContactWasMade => "Choose how the contact was made",
        EnterHowLongTookMinutes => "Enter how long it took in minutes, from 1 to 1440",
        CaseClosedCannotChangedReopening => "This case is closed and cannot be changed. Reopening is a decision for the service manager.",
        ChooseLevelLeastAreaNeed => "Choose a level for at least one area of need",
        VictimHasNotConsentedReferral => "The victim has not consented to this referral. Ask for consent, or ask a team leader to decide whether to refer without it",
        RecordWhyReferralBeingMade => "Record why this referral is being made without the victim's consent",
        ChooseHowTheyAreLinked => "Choose how they are linked to the case",
        EnterRealDateBirthNot => "Enter a real date of birth, not in the future, for example 2015-06-01",
        ChooseAreaNeedNone => "Choose an area of need, or none",
        EnterDueDateRealDate => "Enter the due date as a real date, for example 2026-12-01",
        ChooseGoalCaseNoneAdd => "Choose a goal of this case, or none to add a goal",
        EnterWhenDueRealDate => "Enter when it is due as a real date, for example 2026-12-01",
        TaskAlreadyDoneNotCase => "This task is already done, or is not on this case",
    }
}
