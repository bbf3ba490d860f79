//! Documents on a case: files a caseworker attaches (letters received,
//! court papers, photos) and letters written from templates. Content is
//! checked for what it is, scanned when a scanner is configured, stored
//! with its audit event, and every download is an audited read.

mod add;
mod download;
mod input;
mod letter;
pub mod messages;
mod remove;
mod scan;

pub use download::Download;
pub use input::{LetterInput, Upload};
pub use letter::Letter;
pub use scan::Verdict;
pub use store::documents::Document;
