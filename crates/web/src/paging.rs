//! Paging and sorting for every list page: the query that asks for a page,
//! and what the page shows ("1–50 of 986", previous and next, column
//! headers that sort). Filters travel beside them in the same query, so a
//! link keeps them.

use app::paging::{ListRequest, PAGE_SIZE, Page, Start};
use serde::Deserialize;

/// The part of a list's query that says which page, in which order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    /// The id of the row the page follows, or precedes.
    pub after: String,
    pub before: String,
    /// The position of the page's first row, for saying where it is.
    pub from: String,
    pub sort: String,
    /// `asc` or `desc`; otherwise the sort's own direction.
    pub dir: String,
}

/// A sort a list offers: its name in the address, its column heading, and
/// whether it runs from the largest (the latest) first unless asked.
pub struct SortOption<S> {
    pub name: &'static str,
    pub label: &'static str,
    pub sort: S,
    pub descending: bool,
}

impl PageQuery {
    /// The request this query makes of a list with these sorts (the first
    /// is the default).
    pub fn request<S: Copy>(&self, sorts: &[SortOption<S>]) -> ListRequest<S> {
        let chosen = sorts
            .iter()
            .find(|s| s.name == self.sort)
            .unwrap_or(&sorts[0]);
        let descending = match self.dir.as_str() {
            "asc" => false,
            "desc" => true,
            _ => chosen.descending,
        };
        let start = if !self.after.is_empty() {
            Start::After(self.after.clone())
        } else if !self.before.is_empty() {
            Start::Before(self.before.clone())
        } else {
            Start::First
        };
        ListRequest {
            sort: chosen.sort,
            descending,
            start,
        }
    }

    fn position(&self) -> i64 {
        self.from.parse::<i64>().unwrap_or(1).max(1)
    }
}

/// A column heading that sorts the list.
pub struct SortLink {
    /// Its name in the address.
    pub name: &'static str,
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub state: &'static str,
}

/// What a list page shows about its paging.
pub struct Pager {
    /// "1–50 of 986", or "None" when the list is empty.
    pub summary: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub sorts: Vec<SortLink>,
}

impl Pager {
    /// The paging of `page`, whose rows have ids `first_id`…`last_id`, on
    /// the list at `path` with these filters kept in every link.
    pub fn new<S: Copy + PartialEq, T>(
        path: &str,
        filters: &[(&str, &str)],
        query: &PageQuery,
        sorts: &[SortOption<S>],
        page: &Page<T>,
        id: impl Fn(&T) -> &str,
    ) -> Pager {
        let request = query.request(sorts);
        let chosen = sorts
            .iter()
            .find(|s| s.sort == request.sort)
            .map(|s| s.name)
            .unwrap_or_default();
        let dir = if request.descending { "desc" } else { "asc" };
        let link = |extra: &[(&str, String)]| {
            let mut pairs: Vec<(&str, String)> = filters
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (*k, v.to_string()))
                .collect();
            pairs.extend(extra.iter().cloned());
            let encoded = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            if encoded.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{encoded}")
            }
        };
        let first = if page.earlier { query.position() } else { 1 };
        let shown = page.rows.len() as i64;
        let summary = if shown == 0 {
            "None".to_string()
        } else {
            let last = first + shown - 1;
            if page.more_than_total {
                format!(
                    "{first}–{last} of more than {}",
                    domain::values::thousands(page.total.unsigned_abs())
                )
            } else {
                let last = last.min(page.total.max(first));
                format!("{first}–{last} of {}", page.total)
            }
        };
        let sort_pairs = |extra: Vec<(&'static str, String)>| {
            let mut pairs = vec![("sort", chosen.to_string()), ("dir", dir.to_string())];
            pairs.extend(extra);
            pairs
        };
        let previous = match (page.earlier, page.rows.first()) {
            (true, Some(row)) => Some(link(&sort_pairs(vec![
                ("before", id(row).to_string()),
                ("from", (first - PAGE_SIZE).max(1).to_string()),
            ]))),
            _ => None,
        };
        let next = match (page.later, page.rows.last()) {
            (true, Some(row)) => Some(link(&sort_pairs(vec![
                ("after", id(row).to_string()),
                ("from", (first + shown).to_string()),
            ]))),
            _ => None,
        };
        let sorts = sorts
            .iter()
            .map(|s| {
                let current = s.sort == request.sort;
                // A second click on the sorted column turns it round.
                let descending = if current {
                    !request.descending
                } else {
                    s.descending
                };
                SortLink {
                    name: s.name,
                    label: s.label,
                    href: link(&[
                        ("sort", s.name.to_string()),
                        ("dir", if descending { "desc" } else { "asc" }.to_string()),
                    ]),
                    state: match (current, request.descending) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                }
            })
            .collect();
        Pager {
            summary,
            previous,
            next,
            sorts,
        }
    }

    /// The heading that sorts by `label`, if the list sorts by it.
    pub fn sort(&self, label: &str) -> Option<&SortLink> {
        self.sorts.iter().find(|s| s.label == label)
    }
}
