//! One running app per data folder. The first launch takes an exclusive lock
//! on `<data>/muster.lock`, listens on a loopback port and writes the port and
//! a random token to `<data>/instance`. A later launch on the same folder
//! finds the lock taken, asks the running app to come forward (`focus`) and
//! exits; the command line tells it that incidents changed (`changed`).
//! Different data folders run side by side. Std only: no plugin.
//!
//! The protocol is one line each way over 127.0.0.1: `focus <token>` or
//! `changed <token>`, answered `ok` (or `refused` for a wrong token). The
//! token, readable only by the user, keeps other local users out.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock the running app holds.
pub const LOCK_FILE: &str = "muster.lock";
/// Where the running app says how to reach it: `<port> <token>`.
pub const INSTANCE_FILE: &str = "instance";

/// How long a second launch keeps trying to reach the running app (which
/// may be starting, or exiting and about to free the lock).
const PATIENCE: Duration = Duration::from_secs(3);
/// How long one exchange with the running app may take.
const EXCHANGE: Duration = Duration::from_secs(2);

/// What the running app is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Show, unminimize and focus the window.
    Focus,
    /// Incidents changed elsewhere (the command line): recompute and refresh.
    Changed,
}

impl Request {
    fn word(self) -> &'static str {
        match self {
            Request::Focus => "focus",
            Request::Changed => "changed",
        }
    }
}

/// This process is the app for its data folder: it holds the lock for as
/// long as it lives and answers later launches.
#[derive(Debug)]
pub struct Primary {
    /// Held, not read: the lock lasts as long as the open file.
    _lock: Option<File>,
    listener: TcpListener,
    token: String,
}

/// The outcome of [`claim`].
#[derive(Debug)]
pub enum Claim {
    /// Nobody else runs on this data folder: go on and open the window.
    Primary(Primary),
    /// Another app runs on it and has brought its window forward.
    Focused,
}

/// The data folder's lock file (made with the folder if need be), not locked
/// yet. On a folder that cannot be written, the lock file already there is
/// opened for reading (a lock needs no writing); `Ok(None)` when there is none.
fn lock_file(data_dir: &Path) -> Result<(std::path::PathBuf, Option<File>), String> {
    fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create the data folder {}: {e}", data_dir.display()))?;
    let path = data_dir.join(LOCK_FILE);
    let lock = match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(lock) => Some(lock),
        Err(e) if unwritable(&e) => File::open(&path).ok(),
        Err(e) => return Err(format!("cannot open {}: {e}", path.display())),
    };
    Ok((path, lock))
}

/// Whether `e` says the data folder cannot be written (a read-only mount,
/// no permission, a full disk): Muster then runs reading only, not at all
/// refusing to start.
fn unwritable(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::PermissionDenied
            | ErrorKind::ReadOnlyFilesystem
            | ErrorKind::StorageFull
            | ErrorKind::QuotaExceeded
    )
}

/// Claims `data_dir` for this process, or brings the app already running on
/// it forward. An error says why neither worked.
pub fn claim(data_dir: &Path) -> Result<Claim, String> {
    let (path, lock) = lock_file(data_dir)?;
    let Some(lock) = lock else {
        eprintln!(
            "muster: cannot make the lock file {} (the data folder cannot be written); a second Muster on this data folder will not be noticed",
            path.display()
        );
        return listen(data_dir, None).map(Claim::Primary);
    };
    let deadline = Instant::now() + PATIENCE;
    loop {
        match lock.try_lock() {
            Ok(()) => return listen(data_dir, Some(lock)).map(Claim::Primary),
            Err(TryLockError::WouldBlock) => match send(data_dir, Request::Focus) {
                Ok(()) => return Ok(Claim::Focused),
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                Err(e) => {
                    return Err(format!(
                        "Muster is already running for {} but does not answer ({e}); \
                         stop it, then start Muster again",
                        data_dir.display()
                    ))
                }
            },
            Err(TryLockError::Error(e)) => {
                // A file system without locks must not keep Muster from starting.
                eprintln!(
                    "muster: cannot lock {} ({e}); a second Muster on this data folder will not be noticed",
                    path.display()
                );
                return listen(data_dir, None).map(Claim::Primary);
            }
        }
    }
}

/// Holds `data_dir` for a command that must have it alone (a restore): an
/// error naming what to do while the app runs on it.
pub fn hold(data_dir: &Path) -> Result<File, String> {
    let (path, lock) = lock_file(data_dir)?;
    let lock = lock.ok_or_else(|| {
        format!(
            "cannot make the lock file {}: the data folder cannot be written. Nothing was changed",
            path.display()
        )
    })?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(TryLockError::WouldBlock) => Err(format!(
            "Muster is running on {}: quit it first (its tray menu → Quit), then run this again. Nothing was changed",
            data_dir.display()
        )),
        // A file system without locks: go on, as starting the app does.
        Err(TryLockError::Error(_)) => Ok(lock),
    }
}

/// Listens on a loopback port and tells later launches how to reach it.
fn listen(data_dir: &Path, lock: Option<File>) -> Result<Primary, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot listen on the loopback interface: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on the loopback interface: {e}"))?
        .port();
    let token = token()?;
    let file = data_dir.join(INSTANCE_FILE);
    if let Err(e) = write_private(&file, &format!("{port} {token}\n")) {
        if !unwritable(&e) {
            return Err(format!("cannot write {}: {e}", file.display()));
        }
        // Reading only: later launches will not find this one.
        eprintln!(
            "muster: cannot write {} ({e}); a second launch will open a second window",
            file.display()
        );
    }
    Ok(Primary {
        _lock: lock,
        listener,
        token,
    })
}

impl Primary {
    /// Answers later launches on a thread of its own for the rest of the
    /// process's life, calling `on` for each valid request.
    pub fn serve(self, on: impl Fn(Request) + Send + 'static) {
        let Primary {
            _lock: lock,
            listener,
            token,
        } = self;
        let spawned = std::thread::Builder::new()
            .name("single-instance".to_owned())
            .spawn(move || {
                // The thread lives as long as the process, and the lock with it.
                let _held = lock;
                for stream in listener.incoming().flatten() {
                    if let Some(request) = answer(stream, &token) {
                        on(request);
                    }
                }
            });
        if let Err(e) = spawned {
            eprintln!("muster: a second launch will not find this window: {e}");
        }
    }
}

/// Reads one request and answers it; the request when the token was right.
fn answer(stream: TcpStream, token: &str) -> Option<Request> {
    let _ = stream.set_read_timeout(Some(EXCHANGE));
    let _ = stream.set_write_timeout(Some(EXCHANGE));
    let mut line = String::new();
    BufReader::new(&stream).take_line(&mut line)?;
    let (word, given) = line.trim_end().split_once(' ')?;
    let request = [Request::Focus, Request::Changed]
        .into_iter()
        .find(|r| r.word() == word);
    let accepted = request.filter(|_| given == token);
    let reply = if accepted.is_some() {
        "ok\n"
    } else {
        "refused\n"
    };
    let _ = (&stream).write_all(reply.as_bytes());
    accepted
}

/// Asks the app running on `data_dir` to do `request`.
pub fn send(data_dir: &Path, request: Request) -> Result<(), String> {
    let path = data_dir.join(INSTANCE_FILE);
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (port, token) = text
        .trim()
        .split_once(' ')
        .and_then(|(p, t)| Some((p.parse::<u16>().ok()?, t)))
        .ok_or_else(|| format!("{} is not `<port> <token>`", path.display()))?;
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let stream = TcpStream::connect_timeout(&address, EXCHANGE)
        .map_err(|e| format!("cannot reach it on port {port}: {e}"))?;
    let _ = stream.set_read_timeout(Some(EXCHANGE));
    let _ = stream.set_write_timeout(Some(EXCHANGE));
    (&stream)
        .write_all(format!("{} {token}\n", request.word()).as_bytes())
        .map_err(|e| format!("cannot ask it: {e}"))?;
    let mut reply = String::new();
    BufReader::new(&stream)
        .take_line(&mut reply)
        .ok_or("it did not answer")?;
    match reply.trim() {
        "ok" => Ok(()),
        other => Err(format!("it answered {other:?}")),
    }
}

/// Tells the app running on `data_dir`, if any, that incidents changed. No
/// app running is not an error.
pub fn tell_changed(data_dir: &Path) {
    if data_dir.join(INSTANCE_FILE).is_file() {
        let _ = send(data_dir, Request::Changed);
    }
}

trait TakeLine {
    /// One line of at most 1 KiB; none on an error or an empty read.
    fn take_line(self, line: &mut String) -> Option<()>;
}

impl<R: std::io::Read> TakeLine for BufReader<R> {
    fn take_line(self, line: &mut String) -> Option<()> {
        use std::io::Read;
        match self.take(1024).read_line(line) {
            Ok(n) if n > 0 => Some(()),
            _ => None,
        }
    }
}

/// 32 random bytes in hex.
fn token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the OS: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes `text` to `path` readable by the user only, replacing it whole.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let temporary: PathBuf = path.with_extension("tmp");
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    let written = file.write_all(text.as_bytes());
    drop(file);
    if let Err(e) = written.and_then(|()| fs::rename(&temporary, path)) {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn a_second_claim_on_the_same_folder_focuses_the_first_and_another_folder_runs_alongside() {
        let root = temp();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        let Ok(Claim::Primary(first)) = claim(&a) else {
            panic!("the first claim did not win")
        };
        let (tx, rx) = std::sync::mpsc::channel();
        first.serve(move |r| {
            let _ = tx.send(r);
        });

        let second = claim(&a);
        assert!(matches!(second, Ok(Claim::Focused)), "{second:?}");
        assert_eq!(rx.recv_timeout(EXCHANGE).ok(), Some(Request::Focus));

        tell_changed(&a);
        assert_eq!(rx.recv_timeout(EXCHANGE).ok(), Some(Request::Changed));

        assert!(matches!(claim(&b), Ok(Claim::Primary(_))), "b is free");
    }

    #[test]
    fn a_wrong_token_is_refused_and_nothing_happens() {
        let dir = temp();
        let Ok(Claim::Primary(first)) = claim(dir.path()) else {
            panic!("the first claim did not win")
        };
        let (tx, rx) = std::sync::mpsc::channel();
        first.serve(move |r| {
            let _ = tx.send(r);
        });
        let file = dir.path().join(INSTANCE_FILE);
        let text = fs::read_to_string(&file).unwrap_or_default();
        let port = text.split(' ').next().unwrap_or_default().to_owned();
        assert_eq!(text.trim().len(), port.len() + 1 + 64, "{text}");
        fs::write(&file, format!("{port} guessed\n")).unwrap();

        assert_eq!(
            send(dir.path(), Request::Focus),
            Err("it answered \"refused\"".to_owned())
        );
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
    }
}
