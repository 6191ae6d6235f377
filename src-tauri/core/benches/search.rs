//! Search latency on a large plan: what a person typing into the search box
//! waits for, letter by letter. Compares Muster's `search` (ranking and
//! snippets) with a bare FTS5 MATCH on the same index, and fails when the
//! 99th percentile is above one frame at 60 Hz (16 ms).
//!
//! Run with `cargo bench -p muster-core --bench search`.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use muster_core::generate::{self, WORDS};
use muster_core::search;
use rusqlite::Connection;

const QUERIES: usize = 2_000;
const LIMIT: usize = 20;
const BUDGET_MS: f64 = 16.0;

fn main() -> ExitCode {
    let path = temp_path();
    let result = run(&path);
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(file));
    }
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("search bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the benchmark; `Ok(false)` when the budget is missed.
fn run(path: &PathBuf) -> Result<bool, Box<dyn std::error::Error>> {
    let size = common::large();
    let started = Instant::now();
    let plan = generate::plan(size, 2026);
    println!("generated plan {size:?} in {:.0} ms", ms(started.elapsed()));

    let mut conn = Connection::open(path)?;
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(&search_table_sql()?)?;

    let started = Instant::now();
    let tx = conn.transaction()?;
    search::rebuild(&tx, &plan)?;
    tx.commit()?;
    let build = started.elapsed();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let rows: i64 = conn.query_row("SELECT count(*) FROM search_index", [], |r| r.get(0))?;
    let bytes = std::fs::metadata(path)?.len();
    println!(
        "index build: {:.0} ms for {rows} rows; database size {:.1} MB",
        ms(build),
        bytes as f64 / 1e6
    );

    let started = Instant::now();
    let tx = conn.transaction()?;
    let changed = plan.procedures[4_321 % plan.procedures.len()]
        .id
        .to_string();
    search::reindex(&tx, &plan, muster_core::plan::Section::Procedures, &changed)?;
    tx.commit()?;
    println!("reindex one procedure: {:.2} ms", ms(started.elapsed()));

    // Warm the page cache and the statement cache, as a session that has
    // been searching would have; these are not measured.
    for q in typed_queries(200, 99) {
        search::search(&conn, &q, LIMIT)?;
    }

    let queries = typed_queries(common::runs(QUERIES), 7);
    let mut ours = Vec::with_capacity(queries.len());
    let mut raw = Vec::with_capacity(queries.len());
    let mut found = 0usize;
    let mut raw_stmt =
        conn.prepare("SELECT rowid FROM search_index WHERE search_index MATCH ?1 LIMIT 20")?;
    for q in &queries {
        let started = Instant::now();
        found += search::search(&conn, q, LIMIT)?.len();
        ours.push(started.elapsed());

        let started = Instant::now();
        if let Some(expression) = search::match_expression(q) {
            let ids = raw_stmt
                .query_map([expression], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            std::hint::black_box(ids);
        }
        raw.push(started.elapsed());
    }
    println!(
        "{} queries, e.g. {:?}; {:.1} hits per muster search on average",
        queries.len(),
        &queries[..queries.len().min(8)],
        found as f64 / queries.len() as f64
    );

    println!();
    println!(
        "{:<16} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "", "p50 ms", "p90 ms", "p99 ms", "max ms", "queries"
    );
    let p99 = row("muster search", &mut ours);
    row("raw FTS5 MATCH", &mut raw);
    println!();

    if p99 > BUDGET_MS && !common::quick() {
        println!("FAIL: muster search p99 {p99:.2} ms is above the {BUDGET_MS} ms budget");
        return Ok(false);
    }
    if !common::quick() {
        println!("ok: muster search p99 {p99:.2} ms is within the {BUDGET_MS} ms budget");
    }
    Ok(true)
}

/// Prints one table row and returns its p99 in milliseconds.
fn row(name: &str, times: &mut [Duration]) -> f64 {
    times.sort();
    let at = |q: f64| {
        let i = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1;
        ms(times[i])
    };
    let max = times.last().map(|d| ms(*d)).unwrap_or_default();
    println!(
        "{name:<16} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8}",
        at(0.50),
        at(0.90),
        at(0.99),
        max,
        times.len()
    );
    at(0.99)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `CREATE VIRTUAL TABLE search_index` statement, taken from migration
/// 0002 itself so the bench measures the table the app has.
fn search_table_sql() -> Result<String, String> {
    let migration = include_str!("../src/store/migrations/0002_editor.sql");
    let start = migration
        .find("CREATE VIRTUAL TABLE search_index")
        .ok_or("migration 0002 no longer creates search_index")?;
    let len = migration[start..]
        .find(");")
        .ok_or("unterminated CREATE VIRTUAL TABLE")?;
    Ok(migration[start..start + len + 2].to_owned())
}

fn temp_path() -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    std::env::temp_dir().join(format!(
        "muster-search-bench-{}-{nanos}.sqlite3",
        std::process::id()
    ))
}

/// What a person types, keystroke by keystroke: 1 to 3 vocabulary words,
/// each typed to a prefix of 2 to 6 letters ("p", "pa", "pau", "pau c", ...),
/// every intermediate state a query. Deterministic for `seed`.
fn typed_queries(count: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut next = move |n: usize| {
        // xorshift64*
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    };
    let mut queries = Vec::with_capacity(count);
    while queries.len() < count {
        let words = 1 + next(3);
        let mut typed = String::new();
        for w in 0..words {
            let word = WORDS[next(WORDS.len())];
            let letters = (2 + next(5)).min(word.len());
            if w > 0 {
                typed.push(' ');
            }
            for c in word.chars().take(letters) {
                typed.push(c);
                queries.push(typed.clone());
            }
        }
    }
    queries.truncate(count);
    queries
}
