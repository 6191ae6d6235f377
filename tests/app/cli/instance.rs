//! One running app per data folder: a second launch on the same folder asks
//! the first to come forward and exits 0; the command line tells a running
//! app that incidents changed; different folders run side by side. The lock
//! is checked before any window opens, so a test can hold it itself and play
//! the running app.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::super::text;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Takes the data folder's lock as the running app would.
fn hold_lock(data: &Path) -> File {
    fs::create_dir_all(data).unwrap();
    let lock = File::create(data.join("muster.lock")).unwrap();
    lock.try_lock()
        .unwrap_or_else(|e| panic!("cannot lock: {e}"));
    lock
}

/// Plays the running app: answers `ok` to each request with the right
/// token, passing on what it was asked.
fn answer_as_the_running_app(data: &Path) -> mpsc::Receiver<String> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    fs::write(data.join("instance"), format!("{port} {TOKEN}\n")).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            let _ = (&stream).write_all(b"ok\n");
            let _ = tx.send(line.trim_end().to_owned());
        }
    });
    rx
}

fn launch(data: &Path, args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_muster"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("MUSTER_DATA_DIR")
        // No window could open here: only the single-instance check may answer.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap_or_else(|e| panic!("cannot run muster: {e}"));
    (out, started.elapsed())
}

#[test]
fn a_second_launch_on_the_same_folder_brings_the_first_forward_and_exits_0() {
    let root = temp();
    let data = root.path().join("data");
    let _lock = hold_lock(&data);
    let asked = answer_as_the_running_app(&data);

    let (out, took) = launch(&data, &[]);

    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "Muster is already running for {}; its window was brought forward\n",
            data.display()
        )
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(asked.try_recv().ok(), Some(format!("focus {TOKEN}")));
}

#[test]
fn a_running_app_that_does_not_answer_is_named_and_the_launch_fails() {
    let root = temp();
    let data = root.path().join("data");
    let _lock = hold_lock(&data);

    let (out, took) = launch(&data, &[]);

    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!(
            "muster: Muster is already running for {} but does not answer",
            data.display()
        )),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_declaration_on_the_command_line_tells_the_running_app() {
    let root = temp();
    let data = root.path().join("data");
    let _lock = hold_lock(&data);
    let asked = answer_as_the_running_app(&data);

    let (out, _) = launch(
        &data,
        &[
            "incident",
            "declare",
            "--issue",
            "protocol-ddos",
            "--severity",
            "S2",
        ],
    );

    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        asked.recv_timeout(Duration::from_secs(2)).ok(),
        Some(format!("changed {TOKEN}"))
    );
}
