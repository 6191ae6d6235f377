//! The runner with real processes: exit status and output, the time limit
//! stopping the command's children too, only the named environment, the
//! output bound, a program that cannot start.

use std::time::{Duration, Instant};

use super::*;

fn sh(script: &str, timeout_seconds: u32, env: &[&str]) -> StepCommand {
    StepCommand {
        argv: vec!["sh".to_owned(), "-c".to_owned(), script.to_owned()],
        dir: String::new(),
        timeout_seconds,
        env: env.iter().map(|e| (*e).to_owned()).collect(),
    }
}

#[test]
fn a_command_runs_to_its_end_with_its_status_and_output() {
    let ok = run(&sh("echo out; echo err >&2; exit 0", 10, &[]));
    assert_eq!(
        (ok.exit_code, ok.timed_out, ok.dry_run),
        (Some(0), false, false)
    );
    assert!(
        ok.output.contains("out\n") && ok.output.contains("err\n"),
        "{:?}",
        ok.output
    );
    let failed = run(&sh("echo nope; exit 3", 10, &[]));
    assert_eq!(failed.exit_code, Some(3));
}

#[test]
fn at_its_time_limit_the_command_and_its_children_are_stopped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pid_file = dir.path().join("child.pid");
    let script = format!(
        "sleep 60 & echo $! > '{}'; echo started; sleep 60",
        pid_file.display()
    );
    let started = Instant::now();
    let stopped = run(&sh(&script, 1, &[]));
    assert!(stopped.timed_out);
    assert_eq!(stopped.exit_code, None);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(stopped.output.contains("started"), "{:?}", stopped.output);
    let child: u32 = std::fs::read_to_string(&pid_file)
        .unwrap_or_default()
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("no child pid: {e}"));
    // The background child was in the command's group: gone too (once reaped).
    let deadline = Instant::now() + Duration::from_secs(5);
    let alive = || {
        std::fs::read_to_string(format!("/proc/{child}/stat"))
            .map(|s| !s.contains(") Z "))
            .unwrap_or(false)
    };
    while alive() {
        assert!(
            Instant::now() < deadline,
            "the child {child} outlived its command"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn only_the_named_environment_variables_are_passed() {
    // Cargo sets both for a test; the command names one.
    let ran = run(&sh(
        "echo \"[$CARGO_PKG_NAME][$CARGO_MANIFEST_DIR][${HOME:+home}]\"",
        10,
        &["CARGO_MANIFEST_DIR"],
    ));
    assert_eq!(
        ran.output.trim(),
        format!("[][{}][home]", env!("CARGO_MANIFEST_DIR"))
    );
}

#[test]
fn long_output_keeps_its_end_within_the_bound() {
    let ran = run(&sh(
        "yes line | head -c 200000; echo; echo the-end",
        10,
        &[],
    ));
    assert_eq!(ran.exit_code, Some(0));
    assert!(
        ran.output.len() <= 2 * MAX_COMMAND_OUTPUT + 64,
        "{}",
        ran.output.len()
    );
    assert!(ran.output.starts_with('['), "says what was left out");
    assert!(ran.output.trim_end().ends_with("the-end"));
}

#[test]
fn a_program_that_cannot_start_is_said() {
    let ran = run(&StepCommand {
        argv: vec!["/no/such/program".to_owned()],
        dir: String::new(),
        timeout_seconds: 5,
        env: Vec::new(),
    });
    assert_eq!((ran.exit_code, ran.timed_out), (None, false));
    assert!(
        ran.output.starts_with("could not start /no/such/program"),
        "{}",
        ran.output
    );
}
