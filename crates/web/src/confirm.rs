//! Destructive changes ask first. A post without `confirmed=yes` is
//! answered with a page that says what will happen and asks, carrying the
//! form's fields; only its "Yes" sends the change. The page shows nothing
//! of the record beyond what the form itself held.

use askama::Template;
use axum::response::Response;

use crate::chrome::Chrome;
use crate::errors::render;
use crate::extract::SignedForm;
use crate::messages::ConfirmMessage;

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    question: String,
    consequence: String,
    yes: String,
    action: String,
    back: String,
    /// The form's own fields, sent again with the answer.
    fields: Vec<(String, String)>,
    /// Something to do instead, first: its words and address.
    instead: Option<(String, String)>,
}

/// What is asked before one kind of destructive change.
pub(crate) struct Ask {
    pub(crate) question: ConfirmMessage,
    pub(crate) consequence: ConfirmMessage,
    pub(crate) yes: ConfirmMessage,
}

impl Ask {
    /// Asks with a warning and a link to what to do first instead.
    pub(crate) fn warning_first(self, warning: ConfirmMessage, words: &str, href: &str) -> AskWith {
        AskWith {
            ask: self,
            warning: Some((warning, words.to_string(), href.to_string())),
        }
    }
}

/// A question with, perhaps, a warning and something to do first.
pub(crate) struct AskWith {
    ask: Ask,
    warning: Option<(ConfirmMessage, String, String)>,
}

impl From<Ask> for AskWith {
    fn from(ask: Ask) -> Self {
        AskWith { ask, warning: None }
    }
}

/// `None` when the form says yes; otherwise the page that asks. `action` is
/// where the answer is posted, `back` where "No" leads.
pub(crate) fn ask_first<T>(
    form: &SignedForm<T>,
    ask: impl Into<AskWith>,
    action: &str,
    back: &str,
) -> Option<Response> {
    if crate::extract::field(&form.pairs, "confirmed") == "yes" {
        return None;
    }
    let fields = form
        .pairs
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "csrf_token" | "submission" | "confirmed"))
        .cloned()
        .collect();
    let AskWith { ask, warning } = ask.into();
    let question = ask.question.english();
    let (consequence, instead) = match warning {
        Some((warning, words, href)) => (
            format!("{} {}", ask.consequence.english(), warning.english()),
            Some((words, href)),
        ),
        None => (ask.consequence.english(), None),
    };
    Some(render(&ConfirmPage {
        chrome: Chrome::signed(&form.ctx, &question, back),
        question,
        consequence,
        instead,
        yes: ask.yes.english(),
        action: action.to_string(),
        back: back.to_string(),
        fields,
    }))
}
