//! Documents attached to a case: which files are taken (by what they are,
//! not what they are called), how big, under which name; and the letters
//! written from templates, with the safe-contact rule that stops one.

use crate::directory::coded_enum;

/// The largest document taken: a scanned court bundle or a phone's photo fits.
pub const DOCUMENT_LIMIT_BYTES: usize = 10 * 1024 * 1024;

/// The document limit as people read it: "10 MB".
pub fn limit_text() -> String {
    format!("{} MB", DOCUMENT_LIMIT_BYTES / (1024 * 1024))
}

/// The longest file name kept (longer ones are cut, keeping the extension).
pub const FILE_NAME_LIMIT: usize = 120;

coded_enum! {
    /// The kinds of file a case takes. Each is recognised by its first bytes,
    /// and its name must end as the kind does, so a program renamed ".pdf"
    /// is refused.
    DocumentType {
        Pdf => ("pdf", "PDF"),
        Jpeg => ("jpeg", "JPEG photo"),
        Png => ("png", "PNG image"),
        Docx => ("docx", "Word document"),
        Odt => ("odt", "OpenDocument text"),
        Text => ("text", "Plain text"),
        Letter => ("letter", "Letter"),
    }
}

impl DocumentType {
    /// The media type it is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            DocumentType::Pdf => "application/pdf",
            DocumentType::Jpeg => "image/jpeg",
            DocumentType::Png => "image/png",
            DocumentType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocumentType::Odt => "application/vnd.oasis.opendocument.text",
            DocumentType::Text => "text/plain; charset=utf-8",
            DocumentType::Letter => "text/html; charset=utf-8",
        }
    }

    /// The endings a name of this kind may have.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            DocumentType::Pdf => &["pdf"],
            DocumentType::Jpeg => &["jpg", "jpeg"],
            DocumentType::Png => &["png"],
            DocumentType::Docx => &["docx"],
            DocumentType::Odt => &["odt"],
            DocumentType::Text => &["txt"],
            DocumentType::Letter => &["html"],
        }
    }

    /// The kinds someone may upload (letters are made, never uploaded).
    pub const UPLOADED: &'static [DocumentType] = &[
        DocumentType::Pdf,
        DocumentType::Jpeg,
        DocumentType::Png,
        DocumentType::Docx,
        DocumentType::Odt,
        DocumentType::Text,
    ];

    /// "PDF, JPEG photo, …": what the upload form says it takes.
    pub fn uploaded_labels() -> String {
        Self::UPLOADED
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why a file is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRefusal {
    Empty,
    TooLarge,
    /// Its content is none of the kinds taken.
    NotTaken,
    /// Its content is one kind, its name says another.
    NameDisagrees {
        kind: DocumentType,
    },
}

/// Whether the bytes are a ZIP container holding `marker` near its start
/// (a Word file's `word/`, an OpenDocument file's mimetype).
fn zip_with(bytes: &[u8], marker: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && bytes[..bytes.len().min(4096)]
            .windows(marker.len())
            .any(|w| w == marker)
}

/// What the bytes are, by their first bytes, whatever the name says.
fn sniff(bytes: &[u8]) -> Option<DocumentType> {
    if bytes.starts_with(b"%PDF-") {
        Some(DocumentType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(DocumentType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(DocumentType::Png)
    } else if zip_with(bytes, b"application/vnd.oasis.opendocument.text") {
        Some(DocumentType::Odt)
    } else if zip_with(bytes, b"word/") || zip_with(bytes, b"[Content_Types].xml") {
        Some(DocumentType::Docx)
    } else if std::str::from_utf8(bytes).is_ok_and(|text| {
        !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    }) {
        Some(DocumentType::Text)
    } else {
        None
    }
}

/// The kind of an uploaded file, checked against its name.
pub fn recognise(name: &str, bytes: &[u8]) -> Result<DocumentType, FileRefusal> {
    if bytes.is_empty() {
        return Err(FileRefusal::Empty);
    }
    if bytes.len() > DOCUMENT_LIMIT_BYTES {
        return Err(FileRefusal::TooLarge);
    }
    let kind = sniff(bytes).ok_or(FileRefusal::NotTaken)?;
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if kind.extensions().contains(&extension.as_str()) {
        Ok(kind)
    } else {
        Err(FileRefusal::NameDisagrees { kind })
    }
}

/// A file's name as kept and offered back: no folders, no control,
/// direction or invisible characters, no quotes; cut to
/// [`FILE_NAME_LIMIT`] characters keeping the extension. `None` when
/// nothing is left.
pub fn clean_file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && !crate::validation::hidden_character(*c))
        .collect();
    let kept = kept.trim().trim_start_matches('.').trim();
    if kept.is_empty() {
        return None;
    }
    if kept.chars().count() <= FILE_NAME_LIMIT {
        return Some(kept.to_string());
    }
    let (stem, extension) = match kept.rsplit_once('.') {
        Some((stem, extension)) if extension.chars().count() <= 10 => (stem, extension),
        _ => (kept, ""),
    };
    let room = FILE_NAME_LIMIT - extension.chars().count() - 1;
    let stem: String = stem.chars().take(room).collect();
    Some(if extension.is_empty() {
        stem
    } else {
        format!("{stem}.{extension}")
    })
}

coded_enum! {
    /// The letters a caseworker writes from a template.
    LetterKind {
        Appointment => ("appointment", "Appointment letter"),
        Closure => ("closure", "Closure letter"),
    }
}

/// Why no letter may be written to someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterRefusal {
    /// Letters are marked unsafe for them (someone else may open the post).
    LettersUnsafe,
    /// There is no address to send one to.
    NoAddress,
}

/// Whether a letter may go to someone: never when letters are marked unsafe,
/// and only with an address to send it to. `letters_safe` is their letter
/// preference (`None`: not recorded).
pub fn letter_allowed(
    letters_safe: Option<bool>,
    address: Option<&str>,
) -> Result<(), LetterRefusal> {
    if letters_safe == Some(false) {
        return Err(LetterRefusal::LettersUnsafe);
    }
    if address.is_none_or(|a| a.trim().is_empty()) {
        return Err(LetterRefusal::NoAddress);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_taken_by_its_content_and_its_name_must_agree() {
        let pdf = b"%PDF-1.7\n...";
        let png = b"\x89PNG\r\n\x1a\nrest";
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2];
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        let odt = b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text";
        let cases: &[(&str, &[u8], Result<DocumentType, FileRefusal>)] = &[
            ("letter.pdf", pdf, Ok(DocumentType::Pdf)),
            ("LETTER.PDF", pdf, Ok(DocumentType::Pdf)),
            ("photo.png", png, Ok(DocumentType::Png)),
            ("photo.jpg", &jpeg, Ok(DocumentType::Jpeg)),
            ("photo.jpeg", &jpeg, Ok(DocumentType::Jpeg)),
            ("statement.docx", docx, Ok(DocumentType::Docx)),
            ("statement.odt", odt, Ok(DocumentType::Odt)),
            (
                "notes.txt",
                "Café at 10:00\r\n".as_bytes(),
                Ok(DocumentType::Text),
            ),
            ("empty.pdf", b"", Err(FileRefusal::Empty)),
            // A program named as a PDF is neither.
            (
                "invoice.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00",
                Err(FileRefusal::NotTaken),
            ),
            (
                "photo.pdf",
                png,
                Err(FileRefusal::NameDisagrees {
                    kind: DocumentType::Png,
                }),
            ),
            (
                "statement",
                pdf,
                Err(FileRefusal::NameDisagrees {
                    kind: DocumentType::Pdf,
                }),
            ),
            // Text with a NUL in it is not text.
            ("notes.txt", b"abc\x00def", Err(FileRefusal::NotTaken)),
            // A page of HTML is text, but only named as text; never a letter.
            (
                "page.html",
                b"<script>alert(1)</script>",
                Err(FileRefusal::NameDisagrees {
                    kind: DocumentType::Text,
                }),
            ),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(&recognise(name, bytes), expected, "{name}");
        }
        let big = vec![b'a'; DOCUMENT_LIMIT_BYTES + 1];
        assert_eq!(recognise("big.txt", &big), Err(FileRefusal::TooLarge));
        let limit = vec![b'a'; DOCUMENT_LIMIT_BYTES];
        assert_eq!(recognise("big.txt", &limit), Ok(DocumentType::Text));
    }

    #[test]
    fn the_kinds_say_what_they_are_and_the_limit_is_said_as_people_read_it() {
        assert_eq!(limit_text(), "10 MB");
        assert_eq!(DOCUMENT_LIMIT_BYTES, 10_485_760);
        assert_eq!(DocumentType::Pdf.media_type(), "application/pdf");
        assert_eq!(
            DocumentType::Letter.media_type(),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            DocumentType::uploaded_labels(),
            "PDF, JPEG photo, PNG image, Word document, OpenDocument text, Plain text"
        );
        // A Word file is known by either of its markers.
        assert_eq!(
            recognise("a.docx", b"PK\x03\x04..word/document.xml"),
            Ok(DocumentType::Docx)
        );
        assert_eq!(
            recognise("a.docx", b"PK\x03\x04..[Content_Types].xml"),
            Ok(DocumentType::Docx)
        );
    }

    #[test]
    fn a_file_name_keeps_no_folders_or_hidden_characters_and_stays_short() {
        let cases = [
            ("court order.pdf", Some("court order.pdf")),
            ("C:\\Users\\me\\order.pdf", Some("order.pdf")),
            ("../../etc/passwd", Some("passwd")),
            ("\u{202E}fdp.exe", Some("fdp.exe")),
            ("a\u{200B}b\"c.txt", Some("abc.txt")),
            ("line\r\nbreak.txt", Some("linebreak.txt")),
            (".hidden", Some("hidden")),
            ("\u{200B}", None),
            ("   ", None),
            ("folder/", None),
        ];
        for (name, expected) in cases {
            assert_eq!(clean_file_name(name).as_deref(), expected, "{name:?}");
        }
        let long = format!("{}.pdf", "x".repeat(300));
        let cut = clean_file_name(&long).unwrap();
        assert_eq!(cut.chars().count(), FILE_NAME_LIMIT);
        assert!(cut.ends_with(".pdf"));
        // After a long run past the last dot there is no extension to keep.
        let dotted = format!("{}.{}", "x".repeat(100), "y".repeat(100));
        let cut = clean_file_name(&dotted).unwrap();
        assert!(cut.starts_with(&format!("{}.y", "x".repeat(100))), "{cut}");
        assert!(cut.chars().count() <= FILE_NAME_LIMIT);
    }

    #[test]
    fn no_letter_goes_where_letters_are_unsafe_or_to_no_address() {
        assert_eq!(letter_allowed(Some(true), Some("1 High St")), Ok(()));
        assert_eq!(letter_allowed(None, Some("1 High St")), Ok(()));
        assert_eq!(
            letter_allowed(Some(false), Some("1 High St")),
            Err(LetterRefusal::LettersUnsafe)
        );
        assert_eq!(
            letter_allowed(Some(true), None),
            Err(LetterRefusal::NoAddress)
        );
        assert_eq!(
            letter_allowed(None, Some("  ")),
            Err(LetterRefusal::NoAddress)
        );
        // Unsafe wins, even without an address.
        assert_eq!(
            letter_allowed(Some(false), None),
            Err(LetterRefusal::LettersUnsafe)
        );
    }
}
