//! Attaching a file to a case.

use domain::documents::{DocumentType, FileRefusal, clean_file_name, limit_text, recognise};
use domain::policy::{Action, Actor};
use domain::validation::FieldErrors;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::Upload;
use super::messages::DocumentMessage;
use super::scan::Verdict;
use crate::audit::{AuditAction, Change};
use crate::secrets::new_id;
use crate::{App, AppError, Result};

/// The longest description kept with a document.
const DESCRIPTION_LIMIT: usize = 200;

/// The file's kind and the name it is kept under, or the file field's error.
fn checked(upload: &Upload, errors: &mut FieldErrors) -> Option<(DocumentType, String)> {
    if upload.file_name.is_empty() && upload.content.is_empty() {
        errors.add("file", DocumentMessage::ChooseFile);
        return None;
    }
    let Some(name) = clean_file_name(&upload.file_name) else {
        errors.add("file", DocumentMessage::FileNameEmpty);
        return None;
    };
    match recognise(&name, &upload.content) {
        Ok(kind) => Some((kind, name)),
        Err(refusal) => {
            let message = match refusal {
                FileRefusal::Empty => DocumentMessage::FileEmpty,
                FileRefusal::TooLarge => DocumentMessage::FileTooLarge {
                    limit: limit_text(),
                },
                FileRefusal::NotTaken => DocumentMessage::FileNotTaken {
                    kinds: DocumentType::uploaded_labels(),
                },
                FileRefusal::NameDisagrees { kind } => DocumentMessage::FileNameDisagrees {
                    kind: kind.label().into(),
                },
            };
            errors.add("file", message);
            None
        }
    }
}

impl App {
    /// Attaches a file to an open case: checked for what it is, scanned,
    /// then stored with its audit event. Returns the document's id.
    pub async fn add_document(
        &self,
        actor: &Actor,
        case_id: &str,
        upload: &Upload,
    ) -> Result<String> {
        // A quick answer for someone who may not change the case, before
        // a large file is scanned; the door checks again under the lock.
        self.open_case_for(actor, case_id, Action::ManageCases)
            .await?;
        let mut errors = FieldErrors::new();
        let file = checked(upload, &mut errors);
        let description = upload.description.trim();
        if description.chars().count() > DESCRIPTION_LIMIT {
            errors.add("description", DocumentMessage::DescriptionTooLong);
        }
        errors.into_result().map_err(AppError::Invalid)?;
        let Some((kind, name)) = file else {
            return Err(AppError::invalid("file", DocumentMessage::ChooseFile));
        };
        match self.scan(&upload.content).await {
            Verdict::Clean => {}
            Verdict::Infected => {
                tracing::warn!(
                    case = case_id,
                    "an uploaded file was refused by the virus scanner"
                );
                return Err(AppError::invalid("file", DocumentMessage::FileInfected));
            }
            Verdict::Unavailable => {
                return Err(AppError::invalid("file", DocumentMessage::ScanUnavailable));
            }
        }
        let sha256 = hex::encode(Sha256::digest(&upload.content));
        let id = new_id();
        let now = self.clock.now_text();
        let mut tx = self.write(actor, &now).await?;
        let (case, service) = tx.open_case(case_id, Action::ManageCases).await?;
        store::documents::add(
            tx.conn(),
            &store::documents::NewDocument {
                id: &id,
                case_id: &case.id,
                file_name: &name,
                kind: kind.code(),
                sha256: &sha256,
                description: (!description.is_empty()).then_some(description),
                added_by: &actor.id,
                added_at: &now,
                content: &upload.content,
            },
        )
        .await?;
        // The name and description may name people: the audit event holds
        // what identifies the file instead.
        let change = Change::new(AuditAction::DocumentAdded, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({
                "document_id": id,
                "kind": kind.code(),
                "size_bytes": upload.content.len(),
                "sha256": sha256,
            }));
        tx.commit(change).await?;
        Ok(id)
    }
}
