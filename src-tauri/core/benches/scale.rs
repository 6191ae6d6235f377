//! Scale: the work a large plan folder or contacts file costs must grow in
//! step with its size, never with its square. Times checking a plan folder
//! (`muster plan check`), reading it for an import, and importing it into a
//! store (`muster plan import`) for generated plans of 10,000 to 100,000
//! issues (as many procedures of 8 steps, half as many contacts), and a
//! contacts import of 10,000 and 50,000 people. Each figure is also given
//! per element, and against the smallest size's per-element time: about 1
//! for linear work, the size ratio for quadratic.
//!
//! Run with `cargo bench -p muster-core --bench scale`;
//! `MUSTER_SCALE_SIZES=10000,20000` picks the plan sizes.

mod common;

use std::fmt::Write as _;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use muster_core::clock::SystemClock;
use muster_core::export::Team;
use muster_core::generate::{self, Size};
use muster_core::ops::contacts::{self, Format};
use muster_core::store::Store;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error>;

/// One measured row: what, how many elements, how long.
struct Row {
    what: &'static str,
    n: usize,
    took: Duration,
}

fn timed<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<(T, Duration), Failure> {
    let started = Instant::now();
    let value = f()?;
    Ok((value, started.elapsed()))
}

fn run() -> Result<(), Failure> {
    let sizes: Vec<usize> = std::env::var("MUSTER_SCALE_SIZES")
        .unwrap_or_else(|_| {
            if common::quick() {
                "100,200"
            } else {
                "10000,20000,50000,100000"
            }
            .to_owned()
        })
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let root = tempfile::tempdir()?;
    let mut rows = Vec::new();
    for &n in &sizes {
        let size = Size {
            issues: n,
            procedures: n,
            steps_per_procedure: 8,
            contacts: n / 2,
        };
        let dir = root.path().join(format!("plan-{n}"));
        muster_core::folder::export(&generate::plan(size, 7), &dir)?;
        let (diagnostics, took) = timed(|| {
            muster_core::folder::check(&dir, chrono::Utc::now()).map_err(|e| e.to_string().into())
        })?;
        eprintln!("checked {n} issues: {} diagnostics", diagnostics.len());
        rows.push(Row {
            what: "plan check (folder)",
            n,
            took,
        });
        let (plan, took) =
            timed(|| muster_core::folder::read(&dir).map_err(|e| e.to_string().into()))?;
        rows.push(Row {
            what: "plan read (folder, for import)",
            n,
            took,
        });
        let data = root.path().join(format!("data-{n}"));
        let mut store = Store::open_in(&data, &SystemClock)?;
        let ((), took) = timed(|| {
            store.replace_plan(&plan, "Imported the plan folder", &SystemClock)?;
            Ok(())
        })?;
        rows.push(Row {
            what: "plan import (into a store)",
            n,
            took,
        });
        drop(store);
        std::fs::remove_dir_all(&dir)?;
        std::fs::remove_dir_all(&data)?;
    }
    let people: [usize; 2] = if common::quick() {
        [100, 500]
    } else {
        [10_000, 50_000]
    };
    for n in people {
        let cards = vcards(n);
        let path = root.path().join(format!("people-{n}.vcf"));
        let data = root.path().join(format!("contacts-{n}"));
        let mut store = Store::open_in(&data, &SystemClock)?;
        let ((), took) = timed(|| {
            let people = contacts::parse(&path, cards.as_bytes(), Format::Vcard, None)?;
            contacts::import(
                &mut store,
                &path,
                &people,
                Team::Extended,
                false,
                &SystemClock,
            )?;
            Ok(())
        })?;
        rows.push(Row {
            what: "contacts import (vCard)",
            n,
            took,
        });
    }
    print(&rows);
    Ok(())
}

/// `n` people as vCard 4.0.
fn vcards(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let _ = write!(
            out,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Person {i:06}\r\nEMAIL:p{i}@example.com\r\nTEL:+1 555 {:04}\r\nEND:VCARD\r\n",
            i % 10_000
        );
    }
    out
}

/// The table: each row's time, per element, and per element against the
/// same work's smallest size.
fn print(rows: &[Row]) {
    println!(
        "{:<32} {:>8} {:>11} {:>13} {:>16}",
        "work", "elements", "time", "per element", "vs smallest"
    );
    for row in rows {
        let per = row.took.as_secs_f64() / row.n as f64;
        let smallest = rows
            .iter()
            .filter(|r| r.what == row.what)
            .min_by_key(|r| r.n)
            .map_or(per, |r| r.took.as_secs_f64() / r.n as f64);
        println!(
            "{:<32} {:>8} {:>9.2} s {:>10.1} µs {:>15.2}×",
            row.what,
            row.n,
            row.took.as_secs_f64(),
            per * 1e6,
            per / smallest
        );
    }
}
