//! Store tests of decisions: a 2-of-2 approval by files between two laptops,
//! the exercise namespace, attested approvals, rejections, and the private
//! key never reaching the data folder. One test per bad input is in
//! `refusals`.

use std::path::Path;

use chrono::Duration;

use super::*;
use crate::decision::model::{Answer, DecisionRequest, QuorumState, Standing, Verdict};
use crate::decision::sshsig;
use crate::decision::tests::fixture::{
    at, counts, declare, key, key_of, laptop, line, nonce, ok, refused, request, signature,
    signature_in, utc, with_keys, ADA_OLD, T0,
};
use crate::decision::{EXERCISE_NAMESPACE, NAMESPACE};
use crate::incident::model::IncidentId;
use crate::incident::timeline::kind;
use crate::plan::id;

mod refusals;

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The kinds of the incident's events after the declaration.
fn kinds(store: &mut Store, incident: &IncidentId) -> Vec<&'static str> {
    ok(store.events(incident))
        .iter()
        .skip(1)
        .map(|e| kind(&e.body))
        .collect()
}

fn approve() -> Answer {
    Answer::Approve
}

fn reject(reason: &str) -> Answer {
    Answer::Reject {
        reason: reason.to_owned(),
    }
}

/// A requester's laptop (Ada) with a real incident and a pause-contract request.
fn requester(dir: &Path) -> (Store, IncidentId, DecisionRequest) {
    let mut store = laptop(dir, "ada-example", None);
    let incident = declare(&mut store, false);
    let r = request(&mut store, &incident, "pause-contract", 1);
    (store, incident, r)
}

#[test]
fn a_two_of_two_approval_completes_by_files_between_two_laptops() {
    let (a_dir, b_dir) = (tempdir(), tempdir());
    let (mut ada, incident, r) = requester(a_dir.path());
    assert_eq!(r.namespace, NAMESPACE);
    assert!(r.local && !r.exercise);
    assert_eq!(
        (r.created, r.expires),
        (utc(T0), utc("2026-11-24T07:00:00Z"))
    );
    assert!(r
        .record
        .starts_with("Muster decision request v1\nnamespace: muster-decision-v1\n"));

    // Ada approves on her laptop: recorded at once.
    let clock = at("2026-11-24T03:02:00Z");
    let mine = ok(ada.sign_decision(&r.id, &approve(), &key_of("ada-example"), &clock));
    assert_eq!(
        (mine.signer.as_str(), mine.verdict),
        ("ada-example", Verdict::Approve)
    );
    let status = ok(ada.decision_status(&r.id, &clock));
    assert_eq!(status.quorum.state, QuorumState::Pending);
    assert_eq!(status.quorum.summary, "waiting for Ben Sample");
    assert_eq!(status.quorum.waiting_for, vec![id("ben-sample")]);

    // Ben's laptop takes in the request file (twice: the second changes nothing).
    let mut ben = laptop(b_dir.path(), "ben-sample", None);
    let imported = ok(ben.import_request(r.record.as_bytes(), &clock));
    assert_eq!(
        ok(ben.import_request(r.record.as_bytes(), &clock)),
        imported
    );
    assert_eq!((imported.id.clone(), imported.local), (r.id.clone(), false));
    assert_eq!(imported.record, r.record);
    let file = ok(ben.sign_decision(&r.id, &approve(), &key_of("ben-sample"), &clock));
    assert!(file.text.starts_with(&format!(
        "Muster decision signature v1\ndecision: {}\nverdict: approve\nreason:\nsigner-key: {}\n-----BEGIN SSH SIGNATURE-----\n",
        r.id,
        line(&key_of("ben-sample"))
    )));
    assert_eq!(
        file.fingerprint,
        sshsig::fingerprint(key_of("ben-sample").public_key())
    );
    // Ben's laptop keeps no signature of a request made elsewhere.
    assert!(ok(ben.decision_status(&r.id, &clock)).signatures.is_empty());

    // Ada takes in Ben's file: approved.
    let status = ok(ada.import_signature(&file.text, &at("2026-11-24T03:20:00Z")));
    assert_eq!(status.quorum.state, QuorumState::Approved);
    assert_eq!(status.quorum.summary, "approved by Ada Example, Ben Sample");
    let signers: Vec<(&str, u32)> = status
        .signatures
        .iter()
        .map(|s| (s.contact.as_str(), s.number))
        .collect();
    assert_eq!(signers, [("ada-example", 1), ("ben-sample", 2)]);
    assert_eq!(
        kinds(&mut ada, &incident),
        [
            "decisionRequested",
            "decisionSigned",
            "decisionSigned",
            "decisionResolved"
        ]
    );
    assert_eq!(ok(ada.verify_incident(&incident)).first_bad, None);
    let listed = ok(ada.decisions_for(&incident, &clock));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].quorum.state, QuorumState::Approved);
    assert!(ok(ben.decisions_for(&incident, &clock)).is_empty());
    assert_eq!(ok(ben.decisions(&clock)).len(), 1);

    // A co-signer after approval is recorded; the decision resolves once.
    let chloe = signature(&key_of("chloe-demo"), &r, &approve());
    ok(ada.import_signature(&chloe, &at("2026-11-24T03:30:00Z")));
    assert_eq!(kinds(&mut ada, &incident).len(), 5);
}

#[test]
fn an_exercise_incident_gets_the_exercise_namespace() {
    let dir = tempdir();
    let mut store = laptop(dir.path(), "ada-example", None);
    let drill = declare(&mut store, true);
    let r = request(&mut store, &drill, "pause-contract", 1);
    assert_eq!(
        (r.namespace.as_str(), r.exercise),
        (EXERCISE_NAMESPACE, true)
    );
    assert!(r
        .record
        .contains("\nnamespace: muster-exercise-decision-v1\n"));
    ok(store.sign_decision(&r.id, &approve(), &key_of("ada-example"), &at(T0)));
    let status =
        ok(store.import_signature(&signature(&key_of("ben-sample"), &r, &approve()), &at(T0)));
    assert_eq!(status.quorum.state, QuorumState::Approved);
}

#[test]
fn a_required_approvers_rejection_blocks_the_decision() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    ok(store.sign_decision(&r.id, &approve(), &key_of("ada-example"), &at(T0)));
    let file = signature(
        &key_of("ben-sample"),
        &r,
        &reject("The outflow is our own migration"),
    );
    let status = ok(store.import_signature(&file, &at(T0)));
    assert_eq!(status.quorum.state, QuorumState::Rejected);
    assert_eq!(status.quorum.summary, "rejected by Ben Sample");
    assert_eq!(
        status.signatures[1].reason,
        "The outflow is our own migration"
    );
    let events = ok(store.events(&incident));
    let last = events.last().map(crate::incident::timeline::describe);
    assert_eq!(
        last.map(|e| e.text),
        Some(format!("Decision {}: rejected by Ben Sample", r.id))
    );
    // Signing a rejection on this laptop goes through the same checks.
    let chloe_dir = tempdir();
    let mut chloe_store = laptop(chloe_dir.path(), "chloe-demo", None);
    ok(chloe_store.import_request(r.record.as_bytes(), &at(T0)));
    let file =
        ok(chloe_store.sign_decision(&r.id, &reject("Too early"), &key_of("chloe-demo"), &at(T0)));
    assert!(file.text.contains("\nverdict: reject\nreason: Too early\n"));
    ok(store.import_signature(&file.text, &at(T0)));
}

#[test]
fn a_decision_still_pending_when_its_incident_closes_is_closed_with_it_on_the_record() {
    use crate::incident::model::{IncidentAction, Phase};
    let dir = tempdir();
    let (mut store, incident, pending) = requester(dir.path());
    ok(store.sign_decision(&pending.id, &approve(), &key_of("ada-example"), &at(T0)));
    // A second request, settled before the close: it stays as it was.
    let settled = request(&mut store, &incident, "pause-contract", 2);
    let no = signature(&key_of("ben-sample"), &settled, &reject("Not ours"));
    ok(store.import_signature(&no, &at(T0)));
    // A third, expired before the close: it stays expired.
    let lapsed = ok(store.request_decision(
        &incident,
        &id("pause-contract"),
        "Pause the Vault contract on mainnet",
        Duration::minutes(5),
        nonce(3),
        &at(T0),
    ));
    let go = |store: &mut Store, to: Phase| {
        let action = IncidentAction::Transition {
            to,
            note: String::new(),
        };
        ok(store.act_on_incident(&incident, &action, &at("2026-11-24T04:00:00Z")))
    };
    go(&mut store, Phase::Resolved);
    assert_eq!(
        ok(store.decision_status(&pending.id, &at(T0))).quorum.state,
        QuorumState::Pending,
        "resolving closes nothing"
    );
    let closed = go(&mut store, Phase::Closed);
    assert_eq!(closed.phase, Phase::Closed);

    let status = ok(store.decision_status(&pending.id, &at("2026-11-24T04:01:00Z")));
    assert_eq!(status.quorum.state, QuorumState::Closed);
    assert_eq!(
        status.quorum.summary,
        "closed with its incident without approval (still needed: Ben Sample)"
    );
    assert_eq!(
        ok(store.decision_status(&settled.id, &at(T0))).quorum.state,
        QuorumState::Rejected
    );
    assert_eq!(
        ok(store.decision_status(&lapsed.id, &at("2026-11-24T04:01:00Z")))
            .quorum
            .state,
        QuorumState::Expired
    );
    // Recorded: the line follows the closing, once, by the person who closed.
    let events = ok(store.events(&incident));
    let tail: Vec<String> = events
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|e| crate::incident::timeline::describe(e).text)
        .collect();
    assert_eq!(
        tail[1],
        format!("Decision {}: {}", pending.id, status.quorum.summary)
    );
    assert!(tail[0].contains("Closed"), "{tail:?}");
    assert_eq!(
        events.last().map(|e| e.author.as_str()),
        Some("Ada Example")
    );
    // The same holds past its expiry: closed, not expired.
    assert_eq!(
        ok(store.decision_status(&pending.id, &at("2026-12-24T00:00:00Z")))
            .quorum
            .state,
        QuorumState::Closed
    );

    // No answer is taken any more, whichever way it comes; nothing changes.
    let late = signature(&key_of("ben-sample"), &pending, &approve());
    let said = "was closed with";
    refused(&mut store, &incident, said, |s| {
        s.import_signature(&late, &at("2026-11-24T04:02:00Z"))
    });
    refused(&mut store, &incident, said, |s| {
        s.attest_approval(
            &pending.id,
            &id("ben-sample"),
            "phone",
            utc("2026-11-24T04:02:00Z"),
            &id("ada-example"),
            &at("2026-11-24T04:02:00Z"),
        )
    });
    ok(store.set_profile_contact(&id("ben-sample")));
    refused(&mut store, &incident, said, |s| {
        s.sign_decision(
            &pending.id,
            &approve(),
            &key_of("ben-sample"),
            &at("2026-11-24T04:02:00Z"),
        )
    });
    ok(store.set_profile_contact(&id("ada-example")));

    // Reopened and closed again: what closed stays closed, recorded once.
    let reopen = IncidentAction::Reopen {
        reason: "Outflow again".to_owned(),
    };
    ok(store.act_on_incident(&incident, &reopen, &at("2026-11-24T05:00:00Z")));
    go(&mut store, Phase::Resolved);
    let before = ok(store.events(&incident)).len();
    go(&mut store, Phase::Closed);
    assert_eq!(ok(store.events(&incident)).len(), before + 1);
}

#[test]
fn attested_approvals_count_only_where_the_policy_allows_them() {
    let dir = tempdir();
    let (mut store, incident, pause) = requester(dir.path());
    let call = utc("2026-11-24T03:10:00Z");
    let now = at("2026-11-24T03:15:00Z");
    ok(store.sign_decision(&pause.id, &approve(), &key_of("ada-example"), &now));
    let status = ok(store.attest_approval(
        &pause.id,
        &id("ben-sample"),
        "phone",
        call,
        &id("ada-example"),
        &now,
    ));
    assert_eq!(status.quorum.state, QuorumState::Pending);
    assert!(!status.attestations[0].counts);
    assert_eq!(
        status.quorum.approvers[1].standing,
        Standing::AttestedNotCounted
    );
    // Ben then signs: the signature counts where the attestation did not.
    let file = signature(&key_of("ben-sample"), &pause, &approve());
    assert_eq!(
        ok(store.import_signature(&file, &now)).quorum.state,
        QuorumState::Approved
    );

    // Notify law enforcement allows attested approvals (the starter plan's choice).
    let law = request(&mut store, &incident, "notify-law-enforcement", 2);
    ok(store.sign_decision(&law.id, &approve(), &key_of("ada-example"), &now));
    let events = counts(&store, &incident).events;
    let status = ok(store.attest_approval(
        &law.id,
        &id("ben-sample"),
        "phone",
        call,
        &id("eli-forum"),
        &now,
    ));
    assert_eq!(status.quorum.state, QuorumState::Approved);
    assert_eq!(status.quorum.approvers[1].standing, Standing::Attested);
    let a = &status.attestations[0];
    assert_eq!(
        (
            a.approver_name.as_str(),
            a.channel.as_str(),
            a.witness_name.as_str(),
            a.counts,
            a.recorded_by.as_str()
        ),
        ("Ben Sample", "phone", "Eli Forum", true, "Ada Example")
    );
    assert_eq!(
        counts(&store, &incident).events,
        events + 2,
        "attested, then resolved"
    );
    let all = kinds(&mut store, &incident);
    assert_eq!(
        all[all.len() - 2..],
        ["decisionAttested", "decisionResolved"]
    );

    // Each refusal changes nothing.
    let attest = |s: &mut Store, who: &str, when: &str, witness: &str| {
        s.attest_approval(&law.id, &id(who), "phone", utc(when), &id(witness), &now)
    };
    refused(&mut store, &incident, "Ben Sample's approval of", |s| {
        attest(s, "ben-sample", "2026-11-24T03:10:00Z", "ada-example")
    });
    refused(
        &mut store,
        &incident,
        "Ada Example has already signed",
        |s| attest(s, "ada-example", "2026-11-24T03:10:00Z", "ben-sample"),
    );
    refused(
        &mut store,
        &incident,
        "is not an approver of the decision policy `notify-law-enforcement`",
        |s| attest(s, "chloe-demo", "2026-11-24T03:10:00Z", "ben-sample"),
    );
    let fund = request(&mut store, &incident, "access-emergency-fund", 3);
    let on_fund = |s: &mut Store, when: &str, witness: &str| {
        s.attest_approval(
            &fund.id,
            &id("chloe-demo"),
            "phone",
            utc(when),
            &id(witness),
            &now,
        )
    };
    refused(
        &mut store,
        &incident,
        "Chloe Demo cannot witness their own approval",
        |s| on_fund(s, "2026-11-24T03:10:00Z", "chloe-demo"),
    );
    refused(&mut store, &incident, "is in the future", |s| {
        on_fund(s, "2026-11-24T03:20:00Z", "ada-example")
    });
    refused(&mut store, &incident, "is before", |s| {
        on_fund(s, "2026-11-24T02:00:00Z", "ada-example")
    });
    refused(&mut store, &incident, "the channel is empty", |s| {
        s.attest_approval(
            &fund.id,
            &id("chloe-demo"),
            " ",
            call,
            &id("ada-example"),
            &now,
        )
    });
    // Every mistake at once, each at its field of the attestation.
    let all = store.attest_approval(
        &fund.id,
        &id("chloe-demo"),
        "",
        utc("2026-11-24T03:20:00Z"),
        &id("chloe-demo"),
        &now,
    );
    let Err(crate::Error::Invalid { problems, .. }) = all else {
        panic!("expected located problems, got {all:?}");
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.location.field).collect();
    assert_eq!(fields, ["witness", "approvedAt", "channel"]);
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
        }
    }
    out
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_private_key_never_reaches_the_data_folder() {
    let (a_dir, b_dir) = (tempdir(), tempdir());
    // Keys from seeds that look like real randomness.
    let ada_seed = nonce(201);
    let ben_seed = nonce(202);
    let ada_key = sshsig::generate(ada_seed);
    let ben_key = sshsig::generate(ben_seed);
    let keyed = |store: &mut Store| {
        let mut plan = with_keys(ok(store.plan()), None);
        plan.core_team[0].public_key = Some(line(&ada_key));
        plan.core_team[1].public_key = Some(line(&ben_key));
        ok(store.replace_plan(&plan, "Real keys", &at(T0)));
    };
    let mut ada = laptop(a_dir.path(), "ada-example", None);
    keyed(&mut ada);
    let mut ben = laptop(b_dir.path(), "ben-sample", None);
    keyed(&mut ben);
    let incident = declare(&mut ada, false);
    let r = request(&mut ada, &incident, "pause-contract", 1);
    let mine = ok(ada.sign_decision(&r.id, &approve(), &ada_key, &at(T0)));
    ok(ben.import_request(r.record.as_bytes(), &at(T0)));
    let theirs = ok(ben.sign_decision(&r.id, &reject("No"), &ben_key, &at(T0)));
    let status = ok(ada.import_signature(&theirs.text, &at(T0)));
    ok(ada.write_bundle(&r.id, &a_dir.path().join("bundle"), &at(T0)));

    let mut secrets: Vec<(String, Vec<u8>)> = Vec::new();
    for (who, seed, key) in [("ada", ada_seed, &ada_key), ("ben", ben_seed, &ben_key)] {
        secrets.push((format!("{who}'s seed"), seed.to_vec()));
        let pem = key.to_openssh(ssh_key::LineEnding::LF).unwrap();
        let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        secrets.push((format!("{who}'s PEM"), body.concat().into_bytes()));
        for (n, l) in body.iter().enumerate() {
            secrets.push((format!("{who}'s PEM line {}", n + 1), l.as_bytes().to_vec()));
        }
    }
    let ipc = format!(
        "{}{}{}",
        serde_json::to_string(&status).unwrap_or_default(),
        serde_json::to_string(&mine).unwrap_or_default(),
        serde_json::to_string(&theirs).unwrap_or_default()
    );
    for (what, secret) in &secrets {
        assert!(
            !holds(ipc.as_bytes(), secret),
            "{what} found in what goes to the UI"
        );
    }
    let search = |round: &str| {
        let all: Vec<_> = files(a_dir.path())
            .into_iter()
            .chain(files(b_dir.path()))
            .collect();
        for (path, bytes) in &all {
            for (what, secret) in &secrets {
                assert!(
                    !holds(bytes, secret),
                    "{what} found in {} ({round})",
                    path.display()
                );
            }
        }
        all.len()
    };
    // While the stores are open (the WAL holds the latest writes), and after.
    let wal = files(a_dir.path())
        .iter()
        .any(|(p, _)| p.to_string_lossy().ends_with("-wal"));
    assert!(wal, "the WAL is searched too");
    assert!(search("open") > 10);
    drop(ada);
    drop(ben);
    search("closed");
}

/// One identity per profile: once this laptop says who it is in the plan,
/// every change recorded here is by that person, not "Muster user".
#[test]
fn saying_who_you_are_names_the_author_of_every_change() {
    let dir = tempdir();
    let mut store = ok(Store::open_in(dir.path(), &at(T0)));
    assert_eq!(store.author(), crate::store::DEFAULT_AUTHOR);
    ok(store.set_profile_contact(&id("ada-example")));
    assert_eq!(store.author(), "Ada Example");
    assert_eq!(
        ok(store.setting("profile.name")).as_deref(),
        Some("Ada Example"),
        "kept for the next start"
    );
    let declaration = crate::incident::model::Declaration {
        issue: Some(id("oracle-failure")),
        category: None,
        title: None,
        severity: crate::plan::Severity::S2,
        exercise: false,
        description: String::new(),
        lead: None,
        scribe: None,
        communications: None,
    };
    let incident = ok(store.declare_incident(&declaration, &at(T0)));
    assert_eq!(incident.declared_by, "Ada Example");
}
