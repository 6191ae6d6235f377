//! Running one command on a data folder and killing it with SIGKILL at a
//! chosen moment: after a delay, or the moment the write-ahead log grows
//! (inside the commit window).

use std::ffi::OsString;
use std::fs::{self, File};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The variable that makes the writer test write (its spec), and the one
/// naming its data folder.
pub const WRITE: &str = "MUSTER_KILL_WRITE";
pub const WRITE_DATA: &str = "MUSTER_KILL_WRITE_DATA";

/// The writer test's full name in this test binary.
const WRITER_TEST: &str = "cli::kill::writes_through_the_store_for_a_parent_kill_harness";

/// Longer than any command may take: one that runs longer is hung.
const HUNG: Duration = Duration::from_secs(60);

/// SIGKILL's number.
const SIGKILL: i32 = 9;

/// What to run.
#[derive(Debug, Clone)]
pub enum Program {
    /// The `muster` binary with these arguments, after `--data-dir DATA`.
    Muster(Vec<String>),
    /// This test binary's writer test, with this spec.
    Writer(String),
}

/// When the kill comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Never: the command runs to its end.
    Never,
    /// This long after the start.
    After(Duration),
    /// When the write-ahead log has grown `nth` times, and `then` later.
    WalGrowth { nth: u32, then: Duration },
}

/// The two kinds of kill, as the summary counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Delay,
    CommitWindow,
}

impl Phase {
    /// Its name in the summary.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Delay => "random delay",
            Phase::CommitWindow => "commit window",
        }
    }
}

/// The write-ahead log to watch: the database's own, or any `-wal` in a
/// folder (a new database is made in a file beside its final name).
#[derive(Debug, Clone)]
pub enum Wal {
    File(PathBuf),
    Folder(PathBuf),
}

impl Wal {
    /// Its size now, 0 when there is none.
    fn size(&self) -> u64 {
        match self {
            Wal::File(path) => fs::metadata(path).map_or(0, |m| m.len()),
            Wal::Folder(dir) => fs::read_dir(dir).map_or(0, |entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with("-wal"))
                    .map(|e| e.metadata().map_or(0, |m| m.len()))
                    .sum()
            }),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Ended by the harness's SIGKILL (false: it exited by itself first).
    pub killed: bool,
    /// Its exit code when it exited by itself.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// From its start to its end, as far as polling can tell.
    pub took: Duration,
    /// It ran past [`HUNG`] and was killed for it.
    pub hung: bool,
}

impl Outcome {
    /// It exited 0 by itself: its write is acknowledged.
    pub fn acknowledged(&self) -> bool {
        !self.killed && self.code == Some(0)
    }

    /// A line saying how it ended, for failure messages.
    pub fn describe(&self) -> String {
        if self.hung {
            format!("hung for {} s and was killed", HUNG.as_secs())
        } else if self.killed {
            format!("killed after {} µs", self.took.as_micros())
        } else {
            format!(
                "exited {:?} after {} ms; stdout: {:?}; stderr: {:?}",
                self.code,
                self.took.as_millis(),
                self.stdout.trim_end(),
                self.stderr.trim_end()
            )
        }
    }
}

/// The programs the harness runs, pinned for the whole run: hard links,
/// made at its start, to the built `muster` and to this test binary. A
/// rebuild while the harness runs replaces those files; the links keep the
/// programs it started with (the one under test, and the writer child's).
#[derive(Debug)]
pub struct Programs {
    _dir: tempfile::TempDir,
    muster: PathBuf,
    tests: PathBuf,
}

impl Programs {
    /// Pins both programs; where no link can be made (another file
    /// system), the built files themselves are run.
    pub fn pin() -> Programs {
        let dir = tempfile::tempdir().unwrap();
        let pin = |built: PathBuf, name: &str| {
            let pinned = dir.path().join(name);
            fs::hard_link(&built, &pinned).map_or(built, |()| pinned)
        };
        let muster = pin(PathBuf::from(env!("CARGO_BIN_EXE_muster")), "muster");
        let tests = pin(
            std::env::current_exe().unwrap_or_else(|e| panic!("where is this test binary? {e}")),
            "tests",
        );
        Programs {
            _dir: dir,
            muster,
            tests,
        }
    }
}

/// Runs commands on one data folder, their output in files beside it (a
/// pipe nobody reads could stall a command and skew where kills land).
#[derive(Debug, Clone)]
pub struct Runner {
    pub data: PathBuf,
    muster: PathBuf,
    tests: PathBuf,
    out: PathBuf,
    err: PathBuf,
    /// More environment for every command (the keychain's).
    env: Vec<(&'static str, OsString)>,
}

impl Runner {
    /// A runner of `programs` on `data`, keeping output in `scratch`.
    pub fn new(data: &Path, scratch: &Path, programs: &Programs) -> Runner {
        fs::create_dir_all(scratch).unwrap();
        Runner {
            data: data.to_owned(),
            muster: programs.muster.clone(),
            tests: programs.tests.clone(),
            out: scratch.join("stdout.txt"),
            err: scratch.join("stderr.txt"),
            env: Vec::new(),
        }
    }

    /// This runner, its commands run with `env` too.
    pub fn with_env(mut self, env: Vec<(&'static str, OsString)>) -> Runner {
        self.env = env;
        self
    }

    /// The command that runs `program` on this data folder.
    fn command(&self, program: &Program) -> Command {
        let mut command = self.bare_command(program);
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// [`Runner::command`] without the extra environment.
    fn bare_command(&self, program: &Program) -> Command {
        match program {
            Program::Muster(args) => {
                let mut c = Command::new(&self.muster);
                c.arg("--data-dir")
                    .arg(&self.data)
                    .args(args)
                    .env_remove("MUSTER_DATA_DIR")
                    .env("TZ", "UTC");
                c
            }
            Program::Writer(spec) => {
                let mut c = Command::new(&self.tests);
                c.args([WRITER_TEST, "--exact", "--nocapture", "--test-threads=1"])
                    .env(WRITE, spec)
                    .env(WRITE_DATA, &self.data)
                    .env_remove("MUSTER_DATA_DIR")
                    .env("TZ", "UTC");
                c
            }
        }
    }

    /// Runs `program`, killing it at `moment` (the log watched is `wal`).
    pub fn run(&self, program: &Program, moment: Moment, wal: &Wal) -> Outcome {
        let out = File::create(&self.out).unwrap();
        let err = File::create(&self.err).unwrap();
        let mut command = self.command(program);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        let mut wal_size = wal.size();
        let started = Instant::now();
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {program:?}: {e}"));
        let deadline = started + HUNG;
        let (status, hung) = match moment {
            Moment::Never => match exited_by(&mut child, deadline) {
                Some(status) => (status, false),
                None => (kill(&mut child), true),
            },
            Moment::After(delay) => match exited_by(&mut child, started + delay) {
                Some(status) => (status, false),
                None => (kill(&mut child), false),
            },
            Moment::WalGrowth { nth, then } => {
                let mut grown = 0;
                let mut spins = 0u32;
                loop {
                    let size = wal.size();
                    if size > wal_size {
                        grown += 1;
                        if grown >= nth {
                            break match spin_until(&mut child, Instant::now() + then) {
                                Some(status) => (status, false),
                                None => (kill(&mut child), false),
                            };
                        }
                    }
                    wal_size = size;
                    spins = spins.wrapping_add(1);
                    if spins.is_multiple_of(32) {
                        if let Ok(Some(status)) = child.try_wait() {
                            break (status, false);
                        }
                        if Instant::now() > deadline {
                            break (kill(&mut child), true);
                        }
                    }
                }
            }
        };
        let took = started.elapsed();
        Outcome {
            killed: status.signal() == Some(SIGKILL),
            code: status.code(),
            stdout: fs::read_to_string(&self.out).unwrap_or_default(),
            stderr: fs::read_to_string(&self.err).unwrap_or_default(),
            took,
            hung,
        }
    }
}

/// Waits (polling every half millisecond) until `child` exits or `deadline`
/// passes; its status, or `None` if it still runs.
fn exited_by(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        std::thread::sleep((deadline - now).min(Duration::from_micros(500)));
    }
}

/// [`exited_by`] without sleeping, for the microseconds after a log grew.
fn spin_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
    }
}

/// Sends SIGKILL (`Child::kill` on Unix) and reaps the child; its status
/// (an exit code if it had exited just before).
fn kill(child: &mut Child) -> ExitStatus {
    let _ = child.kill();
    child
        .wait()
        .unwrap_or_else(|e| panic!("cannot reap a killed child: {e}"))
}
