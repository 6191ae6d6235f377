//! Where a launch's time goes, for the launch benchmark
//! (`scripts/bench-app.py`), which reads it without a WebDriver in the way.
//! Only when `MUSTER_PAINT_MARK` names a file: the backend notes when its
//! main function, its database and its setup were reached, and when the page
//! says its first meaningful view is on screen (`mark_painted`), the paint
//! time goes to that file's first line, then every mark (the backend's and
//! the page's) as `name epoch-ms` lines. Without it, nothing is noted.

use std::fmt::Write as _;
use std::sync::Mutex;

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
