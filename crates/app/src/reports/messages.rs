//! What the figures and returns say. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What the figures and returns say.
    pub enum ReportMessage {
        EndPeriodMustAfterStart => "The end of the period must be on or after its start",
        ChooseServicesList => "Choose services from the list",
        ChooseOnePeriod { period: String, first: String, last: String, closing: i64 } => "Choose one reporting period that has ended: commissioners see figures for {period} at a time, from {closing} days after it ends, such as {first} to {last}",
        ChooseOneService => "Choose one service: commissioners see each service's figures on their own",
    }
}
