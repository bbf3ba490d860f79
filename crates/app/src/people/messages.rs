//! What reviewing people who may be one victim says. Keyed, so a Welsh catalogue can sit beside it.

domain::messages! {
    /// What reviewing possible duplicates says.
    pub enum PeopleMessage {
        ChooseWhichRecordToKeep => "Choose which record to keep",
        PairAlreadyDecided => "These two records have already been merged or dismissed: go back to the list to see what is left",
        RecordAlreadyMerged => "One of these records has since been merged into another: go back to the list",
        PerpetratorNeverMerged => "One of these records is an alleged perpetrator on a case, and a victim's record is never merged with it: dismiss this pair instead",
    }
}
