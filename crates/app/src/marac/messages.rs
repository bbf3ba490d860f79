//! What the MARAC's use cases say. Keyed, so a Welsh catalogue can sit
//! beside it.

domain::messages! {
    /// What the MARAC says.
    pub enum MaracMessage {
        EnterName => "Enter the MARAC's name",
        NameTaken => "There is a MARAC of that name already",
        ChooseArea => "Choose the area the MARAC covers",
        AgencyKind { kind: String } => "'{kind}' is not a kind of agency: use police, childrens_social_care, adult_social_care, health, housing, probation, idva, education or other",
        AgencyOrganisation { organisation: String } => "There is no organisation called '{organisation}': add it to the directory first, or leave the agency without one",
        AgencyName => "Give each agency a name of up to 200 characters",
        AgencyNameTwice => "Give each agency a different name",
        AgendaOrder => "Give the agenda's order as keys separated by commas, each once: repeats, children, highest_score, referred",
        MinutesDays => "Give the working days for the minutes from 1 to 20",
        MeetingDateReal => "Enter the meeting's date as a real date, for example 14/1/2027",
        MeetingInPast => "A meeting cannot be scheduled in the past",
        MeetingTaken => "The MARAC meets on that day already",
        ChooseMarac => "Choose the MARAC to refer to",
        ChooseMeeting => "Choose one of the MARAC's coming meetings",
        MeetingPassed => "That meeting has already happened: choose a coming one",
        NoCriteria => "The case meets none of the MARAC's criteria: assess the risk first, or record the incidents that make it potential escalation",
        ChooseConsent => "Say whether the victim consents to the referral",
        ConsentNeedsHighRisk => "A referral without the victim's consent is allowed only at high risk",
        GiveWhyWithoutConsent => "Give the reason for referring without the victim's consent",
        AcknowledgeFirst => "Acknowledge the meeting's confidentiality statement first, on the meeting's page",
        NotOnAgencysAgenda => "Your organisation is not a member agency of this MARAC, so this case is not on your agency's agenda: ask the MARAC's coordinator to add your agency",
        ChooseShareable => "Say whether the item may be shared with every agency at the meeting",
        ChooseOwner => "Choose the agency that owns the action",
        ActionDueReal => "Enter the due date as a real date, for example 14/1/2027",
        ActionDueBeforeMeeting => "An action cannot be due before the meeting that agreed it",
        ChooseActionStatus => "Choose open, done or not done",
        ChooseNotDoneClass => "Say why it was not done: circumstances changed, or the agency did not act",
        MinutesBeforeMeeting => "The minutes can be recorded once the meeting has met",
        OnlyPendingCorrected => "Only a referral waiting for its meeting can be corrected",
        OnlyPendingWithdrawn => "Only a referral waiting for its meeting can be withdrawn",
        AlreadyPending { meets_on: String } => "This case is already referred to that MARAC, for the meeting on {meets_on}",
    }
}
