//! A durable incident event append — what a responder waits for between
//! marking a step and seeing it recorded (checked, chained, written and
//! synced with synchronous=FULL) — on the large generated plan and on the
//! starter plan, against its floor in the same run: a raw SQLite insert and
//! commit with the same pragmas (WAL, synchronous=FULL) and nothing else.
//!
//! Run with `cargo bench -p muster-core --bench incidents`.

mod common;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use muster_core::clock::SystemClock;
use muster_core::generate::{self, Size};
use muster_core::incident::{Declaration, IncidentAction};
use muster_core::plan::Severity;
use muster_core::store::Store;

use common::{percentiles, run_in_temp, BenchResult};

const APPENDS: usize = 200;

fn main() -> ExitCode {
    run_in_temp("incidents", |dir| {
        raw(&dir.join("raw"))?;
        appends(&dir.join("starter"), None)?;
        let size = Size {
            issues: 10_000,
            procedures: 10_000,
            steps_per_procedure: 8,
            contacts: 5_000,
        };
        appends(&dir.join("large"), Some(size))
    })
}

/// The floor: one row inserted and committed per append.
fn raw(dir: &std::path::Path) -> BenchResult {
    std::fs::create_dir_all(dir)?;
    let conn = rusqlite::Connection::open(dir.join("raw.sqlite3"))?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE event (incident TEXT, seq INTEGER, at TEXT, body TEXT, PRIMARY KEY (incident, seq))",
    )?;
    let mut times = Vec::with_capacity(APPENDS);
    for n in 0..APPENDS {
        let t = Instant::now();
        conn.execute(
            "INSERT INTO event VALUES ('INC-1', ?1, '2026-12-06T12:00:00Z', ?2)",
            rusqlite::params![n as i64, format!("{{\"note\":\"append {n}\"}}")],
        )?;
        times.push(t.elapsed());
    }
    percentiles("raw insert + commit (floor)", times, "");
    Ok(())
}

fn appends(dir: &std::path::Path, size: Option<Size>) -> BenchResult {
    let mut store = Store::open_in(dir, &SystemClock)?;
    let label = match size {
        Some(size) => {
            let plan = generate::plan(size, 7);
            store.replace_plan(&plan, "Imported the generated plan", &SystemClock)?;
            "large plan"
        }
        None => "starter plan",
    };
    let plan = store.plan()?;
    let issue = plan.issues.first().map(|i| i.id.clone());
    let declaration = Declaration {
        issue,
        category: None,
        title: None,
        severity: Severity::S2,
        exercise: false,
        description: String::new(),
        lead: None,
        scribe: None,
        communications: None,
    };
    let id = store.declare_incident(&declaration, &SystemClock)?.id;
    let mut times: Vec<Duration> = Vec::with_capacity(APPENDS);
    for n in 0..APPENDS {
        let action = IncidentAction::AddNote {
            text: format!("append {n}"),
        };
        let t = Instant::now();
        store.act_on_incident(&id, &action, &SystemClock)?;
        times.push(t.elapsed());
    }
    percentiles(&format!("incident event append, {label}"), times, "");
    Ok(())
}
