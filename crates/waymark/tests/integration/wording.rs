//! Every message a use case or the web layer gives about a field or a
//! refusal comes from a catalogue (`messages.rs`), keyed, so a Welsh one can
//! sit beside it: none is written where it is used.

use std::path::{Path, PathBuf};

/// The calls that carry a message to a person, and the position of the
/// message among their arguments.
const CALLS: &[(&str, usize)] = &[
    ("errors.add(", 1),
    ("AppError::invalid(", 1),
    ("FieldErrors::single(", 1),
    ("PageError::BadRequest(", 0),
    ("unique_as_field(", 2),
];

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The arguments of the call whose `(` is at `open`, split at top-level commas.
fn arguments(text: &str, open: usize) -> Vec<String> {
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut current = String::new();
    let mut arguments = Vec::new();
    for c in text[open..].chars() {
        if in_string {
            current.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.push(c);
            }
            '(' | '[' | '{' => {
                depth += 1;
                if depth > 1 {
                    current.push(c);
                }
            }
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    arguments.push(current.trim().to_string());
                    return arguments;
                }
                current.push(c);
            }
            ',' if depth == 1 => arguments.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    arguments
}

#[test]
fn messages_come_from_catalogues() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for name in ["app", "web"] {
        rust_files(&crates.join(name).join("src"), &mut files);
    }
    assert!(files.len() > 50, "found the sources");
    let mut written_in_place = Vec::new();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "messages.rs" || path.components().any(|c| c.as_os_str() == "demo") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (call, position) in CALLS {
            for (at, _) in code.match_indices(call) {
                let open = at + call.len() - 1;
                let message = arguments(code, open)
                    .get(*position)
                    .cloned()
                    .unwrap_or_default();
                if message.starts_with('"') || message.starts_with("format!") {
                    written_in_place.push(format!("{}: {call}… {message}", path.display()));
                }
            }
        }
    }
    assert!(
        written_in_place.is_empty(),
        "messages written where they are used, not in a catalogue: {written_in_place:#?}"
    );
}

#[test]
fn the_check_sees_a_message_written_in_place() {
    let code = r#"errors.add("name", format!("Enter {x}")); errors.add("a", Msg::B);"#;
    let first = code.find('(').expect("call");
    assert_eq!(arguments(code, first)[1], r#"format!("Enter {x}")"#);
    let second = code.rfind("errors.add(").expect("call") + "errors.add".len();
    assert_eq!(arguments(code, second)[1], "Msg::B");
}
