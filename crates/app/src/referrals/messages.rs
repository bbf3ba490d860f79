//! What taking, contacting and triaging a referral says. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What taking, contacting and triaging a referral says.
    pub enum ReferralMessage {
        NotInList { what: String } => "Choose {what} from the list",
        DateInFuture { label: String } => "{label} cannot be in the future",
        NotARealDate { label: String } => "Enter {label} as a real date, for example 27 3 2026",
        NoSuchCrimeType { code: String } => "There is no crime type '{code}'",
        TooFewAttempts { so_far: usize } => "Make at least 3 attempts to contact before recording not contactable ({so_far} so far)",
        ChannelUnsafe { channel: String, why: String } => "{channel} is marked unsafe for this person: use a channel marked safe.{why}",
        NotAnEnhancedReason { code: String } => "'{code}' is not a reason for enhanced rights",
        SeveralServicesCoverArea { services: String } => "More than one service covers this area ({services}): choose the service the referral is for",
        ChooseChannel => "Choose a channel",
        SentDifferently => "Differs from the referral already received under this reference: send it unchanged, or use a new reference",
        ChooseHowTriedMakeContact => "Choose how you tried to make contact",
        ChooseWhatHappened => "Choose what happened",
        GiveCodeLowerCaseLetters => "Give a code of lower-case letters, digits and underscores, like hate_incident",
        ChooseOptPassedOnlyConsent => "Choose opt-in (passed on only with consent) or opt-out (unless declined)",
        CrimeCannotHaveBeenReported => "The crime cannot have been reported before the incident",
        DateBirthMustBeforeIncident => "The date of birth must be before the incident",
        TimeReceivedCannotFuture => "The time received cannot be in the future",
        EnterTimeReceivedDateTime => "Enter the time received as a date and time, for example 2026-03-27T09:30:00Z",
        CrimeCannotHaveBeenReported2 => "The crime cannot have been reported after the referral was received",
        ChooseAreaListPoliceForce => "Choose an area from the list: a police force area or a local authority district",
        NoServiceCoversAreaCrime => "No service covers this area for this crime type: choose the service the referral is for",
        ChooseWhereReferralCame => "Choose where the referral came from",
        ChooseServiceReferral => "Choose the service the referral is for",
        ChooseCrimeTypeList => "Choose the crime type from the list",
        SayWhetherVictimAgreedContacted => "Say whether the victim agreed to be contacted",
        ChoosePersonListEnterNew => "Choose a person from the list, or enter a new person",
        ChooseOutcomeTriage => "Choose the outcome of triage",
        CaseClosedCannotCorrect => "The case opened from this referral is closed, so its referral cannot be corrected. A service manager can reopen the case.",
        ServiceCannotBeCorrected => "A referral stays with the service that received it: to send it elsewhere, make an onward referral",
        ChannelBothSafeAndUnsafe { channel: String } => "A channel cannot be both safe and unsafe: choose one for {channel}",
        ReferralHasAlreadyBeenTriaged => "This referral has already been triaged",
    }
}
