//! What commissioning's use cases say. Keyed, so a Welsh catalogue can sit
//! beside it.

domain::messages! {
    /// What commissioning says.
    pub enum CommissioningMessage {
        SourceNameTaken => "The office has a funding source of that name already",
        ChooseKind => "Choose the kind of funding from the list",
        ChooseSource => "Choose one of the office's funding sources",
        Year => "Enter the year the financial year starts in, such as 2026 for April 2026 to March 2027",
        Amount => "Enter the amount in pounds, like 55000 or 55,000.00",
        NumberTaken => "The office has a decision of that number already",
        ReceivedOn => "Enter the day the request was received as a real date, for example 2 11 2026",
        ChooseSpend => "Choose capital or revenue",
        ChooseSectionB => "Say whether there is a Section B report, and whether it is published",
        ChooseExemption => "Choose why part of the information is not published, from the list",
        ExemptTextNeeded => "Give the information that is not published, or choose no exemption",
        ExemptionNeeded => "Choose why this information is not published, or leave it blank",
        Amounts { problems: String } => "The amounts have problems: {problems}",
        NoAmounts => "Give at least one amount: the recipient, the amount and the funding source, separated by |",
        CorrectsUnknown => "There is no approved decision of the office with that number to correct",
        Immutable => "An approved decision never changes: make a new decision that corrects it",
        AlreadyConsulted => "Your approval of this decision is recorded already",
        NotConsulted => "Both the chief finance officer and the monitoring officer must approve it first",
        DeferUntil => "Enter the day of publication as a real date after today, or leave it blank to publish now",
        DeferralReason => "Give the reason publication is deferred",
        ConfirmApproval => "Tick to confirm that you approve the decision: once approved it cannot be changed",
        ReasonWithoutDay => "A reason is given only when publication is deferred: enter the day too",
    }
}
