//! What a list asks for: its order and where its page starts. Every list
//! is paged the same way, by [`store::paging`].

pub use store::paging::{Page, Start};

/// Rows on one page of a list.
pub const PAGE_SIZE: i64 = 50;

/// The order and start of one page of a list sorted by `S`.
#[derive(Debug, Clone, Default)]
pub struct ListRequest<S> {
    pub sort: S,
    pub descending: bool,
    pub start: Start,
}
