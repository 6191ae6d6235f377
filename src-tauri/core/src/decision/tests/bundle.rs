//! Bundle tests: what a bundle holds and the `ssh-keygen` lines its README
//! gives; `verify_bundle` accepts the bundle and refuses every kind of
//! tampering; a key retired since signing still verifies at the time it
//! signed. (That the real `ssh-keygen -Y verify` accepts those lines is
//! checked by the app's integration tests, `interop::ssh_keygen`: core's
//! unit tests run no external program.)

use std::fs;
use std::path::Path;

use super::fixture::{
    approved, at, declare, key, key_of, laptop, ok, request, signature, ADA_OLD, T0,
};
use crate::decision::model::{Answer, QuorumState};
use crate::decision::verify_bundle;

/// The `ssh-keygen -Y verify` lines of the bundle's README.
fn readme_commands(dir: &Path) -> Vec<String> {
    let readme =
        ok(fs::read_to_string(dir.join("README.md"))
            .map_err(|e| crate::Error::Corrupt(e.to_string())));
    readme
        .lines()
        .filter(|l| l.starts_with("ssh-keygen -Y verify "))
        .map(str::to_owned)
        .collect()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn a_bundle_holds_every_signature_and_the_lines_to_check_each() {
    let data = tempdir();
    let out = tempdir();
    let bundle = out.path().join("bundle");
    let (mut store, r) = approved(data.path());
    ok(store.write_bundle(&r.id, &bundle, &at("2026-11-24T03:10:00Z")));

    let mut names: Vec<String> =
        ok(fs::read_dir(&bundle).map_err(|e| crate::Error::Corrupt(e.to_string())))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-ada-example.sig",
            "02-ben-sample.sig",
            "03-chloe-demo.sig",
            "04-dara-mock.reject.sig",
            "04-dara-mock.reject.txt",
            "README.md",
            "allowed_signers",
            "attested.txt",
            "decision.json",
            "policy.json",
            "record.txt",
        ]
    );
    assert_eq!(
        fs::read(bundle.join("record.txt")).ok(),
        Some(r.record.as_bytes().to_vec())
    );
    let allowed = fs::read_to_string(bundle.join("allowed_signers")).unwrap_or_default();
    assert!(allowed.starts_with("ada-example namespaces=\"muster-decision-v1\" ssh-ed25519 AAAA"));
    assert_eq!(allowed.lines().count(), 4);

    let commands = readme_commands(&bundle);
    assert_eq!(
        commands.first().map(String::as_str),
        Some("ssh-keygen -Y verify -f allowed_signers -I ada-example -n muster-decision-v1 -s 01-ada-example.sig < record.txt")
    );
    assert_eq!(commands.len(), 4, "{commands:?}");
    assert!(commands[3].ends_with("-s 04-dara-mock.reject.sig < 04-dara-mock.reject.txt"));
}

#[test]
fn verify_bundle_accepts_the_bundle_and_refuses_a_tampered_one() {
    let data = tempdir();
    let out = tempdir();
    let bundle = out.path().join("bundle");
    let (mut store, r) = approved(data.path());
    ok(store.write_bundle(&r.id, &bundle, &at("2026-11-24T03:10:00Z")));

    let verdict = ok(verify_bundle(
        &bundle,
        &ok(store.plan()),
        crate::decision::tests::fixture::utc(T0),
    ));
    assert!(verdict.approved);
    assert_eq!(verdict.decision, r.id);
    assert_eq!(verdict.quorum.state, QuorumState::Approved);
    assert_eq!(verdict.verified.len(), 4);
    assert!(verdict.unsigned_counted.is_empty());
    // Long after expiry it is still approved: the approvals came in time.
    assert!(
        ok(verify_bundle(
            &bundle,
            &ok(store.plan()),
            crate::decision::tests::fixture::utc("2030-01-01T00:00:00Z")
        ))
        .approved
    );

    type Tamper = fn(&Path);
    let cases: Vec<(&str, Tamper, &str)> = vec![
        (
            "statement changed",
            |d| {
                edit(d, "record.txt", |t| {
                    t.replace("Pause the Vault", "Pause the vault")
                })
            },
            "01-ada-example.sig does not verify over record.txt: the bundle was altered",
        ),
        (
            "policy loosened",
            |d| edit(d, "policy.json", |t| t.replace("\"ada-example\",", "")),
            "policy.json is not the policy record.txt was requested under",
        ),
        (
            "signature altered",
            |d| {
                edit(d, "02-ben-sample.sig", |t| {
                    let mut lines: Vec<String> = t.lines().map(str::to_owned).collect();
                    let last = lines.len() - 2;
                    lines[last] = lines[last].chars().rev().collect();
                    lines.join("\n") + "\n"
                })
            },
            "02-ben-sample.sig",
        ),
        (
            "key swapped in allowed_signers",
            |d| {
                let other = crate::decision::sshsig::public_line(key(42).public_key());
                edit(d, "allowed_signers", |t| {
                    t.lines()
                        .map(|l| {
                            if l.starts_with("ben-sample ") {
                                format!("ben-sample namespaces=\"muster-decision-v1\" {other}")
                            } else {
                                l.to_owned()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
            },
            "02-ben-sample.sig: the key SHA256:",
        ),
        (
            "a signature passed off as another approver's",
            |d| copy(d, "03-chloe-demo.sig", "05-dara-mock.sig"),
            "05-dara-mock.sig: the key SHA256:",
        ),
        (
            "a rejection moved",
            |d| {
                edit(d, "04-dara-mock.reject.txt", |t| {
                    t.replace("liquidations", "withdrawals")
                })
            },
            "04-dara-mock.reject.sig does not verify over its rejection",
        ),
        (
            "a signature removed",
            |d| remove(d, "02-ben-sample.sig"),
            "decision.json lists 02-ben-sample.sig, which is missing from the bundle",
        ),
        (
            "the record removed",
            |d| remove(d, "record.txt"),
            "has no record.txt",
        ),
    ];
    for (what, tamper, expected) in cases {
        let copy = out.path().join(what.replace(' ', "-"));
        copy_dir(&bundle, &copy);
        tamper(&copy);
        let result = verify_bundle(
            &copy,
            &ok(store.plan()),
            crate::decision::tests::fixture::utc(T0),
        );
        match result {
            Err(crate::Error::Refused(message)) => {
                assert!(message.contains(expected), "{what}: {message}");
            }
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn a_pending_bundle_verifies_but_does_not_prove_an_approval() {
    let data = tempdir();
    let out = tempdir();
    let mut store = laptop(data.path(), "ada-example", None);
    let incident = declare(&mut store, false);
    let r = request(&mut store, &incident, "pause-contract", 1);
    ok(store.sign_decision(&r.id, &Answer::Approve, &key_of("ada-example"), &at(T0)));
    ok(store.write_bundle(&r.id, out.path(), &at(T0)));

    let verdict = ok(verify_bundle(
        out.path(),
        &ok(store.plan()),
        crate::decision::tests::fixture::utc(T0),
    ));
    assert!(!verdict.approved);
    assert_eq!(verdict.quorum.summary, "waiting for Ben Sample");
    let late = ok(verify_bundle(
        out.path(),
        &ok(store.plan()),
        crate::decision::tests::fixture::utc("2026-11-24T08:00:00Z"),
    ));
    assert_eq!(late.quorum.state, QuorumState::Expired);

    // The folder now holds a bundle: writing another there is refused.
    let again = store.write_bundle(&r.id, out.path(), &at(T0));
    assert!(
        matches!(&again, Err(crate::Error::Refused(m)) if m.contains("is not empty")),
        "{again:?}"
    );
}

#[test]
fn an_exercise_bundle_is_signed_and_checked_under_the_exercise_namespace() {
    let data = tempdir();
    let out = tempdir();
    let mut store = laptop(data.path(), "ada-example", None);
    let incident = declare(&mut store, true);
    let r = request(&mut store, &incident, "pause-contract", 1);
    assert!(r.exercise);
    ok(store.sign_decision(&r.id, &Answer::Approve, &key_of("ada-example"), &at(T0)));
    ok(store.import_signature(
        &signature(&key_of("ben-sample"), &r, &Answer::Approve),
        &at(T0),
    ));
    ok(store.write_bundle(&r.id, out.path(), &at(T0)));

    let readme = fs::read_to_string(out.path().join("README.md")).unwrap_or_default();
    assert!(readme.contains("**EXERCISE**"));
    for command in readme_commands(out.path()) {
        assert!(
            command.contains("-n muster-exercise-decision-v1"),
            "{command}"
        );
    }
    let verdict = ok(verify_bundle(
        out.path(),
        &ok(store.plan()),
        crate::decision::tests::fixture::utc(T0),
    ));
    assert!(verdict.approved);
    assert_eq!(verdict.namespace, "muster-exercise-decision-v1");
}

#[test]
fn a_key_retired_after_it_signed_still_verifies_at_the_time_it_signed() {
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

    let allowed = fs::read_to_string(out.path().join("allowed_signers")).unwrap_or_default();
    assert!(
        allowed.starts_with(
            "ada-example namespaces=\"muster-decision-v1\",valid-before=\"20261124045959Z\" ssh-ed25519 "
        ),
        "{allowed}"
    );
    let commands = readme_commands(out.path());
    assert!(
        commands[0].contains(" -Overify-time=20261124033000Z "),
        "{}",
        commands[0]
    );
    assert!(
        ok(verify_bundle(
            out.path(),
            &ok(store.plan()),
            crate::decision::tests::fixture::utc(T0)
        ))
        .approved
    );
}

fn io<T>(result: std::io::Result<T>) -> T {
    result.unwrap()
}

fn edit(dir: &Path, name: &str, change: impl FnOnce(&str) -> String) {
    let path = dir.join(name);
    let text = io(fs::read_to_string(&path));
    let changed = change(&text);
    assert_ne!(changed, text, "{name} did not change");
    io(fs::write(&path, changed));
}

fn copy(dir: &Path, from: &str, to: &str) {
    io(fs::copy(dir.join(from), dir.join(to)));
}

fn remove(dir: &Path, name: &str) {
    io(fs::remove_file(dir.join(name)));
}

fn copy_dir(from: &Path, to: &Path) {
    io(fs::create_dir_all(to));
    for entry in io(fs::read_dir(from)) {
        let entry = io(entry);
        io(fs::copy(entry.path(), to.join(entry.file_name())));
    }
}

/// The forgery the bundle's own `allowed_signers` cannot catch: every
/// signature re-made by an outsider's key, and that key written into
/// `allowed_signers` under the approvers' names. Checked against the plan
/// the checker holds, it is refused naming the key; a bundle that brings
/// its own policy (other approvers) is refused too.
#[test]
fn a_bundle_re_signed_by_an_outsider_is_refused_whatever_its_allowed_signers_say() {
    use crate::decision::{sshsig, NAMESPACE};
    let data = tempdir();
    let out = tempdir();
    let bundle = out.path().join("bundle");
    let (mut store, r) = approved(data.path());
    ok(store.write_bundle(&r.id, &bundle, &at("2026-11-24T03:10:00Z")));
    let plan = ok(store.plan());
    assert!(ok(verify_bundle(&bundle, &plan, super::fixture::utc(T0))).approved);

    let outsider = key(77);
    let record = fs::read(bundle.join("record.txt")).unwrap();
    for entry in fs::read_dir(&bundle).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".sig") else {
            continue;
        };
        // An approval signs the record; a rejection signs its response.
        let message = fs::read(bundle.join(format!("{stem}.txt"))).unwrap_or(record.clone());
        let forged = sshsig::sign(&outsider, NAMESPACE, &message).unwrap();
        fs::write(bundle.join(&name), forged).unwrap();
    }
    let outsider_line = sshsig::public_line(outsider.public_key());
    let allowed: String = fs::read_to_string(bundle.join("allowed_signers"))
        .unwrap()
        .lines()
        .map(|line| {
            let at = line.find("ssh-ed25519 ").unwrap_or(line.len());
            format!("{}{outsider_line}\n", &line[..at])
        })
        .collect();
    fs::write(bundle.join("allowed_signers"), allowed).unwrap();

    let forged = verify_bundle(&bundle, &plan, super::fixture::utc(T0));
    match forged {
        Err(crate::Error::Refused(message)) => assert!(
            message.contains(&sshsig::fingerprint(outsider.public_key()))
                && message.contains("is not a key the plan lists for"),
            "{message}"
        ),
        other => panic!("a forged bundle was not refused: {other:?}"),
    }

    // Against a plan whose policy differs (other approvers), a bundle is refused.
    let mut other = plan.clone();
    if let Some(policy) = other.decisions.iter_mut().find(|d| d.id == r.policy) {
        policy.required.retain(|a| a.as_str() != "ben-sample");
    }
    let elsewhere = out.path().join("intact");
    let (mut again, r2) = approved(tempdir().path());
    ok(again.write_bundle(&r2.id, &elsewhere, &at("2026-11-24T03:10:00Z")));
    let refused = verify_bundle(&elsewhere, &other, super::fixture::utc(T0));
    assert!(
        matches!(&refused, Err(crate::Error::Refused(m)) if m.contains("is not the plan's policy")),
        "{refused:?}"
    );
}
