//! What the programmes' use cases say. Keyed, so a Welsh catalogue can sit
//! beside it.

domain::messages! {
    /// What programmes say.
    pub enum ProgrammeMessage {
        NameTaken => "There is a programme of that name already",
        UnknownService => "There is no such service: give the name or id of the service that delivers the programme",
        DayReal { what: String } => "Enter {what} as a real date, for example 1 4 2026",
        EndsBeforeStart => "The programme cannot end before it starts",
        BaselineOrder => "The baseline period cannot end before it starts, nor overlap the programme's period",
        PeriodLeavesCallOuts { call_outs: usize } => "{call_outs} call-outs recorded would fall outside the new period: keep the period around them, or correct their days first",
        Funding => "Enter the funding in pounds, like 47013 or 47,013.00",
        Partner => "Give each partner as its name, a colon and its part, such as County Council: lead commissioner",
        CallOutDay => "Enter the day of the call-out as a real date, for example 7 3 2026",
        CallOutTime => "Enter the time of the call-out on the 24-hour clock, such as 21:40",
        OutsidePeriod { from: String, to: String } => "The call-out is outside the programme's period, {from} to {to}: check the day",
        CallOutFuture => "A call-out cannot be in the future: check the day and time",
        BornReal => "Enter the date of birth as a real date before today, or leave it blank",
        ChooseArea => "Choose the area the call-out was in",
        DashLevel => "Choose the DASH level, as a DASH was done at the scene",
        NoDashNoLevel => "A level is given only when a DASH was done: tick DASH done, or leave the level blank",
        GrantedNotApplied => "A notice or order is granted only when one was applied for: tick applied for too",
        ChooseOutcome => "Choose the criminal justice outcome from the list",
        Baseline { problems: String } => "The baseline file has problems: {problems}",
    }
}
