//! Downloading a document: visible under the case's permission, and every
//! download recorded in the audit log.

use domain::documents::DocumentType;
use domain::policy::Actor;
use serde_json::json;

use crate::audit::{AuditAction, Change};
use crate::{App, AppError, Result};

/// A document's file, to be sent.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub kind: DocumentType,
    pub content: Vec<u8>,
}

impl App {
    /// A document's file, for someone who may see its case; the download is
    /// audited before anything is sent. A removed document is not found.
    pub async fn download_document(
        &self,
        actor: &Actor,
        case_id: &str,
        document_id: &str,
    ) -> Result<crate::Seen<Download>> {
        let case = self.visible_case(actor, case_id).await?;
        let service = self.service_by_id(&case.service_id).await?;
        let mut conn = self.db.conn().await?;
        let document = store::documents::find(&mut conn, &case.id, document_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let content = store::documents::content(&mut conn, &document.id)
            .await?
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let kind = DocumentType::parse(&document.kind).ok_or(AppError::NotFound)?;
        let read = Change::new(AuditAction::DocumentDownloaded, "case", &case.id)
            .place(Some(&service.organisation_id), Some(&service.id))
            .after(json!({ "document_id": document.id }));
        let file = Download {
            file_name: document.file_name,
            kind,
            content,
        };
        self.disclose(actor, read, file).await
    }
}
