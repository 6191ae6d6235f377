//! Approval bundles and keys as OpenSSH sees them: `ssh-keygen -lf` prints
//! the fingerprint Muster shows; `ssh-keygen -Y verify`, run with the exact
//! lines of a bundle's README, accepts every signature, refuses a tampered
//! copy and another namespace, and honours a key's retirement time.

use std::fs;
use std::path::Path;
use std::process::Command;

use muster_core::decision::model::Answer;
use muster_core::decision::sshsig;
use muster_core::fixtures::{
    approved, at, declare, key, key_of, laptop, ok, request, signature, ADA_OLD, T0,
};

/// The `ssh-keygen -Y verify` lines of the bundle's README.
fn readme_commands(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("README.md"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("ssh-keygen -Y verify "))
        .map(str::to_owned)
        .collect()
}

/// Runs one command line in `dir` with sh; its exit status and output.
fn run(dir: &Path, line: &str) -> (bool, String) {
    let out = Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("sh: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn the_fingerprint_is_the_one_ssh_keygen_prints() {
    let dir = tempdir();
    let path = dir.path().join("ada.pub");
    let public = key(1).public_key().clone();
    fs::write(&path, format!("{}\n", sshsig::public_line(&public))).unwrap();
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("ssh-keygen (openssh-client) must be installed: {e}"));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains(&sshsig::fingerprint(&public)),
        "{printed} vs {}",
        sshsig::fingerprint(&public)
    );
}

#[test]
fn ssh_keygen_verifies_every_signature_of_a_bundle_and_rejects_a_tampered_copy() {
    let data = tempdir();
    let out = tempdir();
    let bundle = out.path().join("bundle");
    let (mut store, r) = approved(data.path());
    ok(store.write_bundle(&r.id, &bundle, &at("2026-11-24T03:10:00Z")));

    let commands = readme_commands(&bundle);
    assert_eq!(commands.len(), 4, "{commands:?}");
    for command in &commands {
        let (good, output) = run(&bundle, command);
        assert!(
            good && output.contains("Good \"muster-decision-v1\" signature"),
            "{command}: {output}"
        );
    }

    // A tampered copy of the record (one letter of the statement) and of the rejection.
    let tampered = r.record.replace("Pause the Vault", "Pause the vault");
    assert_ne!(tampered, r.record);
    fs::write(bundle.join("tampered.txt"), &tampered).unwrap();
    let response = fs::read_to_string(bundle.join("04-dara-mock.reject.txt")).unwrap();
    fs::write(
        bundle.join("tampered-reject.txt"),
        response.replace("liquidations", "withdrawals"),
    )
    .unwrap();
    for command in &commands {
        let forged = command
            .replace("< record.txt", "< tampered.txt")
            .replace("< 04-dara-mock.reject.txt", "< tampered-reject.txt");
        assert_ne!(&forged, command);
        let (good, output) = run(&bundle, &forged);
        assert!(!good, "{forged} accepted a tampered copy: {output}");
        assert!(
            output.contains("Signature verification failed"),
            "{forged}: {output}"
        );
    }
    // Under the exercise namespace, a real signature is refused too.
    let exercise = commands[0].replace("-n muster-decision-v1", "-n muster-exercise-decision-v1");
    assert!(!run(&bundle, &exercise).0);
}

#[test]
fn an_exercise_bundle_verifies_under_the_exercise_namespace() {
    let data = tempdir();
    let out = tempdir();
    let mut store = laptop(data.path(), "ada-example", None);
    let incident = declare(&mut store, true);
    let r = request(&mut store, &incident, "pause-contract", 1);
    ok(store.sign_decision(&r.id, &Answer::Approve, &key_of("ada-example"), &at(T0)));
    ok(store.import_signature(
        &signature(&key_of("ben-sample"), &r, &Answer::Approve),
        &at(T0),
    ));
    ok(store.write_bundle(&r.id, out.path(), &at(T0)));
    let commands = readme_commands(out.path());
    assert_eq!(commands.len(), 2, "{commands:?}");
    for command in commands {
        assert!(
            command.contains("-n muster-exercise-decision-v1"),
            "{command}"
        );
        let (good, output) = run(out.path(), &command);
        assert!(good, "{command}: {output}");
    }
}

#[test]
fn a_key_retired_after_it_signed_verifies_at_the_time_it_signed_and_not_after() {
    let data = tempdir();
    let out = tempdir();
    // Ada signs with her old key, which the plan retires from 05:00.
    let mut store = laptop(data.path(), "ada-example", Some("2026-11-24T05:00:00Z"));
    let incident = declare(&mut store, false);
    let r = request(&mut store, &incident, "pause-contract", 1);
    let clock = at("2026-11-24T03:30:00Z");
    ok(store.import_signature(&signature(&key(ADA_OLD), &r, &Answer::Approve), &clock));
    ok(store.import_signature(
        &signature(&key_of("ben-sample"), &r, &Answer::Approve),
        &clock,
    ));
    ok(store.write_bundle(&r.id, out.path(), &at("2026-11-24T06:00:00Z")));
    let commands = readme_commands(out.path());
    assert!(
        commands[0].contains(" -Overify-time=20261124033000Z "),
        "{}",
        commands[0]
    );
    for command in &commands {
        let (good, output) = run(out.path(), command);
        assert!(good, "{command}: {output}");
    }
    // Checked at the moment of its retirement instead, the key is refused.
    let retired = commands[0].replace("=20261124033000Z", "=20261124050000Z");
    let (good, output) = run(out.path(), &retired);
    assert!(!good && output.contains("key has expired"), "{output}");
}
