//! What the duty service's use cases say. Keyed, so a Welsh catalogue can
//! sit beside it.

domain::messages! {
    /// What the duty service says.
    pub enum DutyUseMessage {
        NameTaken => "There is a rota of that name already",
        ChooseServices => "Choose the services that share the rota",
        UnknownService { service: String } => "There is no service called '{service}'",
        ChooseDay => "Enter the shift's day as a real date, for example 7 12 2026",
        DayPassed => "That shift has already ended: choose a coming one",
        NotInPattern => "The cover pattern has no such shift on that day: choose one of the day's shifts",
        ShiftTaken => "Someone already holds that shift: take them off it first",
        ChooseWorker => "Choose who works the shift: someone who holds cases in one of the rota's services you plan for",
        ResponseHours => "Give the response target in cover as whole hours from 1 to 72",
        OutOfHoursBy => "Give the time out-of-hours requests are answered by as HH:MM, such as 10:00",
        PatternLeavesShifts { shifts: usize } => "{shifts} coming shifts would not fit the new pattern: take the workers off them first, or keep those shifts in the pattern",
        HandoverAt => "Give the handover time as HH:MM, such as 20:00",
        ChooseSource => "Choose who the request came from",
        ChooseUrgency => "Choose how urgent it is",
        ReceivedReal => "Enter when it came as a real day and a time such as 14:30",
        ReceivedInstant => "Give when it came as an instant such as 2026-11-29T14:05:00Z, or leave it out for now",
        ReceivedFuture => "A request cannot come in the future: check the day and time",
        ActionedReal => "Enter when it was actioned as a real day and a time such as 15:10",
        ActionedBeforeReceived => "It cannot be actioned before it came in: check the day and time",
        ActionedFuture => "It cannot be actioned in the future: check the day and time",
        ChooseOutcome => "Choose what came of it",
        OnlyHoldersOpen => "Only a worker who holds cases in the service opens a case on duty: choose another outcome, or ask a caseworker on duty",
        HandedOverAlready => "This case has already been handed over",
        HandOverToHolder => "Choose who takes the case on: someone who holds cases in its service",
        AlreadyActioned => "This request has already been actioned",
        BornReal => "Enter the date of birth as a real date before today, or leave it blank",
        NotKnownHere => "Choose a person this service knows, or a new person",
        NotYourShift => "Only the worker on a shift asks for it to be swapped",
        ChooseColleague => "Choose a colleague who holds cases in the service the shift is covered for",
        SwapPending => "A swap of this shift is already waiting for a manager",
        SwapDecided => "This swap has already been decided",
        ChooseDecision => "Choose approve or refuse",
        Overlaps { day: String } => "They already work a shift then (from {day}): a worker cannot hold two shifts at once",
    }
}
