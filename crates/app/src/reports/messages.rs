//! What the figures and returns say. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What the figures and returns say.
    pub enum ReportMessage {
        EndPeriodMustAfterStart => "The end of the period must be on or after its start",
        ChooseServicesList => "Choose services from the list",
        ChooseWholeMonths => "Choose whole months: start on the first day of a month and end on the last day of a month",
        ChooseAtLeastMonths { minimum: u32 } => "Choose at least {minimum} whole months: returns for commissioners cover no less",
    }
}
