//! Kills while a new data folder is opened: the process makes the database
//! beside its final name, seeds the starter plan and links it into place.
//! A kill may land anywhere in that; a later open must find one whole
//! database with the starter plan seeded exactly once.

use std::path::Path;

use muster_core::store::{DB_FILE, SCHEMA_VERSION, SEED_AUTHOR};

use super::folder::{delay, window};
use super::ledger::{number, read_only, texts};
use super::run::{Moment, Phase, Program, Programs, Runner, Wal};
use super::{Config, Rng, Tally};

/// Runs kills on new data folders until `config.seeding_kills` are done.
pub fn run(config: &Config, programs: &Programs, tally: &mut Tally) {
    let mut rng = Rng(config.seed ^ 0x5EED_0FF0_1DE5);
    let root = tempfile::tempdir().unwrap();
    let mut attempts = 0;
    let mut left_behind = 0;
    while tally.kills < config.seeding_kills && tally.failures.is_empty() {
        attempts += 1;
        if attempts > config.seeding_kills * 6 + 50 {
            tally.failures.push(format!(
                "only {} kills in {attempts} attempts: the opens finish before any kill",
                tally.kills
            ));
            break;
        }
        let data = root.path().join(format!("data-{attempts}"));
        let runner = Runner::new(&data, root.path(), programs);
        let declare = rng.chance(50);
        let (label, args): (&'static str, &[&str]) = if declare {
            (
                "new folder: incident declare",
                &[
                    "incident",
                    "declare",
                    "--issue",
                    "protocol-ddos",
                    "--severity",
                    "S3",
                ],
            )
        } else {
            ("new folder: plan show", &["plan", "show"])
        };
        let (moment, phase) = match tally.lengths.get(label) {
            None => (Moment::Never, None),
            Some(length) if rng.chance(50) => (delay(&mut rng, *length), Some(Phase::Delay)),
            Some(_) => {
                // A new database's log grows through the schema's
                // migrations and the seed: reach further into it.
                let (nth, then) = window(&mut rng);
                let nth = nth * (1 + rng.below(4) as u32);
                (Moment::WalGrowth { nth, then }, Some(Phase::CommitWindow))
            }
        };
        // Now and then a second process opens the same new folder at once.
        let companion = rng.chance(33).then(|| {
            let companion = Runner::new(&data, &root.path().join("companion"), programs);
            let (program, wal) = (plan_show(), Wal::Folder(data.clone()));
            std::thread::spawn(move || companion.run(&program, Moment::Never, &wal))
        });
        let program = Program::Muster(args.iter().map(|a| (*a).to_owned()).collect());
        let outcome = runner.run(&program, moment, &Wal::Folder(data.clone()));
        if outcome.acknowledged() {
            let learnt = tally
                .lengths
                .get(label)
                .map_or(outcome.took, |l| (*l * 3 + outcome.took) / 4);
            tally.lengths.insert(label, learnt);
        }
        match phase {
            None => tally.calibration_runs += 1,
            Some(phase) => tally.count(label, phase, outcome.killed),
        }
        let context = format!(
            "seed {}, new folder {attempts}, kill {}: {label}, {moment:?}, {}{}",
            config.seed,
            tally.kills,
            outcome.describe(),
            if companion.is_some() {
                ", beside a second open"
            } else {
                ""
            }
        );
        let mut problems = Vec::new();
        if outcome.hung || (!outcome.killed && outcome.code != Some(0)) {
            problems.push("the command failed without being killed".to_owned());
        }
        if let Some(companion) = companion {
            let out = companion.join().unwrap();
            if !out.acknowledged() {
                problems.push(format!("the second open failed: {}", out.describe()));
            }
        }
        let db = data.join(DB_FILE);
        if db.exists() {
            problems.extend(seeded_once(&db, "left by the kill"));
        } else if outcome.acknowledged() {
            problems.push("the command succeeded, yet there is no database".to_owned());
        }
        let incidents_before = if db.exists() { incidents(&db) } else { Ok(0) };
        // The next open works, on one whole seeded database.
        let next = runner.run(&plan_show(), Moment::Never, &Wal::Folder(data.clone()));
        if !next.acknowledged() || !next.stdout.contains("7. Decision process") {
            problems.push(format!("the next open failed: {}", next.describe()));
        }
        problems.extend(seeded_once(&db, "after the next open"));
        match (incidents_before, incidents(&db)) {
            (Ok(before), Ok(after)) => {
                let expected = usize::from(declare && outcome.acknowledged());
                if after != before || after > 1 || after < expected {
                    problems.push(format!(
                        "{after} incidents after the next open, {before} before ({expected} acknowledged)"
                    ));
                } else if declare && outcome.killed {
                    if after == 1 {
                        tally.landed += 1;
                    } else {
                        tally.rolled_back += 1;
                    }
                }
            }
            (Err(e), _) | (_, Err(e)) => problems.push(e),
        }
        if declare && outcome.acknowledged() {
            tally.acknowledged += 1;
            tally.presence_checks += 1;
        }
        tally.checks += 1;
        tally.deep_checks += 1;
        left_behind += leftovers(&data);
        if !problems.is_empty() {
            for problem in problems {
                tally.failures.push(format!("{context}: {problem}"));
            }
            let kept = root.keep();
            tally
                .failures
                .push(format!("the data folders are kept in {}", kept.display()));
            return;
        }
    }
    if left_behind > 0 {
        tally.notes.push(format!(
            "{left_behind} half-made databases (.{DB_FILE}.new-*) were left in the new folders by killed opens; later opens ignore them"
        ));
    }
}

/// `muster plan show`: an open that reads the plan, seeding a new folder.
fn plan_show() -> Program {
    Program::Muster(vec!["plan".to_owned(), "show".to_owned()])
}

/// The problems of the database at `db` (`when` says at which moment): it
/// checks whole, has this build's schema, one plan, and one revision, the
/// seed.
fn seeded_once(db: &Path, when: &str) -> Vec<String> {
    let conn = match read_only(db) {
        Ok(conn) => conn,
        Err(e) => return vec![format!("{when}: {e}")],
    };
    let facts = (|| -> Result<(Vec<String>, [i64; 4]), String> {
        let integrity = texts(&conn, "PRAGMA integrity_check")?
            .into_iter()
            .flatten()
            .collect();
        Ok((
            integrity,
            [
                number(&conn, "PRAGMA user_version")?,
                number(&conn, "SELECT count(*) FROM plan_meta")?,
                number(&conn, "SELECT count(*) FROM revision")?,
                number(
                    &conn,
                    &format!("SELECT count(*) FROM revision WHERE author = '{SEED_AUTHOR}'"),
                )?,
            ],
        ))
    })();
    match facts {
        Ok((integrity, [version, plans, revisions, seeds])) => {
            if integrity == ["ok"]
                && version == SCHEMA_VERSION
                && plans == 1
                && revisions == 1
                && seeds == 1
            {
                Vec::new()
            } else {
                vec![format!(
                    "{when}: integrity {integrity:?}, schema version {version} (this build: {SCHEMA_VERSION}), {plans} plans, {revisions} revisions, {seeds} seeds (one of each expected)"
                )]
            }
        }
        Err(e) => vec![format!("{when}: {e}")],
    }
}

/// How many incidents the database at `db` holds.
fn incidents(db: &Path) -> Result<usize, String> {
    let conn = read_only(db)?;
    number(&conn, "SELECT count(*) FROM incident").map(|n| n as usize)
}

/// The half-made databases a killed open left in `data`.
fn leftovers(data: &Path) -> usize {
    std::fs::read_dir(data).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with(&format!(".{DB_FILE}.new-"))
                    && !name.contains("-wal")
                    && !name.contains("-shm")
                    && !name.contains("-search")
            })
            .count()
    })
}
