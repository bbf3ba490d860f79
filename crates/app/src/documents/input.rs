//! The field lists of documents' inputs: a file attached, a letter asked for.

use serde::Deserialize;

/// A file as it arrived: the name the sender's computer gave it, and its bytes.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub file_name: String,
    pub content: Vec<u8>,
    /// What it is, in the uploader's words ("Non-molestation order").
    pub description: String,
}

/// What the letter form asks: which letter, and for an appointment, when and where.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LetterInput {
    pub letter: String,
    pub appointment_date: String,
    pub appointment_time: String,
    pub appointment_place: String,
}
