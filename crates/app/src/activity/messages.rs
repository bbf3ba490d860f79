//! What recorded activity says. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What recorded activity says.
    pub enum ActivityMessage {
        DayReal => "Enter the day as a real date, for example 27 11 2026",
        DayInFuture => "Activity cannot be recorded for a day that has not come: check the date",
        ChooseKind => "Choose what the time was spent on",
        TimeWhole => "Give the time as whole hours and minutes, such as 1 hour 30 minutes",
        TimeBetween => "Give a time from 1 minute to 24 hours",
        OverADay { recorded: String } => "That would make more than 24 hours on that day: {recorded} is already recorded",
        ChooseService => "Choose a service you work in",
        ChooseArea => "Choose the area (district) the time was for",
        ChooseFunder => "Choose the funder from the list, or leave it blank for the service's commissioner",
        NoSuchCase => "There is no case with that reference in the service: check it, or leave it blank",
    }
}
