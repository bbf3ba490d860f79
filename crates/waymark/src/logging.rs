//! The server's log and its printed messages. Neither may stop the server:
//! a line that cannot be written (a full disk, a closed pipe) is dropped and
//! counted, and the count is reported once writing works again.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Log lines dropped since writing last worked.
static DROPPED: AtomicU64 = AtomicU64::new(0);
/// Whether the log is JSON lines, so the drop notice matches.
static JSON: AtomicBool = AtomicBool::new(false);

/// Prints a line to standard output; a line that cannot be written is
/// dropped, never a panic (`println!` panics).
macro_rules! say {
    () => {
        $crate::logging::say_line(format_args!(""))
    };
    ($($arg:tt)*) => {
        $crate::logging::say_line(format_args!($($arg)*))
    };
}
pub(crate) use say;

pub fn say_line(line: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(line).and_then(|()| out.write_all(b"\n"));
    let _ = out.flush();
}

/// Logs to standard error through [`DropWriter`], with `WAYMARK_LOG`'s filter.
pub fn init(json: bool) {
    JSON.store(json, Ordering::Relaxed);
    let filter = tracing_subscriber::EnvFilter::try_from_env("WAYMARK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| DropWriter(std::io::stderr()))
        // Its own complaint about a failed write goes through `eprintln!`,
        // which panics when standard error cannot be written either.
        .log_internal_errors(false);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// A writer that never fails: what cannot be written is dropped and counted.
pub struct DropWriter<W: Write>(pub W);

impl<W: Write> Write for DropWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.write_all(buf).and_then(|()| self.0.flush()).is_err() {
            DROPPED.fetch_add(1, Ordering::Relaxed);
            return Ok(buf.len());
        }
        let dropped = DROPPED.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            let notice = if JSON.load(Ordering::Relaxed) {
                format!(
                    "{{\"level\":\"WARN\",\"fields\":{{\"message\":\"log lines could not be written and were dropped\",\"dropped\":{dropped}}},\"target\":\"waymark::log\"}}\n"
                )
            } else {
                format!(
                    "WARN waymark::log: {dropped} log lines could not be written and were dropped\n"
                )
            };
            if self.0.write_all(notice.as_bytes()).is_err() {
                DROPPED.fetch_add(dropped, Ordering::Relaxed);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails while `full` is set, like a file on a full disk.
    struct Disk<'a> {
        full: bool,
        written: &'a mut Vec<u8>,
    }

    impl Write for Disk<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.full {
                return Err(std::io::Error::other("No space left on device"));
            }
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_that_cannot_be_written_are_dropped_and_counted() {
        let mut written = Vec::new();
        {
            let mut full = DropWriter(Disk {
                full: true,
                written: &mut written,
            });
            for _ in 0..3 {
                full.write_all(b"lost\n").expect("never fails");
            }
        }
        DropWriter(Disk {
            full: false,
            written: &mut written,
        })
        .write_all(b"kept\n")
        .expect("writes");
        let text = String::from_utf8(written).expect("text");
        assert_eq!(
            text,
            "kept\nWARN waymark::log: 3 log lines could not be written and were dropped\n"
        );
    }
}
