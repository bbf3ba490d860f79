//! What the MARAC's use cases say. Keyed, so a Welsh catalogue can sit
//! beside it.

domain::messages! {
    /// What the MARAC says.
    pub enum MaracMessage {
        EnterName => "Enter the MARAC's name",
        NameTaken => "There is a MARAC of that name already",
        ChooseArea => "Choose the area the MARAC covers",
        AgencyKind { kind: String } => "'{kind}' is not a kind of agency: use police, childrens_social_care, adult_social_care, health, housing, probation, idva, education or other",
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
        AlreadyPending { meets_on: String } => "This case is already referred to that MARAC, for the meeting on {meets_on}",
    }
}
