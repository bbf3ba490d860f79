//! What the figures and returns say. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What the figures and returns say.
    pub enum ReportMessage {
        EndPeriodMustAfterStart => "The end of the period must be on or after its start",
        ChooseServicesList => "Choose services from the list",
    }
}
