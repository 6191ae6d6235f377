//! Where a launch's time goes, for the launch benchmark
//! (`scripts/bench-app.py`), which reads it without a WebDriver in the way.
//! Only when `MUSTER_PAINT_MARK` names a file: the backend notes when its
//! main function, its database and its setup were reached, and when the page
//! says its first meaningful view is on screen (`mark_painted`), the paint
//! time goes to that file's first line, then every mark (the backend's and
//! the page's) as `name epoch-ms` lines. Without it, nothing is noted.
//!
//! [`Settled`] says when the launch is over (the first page is on screen):
//! work that can wait — the database's full integrity check, today's backup
//! — waits for it, so it never competes with the first page for the disk,
//! a reader or the CPU.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;

/// The variable naming the file the marks go to.
pub const PAINT_MARK: &str = "MUSTER_PAINT_MARK";

/// At most this many marks from the page, each name at most this long.
const MOST_MARKS: usize = 32;
const LONGEST_NAME: usize = 32;

static MARKS: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());

fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn wanted() -> bool {
    std::env::var_os(PAINT_MARK).is_some()
}

/// Notes that the launch reached `name`, when the benchmark asks.
pub fn mark(name: &'static str) {
    if !wanted() {
        return;
    }
    let at = now_ms();
    if let Ok(mut marks) = MARKS.lock() {
        marks.push((name, at));
    }
}

/// The file's text: the paint time, then the backend's marks and the
/// page's (names of letters and dashes only; anything else is left out).
fn text(painted: f64, page: &[(String, f64)]) -> String {
    let mut out = format!("{}\n", painted.round());
    let backend = MARKS.lock().map(|m| m.clone()).unwrap_or_default();
    let backend = backend.iter().map(|(name, at)| (*name, *at));
    let page = page
        .iter()
        .take(MOST_MARKS)
        .map(|(name, at)| (name.as_str(), *at));
    for (name, at) in backend.chain(page) {
        let plain = !name.is_empty()
            && name.len() <= LONGEST_NAME
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if plain && at.is_finite() {
            let _ = writeln!(out, "{name} {at:.1}");
        }
    }
    out
}

/// The page's first meaningful view is on screen: writes the marks.
pub fn painted(page: &[(String, f64)]) {
    let Some(path) = std::env::var_os(PAINT_MARK) else {
        return;
    };
    if let Err(e) = std::fs::write(&path, text(now_ms(), page)) {
        eprintln!("muster: the paint mark could not be written: {e}");
    }
}

/// The longest a launch is waited for: a window that never draws its
/// first page (started hidden, or stuck) does not hold back what waits.
pub const SETTLE_AT_MOST: Duration = Duration::from_secs(15);

/// Whether the launch is over: managed state, settled by the page's first
/// paint or after [`SETTLE_AT_MOST`].
#[derive(Debug, Default)]
pub struct Settled {
    done: AtomicBool,
    notify: Notify,
}

impl Settled {
    /// The launch is over (the first page is on screen); once is enough.
    pub fn settle(&self) {
        if !self.done.swap(true, Ordering::SeqCst) {
            self.notify.notify_waiters();
        }
    }

    pub fn is_settled(&self) -> bool {
        self.done.load(Ordering::SeqCst)
    }

    /// Waits until the launch is over, or `at_most`, whichever comes first.
    pub async fn wait(&self, at_most: Duration) {
        let notified = self.notify.notified();
        tokio::pin!(notified);
        // Listening before looking: a settle in between is not missed.
        notified.as_mut().enable();
        if self.is_settled() {
            return;
        }
        tokio::select! {
            () = notified => {}
            () = tokio::time::sleep(at_most) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn the_paint_time_comes_first_and_only_plain_names_follow() {
        let page = vec![
            ("plan".to_owned(), 1_000.25),
            ("bad\nname 1".to_owned(), 2.0),
            ("x".repeat(40), 3.0),
            ("nan".to_owned(), f64::NAN),
        ];
        let written = text(1_234.6, &page);
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines[0], "1235");
        assert!(
            lines.contains(&"plan 1000.2") || lines.contains(&"plan 1000.3"),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .all(|l| !l.contains("bad") && !l.starts_with("xxx") && !l.starts_with("nan")),
            "{lines:?}"
        );
    }
}

#[cfg(test)]
mod settled_tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::Settled;

    #[test]
    fn waiting_ends_at_the_settle_or_after_at_most_and_at_once_once_settled() {
        tauri::async_runtime::block_on(async {
            let settled = Arc::new(Settled::default());
            let started = Instant::now();
            settled.wait(Duration::from_millis(100)).await;
            assert!(started.elapsed() >= Duration::from_millis(100));
            assert!(!settled.is_settled());

            let waiting = {
                let settled = settled.clone();
                tauri::async_runtime::spawn(async move {
                    let started = Instant::now();
                    settled.wait(Duration::from_secs(30)).await;
                    started.elapsed()
                })
            };
            tokio::time::sleep(Duration::from_millis(50)).await;
            settled.settle();
            let waited = waiting.await.unwrap();
            assert!(waited < Duration::from_secs(5), "{waited:?}");

            let started = Instant::now();
            settled.wait(Duration::from_secs(30)).await;
            assert!(started.elapsed() < Duration::from_secs(1));
        });
    }
}
