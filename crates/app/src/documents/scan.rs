//! The virus-scan hook: a command the service configures (for example
//! `clamdscan --no-summary -`), given each uploaded file on its standard
//! input. Exit 0 is clean, 1 is infected (the convention of ClamAV's
//! scanners); anything else, or no answer within a minute, means the file
//! could not be checked, and it is refused rather than taken unchecked.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::App;

/// What the scanner said of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    Infected,
    /// The scanner did not run, failed, or took too long.
    Unavailable,
}

const SCAN_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `command` (program, then its arguments) with `content` on its input.
async fn run(command: &[String], content: &[u8]) -> Verdict {
    let Some((program, args)) = command.split_first() else {
        return Verdict::Clean;
    };
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let Ok(mut child) = child else {
        tracing::error!("the virus scanner could not be started");
        return Verdict::Unavailable;
    };
    let scan = async {
        if let Some(mut input) = child.stdin.take() {
            // A scanner that stops reading early (it found something) closes
            // the pipe: its exit status still says what it found.
            let _ = input.write_all(content).await;
            drop(input);
        }
        child.wait().await
    };
    match tokio::time::timeout(SCAN_TIMEOUT, scan).await {
        Ok(Ok(status)) => match status.code() {
            Some(0) => Verdict::Clean,
            Some(1) => Verdict::Infected,
            _ => {
                tracing::error!(status = ?status.code(), "the virus scanner failed");
                Verdict::Unavailable
            }
        },
        Ok(Err(_)) => Verdict::Unavailable,
        Err(_) => {
            tracing::error!("the virus scanner took longer than a minute");
            Verdict::Unavailable
        }
    }
}

impl App {
    /// Scans a file with the configured command; clean when none is set.
    pub async fn scan(&self, content: &[u8]) -> Verdict {
        match &self.settings.scan_command {
            Some(command) => run(command, content).await,
            None => Verdict::Clean,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["sh".into(), "-c".into(), script.into()]
    }

    #[tokio::test]
    async fn the_scanners_exit_status_decides_and_a_failure_refuses() {
        assert_eq!(
            run(&sh("cat >/dev/null; exit 0"), b"hello").await,
            Verdict::Clean
        );
        let finds_marker = sh("if grep -q HARMFUL; then exit 1; else exit 0; fi");
        assert_eq!(
            run(&finds_marker, b"a HARMFUL file").await,
            Verdict::Infected
        );
        assert_eq!(run(&finds_marker, b"a good file").await, Verdict::Clean);
        assert_eq!(run(&sh("exit 2"), b"x").await, Verdict::Unavailable);
        assert_eq!(
            run(&["/no/such/scanner".to_string()], b"x").await,
            Verdict::Unavailable
        );
        // A large file through a scanner that reads it all.
        let big = vec![b'a'; 3 * 1024 * 1024];
        assert_eq!(
            run(&sh("cat >/dev/null; exit 0"), &big).await,
            Verdict::Clean
        );
    }
}
