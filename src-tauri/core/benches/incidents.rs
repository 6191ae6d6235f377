//! A durable incident event append — what a responder waits for between
//! marking a step and seeing it recorded (checked, chained, written and
//! synced with synchronous=FULL) — on the large generated plan and on the
//! starter plan, against its floor in the same run: a raw SQLite insert and
//! commit with the same pragmas (WAL, synchronous=FULL) and nothing else.
//!
//! And a long incident: appends, the console's view and a whole-chain
//! verification once its timeline holds 20,000 events
//! (`MUSTER_BENCH_EVENTS` sets how many).
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
        let size = common::large();
        appends(&dir.join("large"), Some(size))?;
        long(&dir.join("long"))
    })
}

/// An incident whose timeline already holds many events: an append (which
/// reads the state kept beside the chain's head, not the timeline), the
/// console's view, and verifying the whole chain.
fn long(dir: &std::path::Path) -> BenchResult {
    let events: usize = match std::env::var("MUSTER_BENCH_EVENTS") {
        Ok(n) => n.parse()?,
        Err(_) if common::quick() => 50,
        Err(_) => 20_000,
    };
    let mut store = Store::open_in(dir, &SystemClock)?;
    let plan = store.plan()?;
    let declaration = declaration(plan.issues.first().map(|i| i.id.clone()));
    let id = store.declare_incident(&declaration, &SystemClock)?.id;
    let started = Instant::now();
    for n in 1..events {
        let action = IncidentAction::AddNote {
            text: format!(
                "alert {n}: the oracle feed is still stale on node-{}",
                n % 7
            ),
        };
        store.act_on_incident(&id, &action, &SystemClock)?;
    }
    let took = started.elapsed();
    println!(
        "wrote {events} events in {:.1} s ({:.0} appends a second, each durable)",
        took.as_secs_f64(),
        (events - 1) as f64 / took.as_secs_f64()
    );
    let mut times = Vec::new();
    for n in 0..common::runs(APPENDS) {
        let action = IncidentAction::AddNote {
            text: format!("later {n}"),
        };
        let t = Instant::now();
        store.act_on_incident(&id, &action, &SystemClock)?;
        times.push(t.elapsed());
    }
    percentiles(&format!("append, {events}-event timeline"), times, "");
    let zone = chrono_tz::UTC;
    let mut times = Vec::new();
    for _ in 0..common::runs(10) {
        let t = Instant::now();
        std::hint::black_box(store.incident_view(&id, chrono::Utc::now(), zone)?);
        times.push(t.elapsed());
    }
    percentiles(&format!("console view, {events} events"), times, "");
    let t = Instant::now();
    let verified = store.verify_incident(&id)?;
    let took = t.elapsed();
    assert!(verified.first_bad.is_none() && !verified.state_differs);
    println!(
        "verify {} events: {:.0} ms ({:.0} events a second)",
        verified.events,
        took.as_secs_f64() * 1000.0,
        f64::from(verified.events) / took.as_secs_f64()
    );
    Ok(())
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
    for n in 0..common::runs(APPENDS) {
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
    let declaration = declaration(issue);
    let id = store.declare_incident(&declaration, &SystemClock)?.id;
    let mut times: Vec<Duration> = Vec::with_capacity(APPENDS);
    for n in 0..common::runs(APPENDS) {
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

/// An S2 incident on `issue`, nobody assigned.
fn declaration(issue: Option<muster_core::plan::Id>) -> Declaration {
    Declaration {
        issue,
        category: None,
        title: None,
        severity: Severity::S2,
        exercise: false,
        description: String::new(),
        lead: None,
        scribe: None,
        communications: None,
    }
}
