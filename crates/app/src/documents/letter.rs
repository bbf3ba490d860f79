//! Letters written from a template, with the person's details filled in,
//! kept on the case as a document. No letter is written where letters are
//! marked unsafe for the person, or with no address to send it to.

use domain::documents::{DocumentType, LetterKind, LetterRefusal, letter_allowed};
use domain::journey::Channel;
use domain::policy::{self, Action, Actor};
use domain::validation::FieldErrors;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::LetterInput;
use super::messages::{DocumentMessage, LetterWords};
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// A letter's parts, filled in; the web layer lays it out.
#[derive(Debug, Clone)]
pub struct Letter {
    pub kind: LetterKind,
    /// "28 November 2026".
    pub written_on: String,
    pub service: String,
    pub organisation: String,
    pub to_name: String,
    pub address: String,
    pub postcode: Option<String>,
    pub reference: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub sign_off: String,
    pub signed_by: String,
}

use domain::values::long_date;

/// The appointment's paragraph, or its fields' errors.
fn appointment(
    input: &LetterInput,
    today: jiff::civil::Date,
    errors: &mut FieldErrors,
) -> Option<String> {
    let day = match domain::values::Day::parse(input.appointment_date.trim()) {
        Ok(day) if day.date() < today => {
            errors.add("appointment_date", DocumentMessage::AppointmentDatePast);
            None
        }
        Ok(day) => Some(day.date()),
        Err(_) => {
            errors.add("appointment_date", DocumentMessage::AppointmentDateReal);
            None
        }
    };
    let time = input
        .appointment_time
        .trim()
        .parse::<jiff::civil::Time>()
        .ok();
    if time.is_none() {
        errors.add("appointment_time", DocumentMessage::AppointmentTimeReal);
    }
    let place = input.appointment_place.trim();
    if place.is_empty() || place.chars().count() > 200 {
        errors.add("appointment_place", DocumentMessage::GiveAppointmentPlace);
    }
    Some(
        LetterWords::AppointmentWhen {
            day: long_date(day?),
            time: time?.strftime("%H:%M").to_string(),
            place: place.to_string(),
        }
        .english(),
    )
}

impl App {
    /// Writes a letter from its template and keeps it on the case; `render`
    /// lays the letter out as the file kept. Returns the document's id.
    pub async fn write_letter(
        &self,
        actor: &Actor,
        case_id: &str,
        input: &LetterInput,
        render: impl FnOnce(&Letter) -> String,
    ) -> Result<String> {
        let mut errors = FieldErrors::new();
        let kind = LetterKind::parse(input.letter.trim());
        if kind.is_none() {
            errors.add("letter", DocumentMessage::ChooseLetter);
        }
        let when = match kind {
            Some(LetterKind::Appointment) => appointment(input, self.today(), &mut errors),
            _ => None,
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(kind) = kind else {
            return Err(AppError::invalid("letter", DocumentMessage::ChooseLetter));
        };
        let now = self.clock.now_text();
        let id = new_id();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        // The person and their preferences as they stand under the lock: a
        // letter marked unsafe a moment ago stops this one.
        let visibility = policy::visibility(actor, Action::ViewCases);
        let person = store::people::find_visible(tx.conn(), &case.person_id, &visibility)
            .await?
            .ok_or(AppError::NotFound)?;
        let letters_safe = store::people::preferences(tx.conn(), &person.id)
            .await?
            .into_iter()
            .find(|p| p.channel == Channel::Letter.code())
            .map(|p| p.safe != 0);
        if let Err(refusal) = letter_allowed(letters_safe, person.address.as_deref()) {
            tx.abandon().await?;
            let message = match refusal {
                LetterRefusal::LettersUnsafe => DocumentMessage::LettersUnsafe,
                LetterRefusal::NoAddress => DocumentMessage::NoAddress,
            };
            return Err(AppError::invalid("letter", message));
        }
        let writer = store::users::find(tx.conn(), &actor.id)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_else(|| actor.label.clone());
        let paragraphs = match kind {
            LetterKind::Appointment => vec![
                LetterWords::AppointmentIntro {
                    service: service.name.clone(),
                }
                .english(),
                when.unwrap_or_default(),
                LetterWords::AppointmentChange.english(),
            ],
            LetterKind::Closure => vec![
                LetterWords::ClosureIntro {
                    service: service.name.clone(),
                }
                .english(),
                LetterWords::ClosureReturn.english(),
                LetterWords::ClosureFeedback.english(),
            ],
        };
        let letter = Letter {
            kind,
            written_on: long_date(self.today()),
            service: service.name.clone(),
            organisation: service.organisation_name.clone(),
            to_name: format!("{} {}", person.given_name, person.family_name),
            address: person.address.clone().unwrap_or_default(),
            postcode: person.postcode.clone(),
            reference: LetterWords::Reference {
                reference: case.reference.clone(),
            }
            .english(),
            greeting: LetterWords::Greeting {
                name: person.given_name.clone(),
            }
            .english(),
            paragraphs,
            sign_off: LetterWords::SignOff.english(),
            signed_by: writer,
        };
        let content = render(&letter).into_bytes();
        let sha256 = hex::encode(Sha256::digest(&content));
        let file_name = format!("{}-{}.html", kind.code(), case.reference);
        store::documents::add(
            tx.conn(),
            &store::documents::NewDocument {
                id: &id,
                case_id: &case.id,
                file_name: &file_name,
                kind: DocumentType::Letter.code(),
                sha256: &sha256,
                description: Some(kind.label()),
                added_by: &actor.id,
                added_at: &now,
                content: &content,
            },
        )
        .await?;
        let change = Change::new(AuditAction::LetterWritten, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "document_id": id, "letter": kind.code(), "sha256": sha256 }));
        tx.commit(change).await?;
        Ok(id)
    }
}
