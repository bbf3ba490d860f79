//! Documents attached to cases, and their content (read only to download).

use sqlx::FromRow;

use crate::{Conn, Result};

/// A document as listed: never its content.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub case_id: String,
    pub file_name: String,
    /// A `DocumentType` code.
    pub kind: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub description: Option<String>,
    pub added_by_name: Option<String>,
    pub added_at: String,
    pub removed_by_name: Option<String>,
    pub removed_at: Option<String>,
    pub removal_reason: Option<String>,
}

pub struct NewDocument<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub file_name: &'a str,
    pub kind: &'a str,
    pub sha256: &'a str,
    pub description: Option<&'a str>,
    pub added_by: &'a str,
    pub added_at: &'a str,
    pub content: &'a [u8],
}

pub async fn add(conn: &mut Conn, doc: &NewDocument<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO documents (id, case_id, file_name, kind, size_bytes, sha256, description, added_by, added_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(doc.id.to_string())
    .bind(doc.case_id.to_string())
    .bind(doc.file_name.to_string())
    .bind(doc.kind.to_string())
    .bind(doc.content.len() as i64)
    .bind(doc.sha256.to_string())
    .bind(doc.description.map(str::to_string))
    .bind(doc.added_by.to_string())
    .bind(doc.added_at.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO document_contents (document_id, content) VALUES ($1, $2)")
        .bind(doc.id.to_string())
        .bind(doc.content.to_vec())
        .execute(conn)
        .await?;
    Ok(())
}

/// The columns of a listed document, with its adder's and remover's names.
macro_rules! listed {
    ($where:literal) => {
        concat!(
            "SELECT d.id, d.case_id, d.file_name, d.kind, d.size_bytes, d.sha256, d.description,
        a.display_name AS added_by_name, d.added_at,
        r.display_name AS removed_by_name, d.removed_at, d.removal_reason
     FROM documents d
     LEFT JOIN users a ON a.id = d.added_by
     LEFT JOIN users r ON r.id = d.removed_by ",
            $where
        )
    };
}

/// A case's documents, newest first, removed ones included.
pub async fn of_case(conn: &mut Conn, case_id: &str) -> Result<Vec<Document>> {
    Ok(sqlx::query_as(listed!(
        "WHERE d.case_id = $1 ORDER BY d.added_at DESC, d.id"
    ))
    .bind(case_id.to_string())
    .fetch_all(conn)
    .await?)
}

/// One of a case's documents.
pub async fn find(conn: &mut Conn, case_id: &str, id: &str) -> Result<Option<Document>> {
    Ok(
        sqlx::query_as(listed!("WHERE d.case_id = $1 AND d.id = $2"))
            .bind(case_id.to_string())
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

/// A document's content; `None` once it is removed.
pub async fn content(conn: &mut Conn, id: &str) -> Result<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT content FROM document_contents WHERE document_id = $1")
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?,
    )
}

/// Removes a document's content, recording who removed it and why.
pub async fn remove(conn: &mut Conn, id: &str, by: &str, reason: &str, now: &str) -> Result<()> {
    sqlx::query("DELETE FROM document_contents WHERE document_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE documents SET removed_by = $2, removed_at = $3, removal_reason = $4 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(by.to_string())
    .bind(now.to_string())
    .bind(reason.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
