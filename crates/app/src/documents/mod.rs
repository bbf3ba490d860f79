//! Documents on a case: files a caseworker attaches (letters received,
//! court papers, photos) and letters written from templates. Content is
//! checked for what it is, scanned when a scanner is configured, stored
//! with its audit event, and every download is an audited read.

mod add;
mod download;
mod letter;
pub mod messages;
mod remove;
mod scan;

pub use download::Download;
pub use letter::{Letter, LetterInput};
pub use scan::Verdict;
pub use store::documents::Document;

/// A file as it arrived: the name the sender's computer gave it, and its bytes.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    pub file_name: String,
    pub content: Vec<u8>,
    /// What it is, in the uploader's words ("Non-molestation order").
    pub description: String,
}
