//! Runs a step's command: the program and its arguments as the plan writes
//! them, never through a shell; in its folder (the person's home when none
//! is given); with no environment but PATH, HOME, LANG and the variables
//! the command names; in a process group of its own, so that at its time
//! limit the whole group — the command and every child it started — is
//! stopped. What it prints (standard output and error, interleaved as read)
//! is kept up to a bound, its end when longer.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use muster_core::incident::MAX_COMMAND_OUTPUT;
use muster_core::plan::StepCommand;
use muster_core::store::CommandRun;

/// Variables every command gets from Muster's environment.
const ALWAYS: [&str; 3] = ["PATH", "HOME", "LANG"];

/// Runs `command` to its end or its time limit.
pub fn run(command: &StepCommand) -> CommandRun {
    let started = Instant::now();
    let finished = |exit_code, timed_out, output: String| CommandRun {
        dry_run: false,
        exit_code,
        timed_out,
        output,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    let Some((program, args)) = command.argv.split_first() else {
        return finished(None, false, "no program to run".to_owned());
    };
    let dir = if command.dir.trim().is_empty() {
        std::env::var_os("HOME").map_or_else(|| PathBuf::from("/"), PathBuf::from)
    } else {
        PathBuf::from(&command.dir)
    };
    let mut child = Command::new(program);
    child
        .args(args)
        .current_dir(&dir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in ALWAYS
        .iter()
        .copied()
        .chain(command.env.iter().map(String::as_str))
    {
        if let Some(value) = std::env::var_os(name) {
            child.env(name, value);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        child.process_group(0);
    }
    let mut child = match child.spawn() {
        Ok(child) => child,
        Err(e) => {
            return finished(
                None,
                false,
                format!("could not start {program} in {}: {e}", dir.display()),
            )
        }
    };
    let output = Arc::new(Mutex::new(Output::default()));
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut stream| {
        let output = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut o) = output.lock() {
                    o.push(&buf[..n]);
                }
            }
        })
    })
    .collect();
    let limit = Duration::from_secs(u64::from(command.timeout_seconds));
    let (exit_code, timed_out) = loop {
        match child.try_wait() {
            Ok(Some(status)) => break (status.code(), false),
            Ok(None) if started.elapsed() >= limit => {
                stop_group(child.id());
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break (None, false),
        }
    };
    // A child that outlived the command (started in the background) holds
    // the pipes open: it is stopped with the group, then the readers end.
    stop_group(child.id());
    for reader in readers {
        let _ = reader.join();
    }
    let text = output.lock().map(|o| o.text()).unwrap_or_default();
    finished(exit_code, timed_out, text)
}

/// Stops every process of the group `pid` leads.
fn stop_group(pid: u32) {
    #[cfg(unix)]
    {
        use nix::sys::signal::{killpg, Signal};
        use nix::unistd::Pid;
        if let Ok(pid) = i32::try_from(pid) {
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
}

/// What a command printed: the first bytes up to twice the bound, then only
/// the latest bound's worth, with a count of what was dropped between.
#[derive(Debug, Default)]
struct Output {
    bytes: Vec<u8>,
    dropped: usize,
}

impl Output {
    fn push(&mut self, data: &[u8]) {
        self.bytes.extend_from_slice(data);
        if self.bytes.len() > 2 * MAX_COMMAND_OUTPUT {
            let cut = self.bytes.len() - MAX_COMMAND_OUTPUT;
            self.bytes.drain(..cut);
            self.dropped += cut;
        }
    }

    fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.bytes);
        if self.dropped == 0 {
            text.into_owned()
        } else {
            format!("[{} earlier bytes were left out]\n{text}", self.dropped)
        }
    }
}

#[cfg(test)]
mod tests;
