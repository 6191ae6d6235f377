//! The kill harness: the `muster` command line is killed with SIGKILL at
//! random moments while it writes — plan-folder imports, contacts imports,
//! incident declarations, notes and acknowledgements, decision requests,
//! signatures (signed here with the key in a real OS keychain — gnome-keyring
//! on a private bus — or imported from a teammate's file) and attested
//! approvals — and so is a child that writes what the command line does not
//! offer (step marks, updates, exercise log entries, and plan edits of one
//! element) through the store as the app does. Each kill lands either after a random delay or inside the
//! commit window (the moment the write-ahead log grows).
//!
//! After every kill: SQLite's integrity check is `ok` (and no foreign key is
//! broken); every write acknowledged earlier (its command exited 0), and every
//! write once seen, is still there exactly once; a killed write is there whole
//! or not at all; the starter plan was seeded once; every decision's
//! signatures and attested approvals are each counted once on its incident's
//! timeline and in its quorum; `muster incident verify` finds the chain
//! intact; and the next command succeeds. A second test kills processes that
//! open a new data folder (seeding it) and checks that a later open finds
//! one whole, seeded database.
//!
//! Quick by default (it runs in the test command); `MUSTER_KILLS=600` asks
//! for 600 kills (and a tenth as many while seeding), `MUSTER_KILL_SEED=N`
//! replays a run's choices (each test prints the seed it drew). With
//! `--nocapture` each test prints its summary:
//!
//! ```text
//! MUSTER_KILLS=600 cargo test --features e2e --test app -- cli::kill --nocapture
//! ```

mod folder;
mod keychain;
mod ledger;
mod run;
mod seeding;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use run::Phase;

/// Kills of the quick mode (the test command), while writing and while seeding.
const QUICK_KILLS: usize = 32;
const QUICK_SEEDING_KILLS: usize = 8;

/// Kills on one data folder before the harness starts on a new one.
const KILLS_PER_FOLDER: usize = 150;

/// How many kills a run asks for, and the seed of its choices.
#[derive(Debug, Clone, Copy)]
struct Config {
    kills: usize,
    seeding_kills: usize,
    seed: u64,
}

impl Config {
    /// `MUSTER_KILLS` (else the quick mode) and `MUSTER_KILL_SEED` (else
    /// the clock), as the environment says.
    fn from_env() -> Config {
        let kills = std::env::var("MUSTER_KILLS").ok().map(|v| {
            v.trim()
                .parse::<usize>()
                .unwrap_or_else(|e| panic!("MUSTER_KILLS={v}: {e}"))
        });
        let seed = std::env::var("MUSTER_KILL_SEED").ok().map_or_else(
            || {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
            },
            |v| {
                let v = v.trim();
                v.strip_prefix("0x")
                    .map_or_else(|| v.parse::<u64>(), |hex| u64::from_str_radix(hex, 16))
                    .unwrap_or_else(|e| panic!("MUSTER_KILL_SEED={v}: {e}"))
            },
        );
        match kills {
            Some(kills) => Config {
                kills,
                seeding_kills: (kills / 10).max(QUICK_SEEDING_KILLS),
                seed,
            },
            None => Config {
                kills: QUICK_KILLS,
                seeding_kills: QUICK_SEEDING_KILLS,
                seed,
            },
        }
    }
}

/// A small seeded generator (SplitMix64): the same seed makes the same
/// choices, so a failing run can be replayed.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (which must not be empty).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A duration in `0..max`, to the microsecond.
    fn duration_below(&mut self, max: Duration) -> Duration {
        Duration::from_micros(self.below(max.as_micros() as u64))
    }
}

/// What a run did and found: kills by phase and by command, what the killed
/// writes left, the acknowledged writes checked, and every failure.
#[derive(Debug, Default)]
struct Tally {
    kills: usize,
    /// Per phase: commands killed, and commands that finished first (their
    /// writes then count as acknowledged, or as refused).
    killed_by_phase: BTreeMap<&'static str, usize>,
    finished_by_phase: BTreeMap<&'static str, usize>,
    /// Per command: kills in each phase.
    killed_by_command: BTreeMap<&'static str, BTreeMap<&'static str, usize>>,
    /// Killed writes found whole after the kill, and found absent.
    landed: usize,
    rolled_back: usize,
    /// Commands run to the end to learn their length (never killed).
    calibration_runs: usize,
    /// Writes acknowledged (their command exited 0), and how many times a
    /// write in the ledger (acknowledged, or seen after a kill) was looked for.
    acknowledged: usize,
    presence_checks: usize,
    /// Checks of the database after a run (integrity, foreign keys, the
    /// seed, the ledger, quorums against timelines); those after a kill that
    /// also ran the next commands and went through the store; and `muster
    /// incident verify` runs at the end of a folder.
    checks: usize,
    deep_checks: usize,
    final_verifies: usize,
    /// How long each command takes when it is not killed, as learnt.
    lengths: BTreeMap<&'static str, Duration>,
    /// Observations that are not failures (e.g. files left behind).
    notes: Vec<String>,
    failures: Vec<String>,
}

impl Tally {
    /// Counts one run of `command` in `phase`, killed or not.
    fn count(&mut self, command: &'static str, phase: Phase, killed: bool) {
        if killed {
            self.kills += 1;
            *self.killed_by_phase.entry(phase.name()).or_default() += 1;
            *self
                .killed_by_command
                .entry(command)
                .or_default()
                .entry(phase.name())
                .or_default() += 1;
        } else {
            *self.finished_by_phase.entry(phase.name()).or_default() += 1;
        }
    }

    /// The summary printed at the end of a run.
    fn summary(&self, title: &str, config: &Config, took: Duration) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "== {title} ==");
        let _ = writeln!(
            s,
            "seed {} (replay: MUSTER_KILL_SEED={}), {} kills in {:.1} s",
            config.seed,
            config.seed,
            self.kills,
            took.as_secs_f64()
        );
        let _ = writeln!(s, "kills by phase:");
        for phase in [Phase::Delay, Phase::CommitWindow] {
            let _ = writeln!(
                s,
                "  {:<16} {:>5} killed mid-command, {:>4} finished first",
                phase.name(),
                self.killed_by_phase.get(phase.name()).copied().unwrap_or(0),
                self.finished_by_phase
                    .get(phase.name())
                    .copied()
                    .unwrap_or(0)
            );
        }
        let _ = writeln!(s, "kills by command (random delay / commit window):");
        for (command, phases) in &self.killed_by_command {
            let get = |p: Phase| phases.get(p.name()).copied().unwrap_or(0);
            let _ = writeln!(
                s,
                "  {command:<30} {:>5} / {:<5} (learnt length {} ms)",
                get(Phase::Delay),
                get(Phase::CommitWindow),
                self.lengths.get(command).map_or(0, Duration::as_millis)
            );
        }
        let _ = writeln!(
            s,
            "killed writes found whole afterwards: {}, rolled back: {}",
            self.landed, self.rolled_back
        );
        let _ = writeln!(
            s,
            "acknowledged writes (exit 0): {}; ledger entries looked for after later runs: {} times",
            self.acknowledged, self.presence_checks
        );
        let _ = writeln!(
            s,
            "database checks after runs: {}, after kills with the next commands and the store: {}; `muster incident verify` at folders' ends: {}; runs timed, not killed: {}",
            self.checks, self.deep_checks, self.final_verifies, self.calibration_runs
        );
        for note in &self.notes {
            let _ = writeln!(s, "note: {note}");
        }
        let _ = writeln!(s, "failures: {}", self.failures.len());
        for failure in &self.failures {
            let _ = writeln!(s, "  FAILURE: {failure}");
        }
        s
    }

    /// Prints the summary and fails the test if anything failed.
    fn finish(&self, title: &str, config: &Config, started: Instant) {
        println!("{}", self.summary(title, config, started.elapsed()));
        assert!(
            self.failures.is_empty(),
            "{} failure(s); replay with MUSTER_KILL_SEED={}:\n{}",
            self.failures.len(),
            config.seed,
            self.failures.join("\n")
        );
    }
}

/// Plan-folder imports and plan edits, contacts imports, incident events,
/// decision requests, signatures and attested approvals, step marks, updates
/// and exercise log entries, each killed after a random delay or the moment the write-ahead
/// log grows: after every kill the database checks whole, nothing
/// acknowledged is missing or doubled, a killed write is whole or absent,
/// chains and quorums agree, and the next command works.
#[test]
fn killed_at_random_moments_no_acknowledged_write_is_lost_and_the_database_stays_whole() {
    let config = Config::from_env();
    let started = Instant::now();
    println!(
        "kill harness: seed {} (MUSTER_KILL_SEED={} replays it), {} kills",
        config.seed, config.seed, config.kills
    );
    let mut rng = Rng(config.seed);
    let mut tally = Tally::default();
    let programs = run::Programs::pin();
    let keychain = keychain::Keychain::start()
        .map_err(|why| {
            tally.notes.push(format!(
                "`muster decision sign` was not run (no OS keychain: {why}); Ada signed by file, with a fixture key"
            ));
        })
        .ok();
    let mut number = 0;
    // Enough attempts for every kill, however many commands finish first.
    let mut attempts = 0;
    while tally.kills < config.kills && tally.failures.is_empty() {
        number += 1;
        let mut folder = folder::Folder::set_up(
            number,
            config.seed,
            &programs,
            keychain.as_ref(),
            &mut tally,
        );
        let until = (tally.kills + KILLS_PER_FOLDER).min(config.kills);
        while tally.kills < until && tally.failures.is_empty() {
            attempts += 1;
            if attempts > config.kills * 6 + 200 {
                tally.failures.push(format!(
                    "only {} kills in {attempts} attempts: the commands finish before any kill",
                    tally.kills
                ));
                break;
            }
            folder.step(&mut rng, &mut tally);
        }
        folder.finish(&mut tally);
    }
    tally.finish("kill harness: writes", &config, started);
}

/// A process opening a new data folder (making and seeding its database)
/// killed after a random delay or the moment a write-ahead log in the folder
/// grows, sometimes beside a second process opening the same folder: what
/// is left is no database or a whole one, and a later open finds exactly one
/// seeded starter plan.
#[test]
fn killed_while_seeding_a_new_data_folder_a_later_open_finds_one_seeded_database() {
    let config = Config::from_env();
    let started = Instant::now();
    let mut tally = Tally::default();
    seeding::run(&config, &run::Programs::pin(), &mut tally);
    tally.finish("kill harness: seeding", &config, started);
}

/// Not a test of its own: run by the kill harness as a child process (with
/// `MUSTER_KILL_WRITE` set), it makes one write the command line does not
/// offer through the store, as the app would (a step mark, an update, an
/// exercise log entry), and is killed while it does. Otherwise it does nothing.
#[test]
fn writes_through_the_store_for_a_parent_kill_harness() {
    let Ok(spec) = std::env::var(run::WRITE) else {
        return;
    };
    let data = std::env::var(run::WRITE_DATA)
        .map(PathBuf::from)
        .unwrap_or_else(|e| panic!("{}: {e}", run::WRITE_DATA));
    folder::write_through_the_store(&data, &spec);
}
