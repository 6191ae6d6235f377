//! One test per bad input: a key not in the plan, altered bytes, a replay on
//! another decision, the exercise namespace on a real decision, an expired
//! request, a retired key after its retirement, a duplicate signature, a
//! signer who is not an approver, and malformed requests. Each asserts the
//! refusal's text and that nothing changed (decisions, signatures,
//! attestations, the incident's events and head hash).

use super::*;

#[test]
fn a_key_not_in_the_plan_is_refused() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    let stranger = key(42);
    let file = signature(&stranger, &r, &approve());
    let expected = format!(
        "the key {} that signed {} is not in the plan: no contact lists it, current or retired",
        sshsig::fingerprint(stranger.public_key()),
        r.id
    );
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&file, &at(T0))
    });
    // Signing here with a key that is not the profile's current key.
    refused(
        &mut store,
        &incident,
        "is not Ada Example's current key in the plan",
        |s| s.sign_decision(&r.id, &approve(), &stranger, &at(T0)),
    );
}

#[test]
fn altered_bytes_are_refused() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    let good = signature(&key_of("ben-sample"), &r, &approve());
    // One character of the signature itself (the last base64 line holds its tail).
    let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
    let tail = lines.len() - 2;
    let first = lines[tail].remove(0);
    lines[tail].insert(0, if first == 'A' { 'B' } else { 'A' });
    let altered = lines.join("\n") + "\n";
    let expected = format!(
        "the signature for {} does not verify over its record: the file was altered",
        r.id
    );
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&altered, &at(T0))
    });
    // A rejection's reason edited after signing.
    let rejection = signature(&key_of("ben-sample"), &r, &reject("Not yet"));
    let edited = rejection.replace("reason: Not yet", "reason: Not ever");
    refused(
        &mut store,
        &incident,
        "does not verify over its rejection and reason",
        |s| s.import_signature(&edited, &at(T0)),
    );
    // A rejection turned into an approval.
    let flipped = rejection
        .replace("verdict: reject", "verdict: approve")
        .replace("reason: Not yet", "reason:");
    refused(
        &mut store,
        &incident,
        "does not verify over its record",
        |s| s.import_signature(&flipped, &at(T0)),
    );
    // The signer-key line swapped for another approver's key.
    let swapped = good.replace(&line(&key_of("ben-sample")), &line(&key_of("chloe-demo")));
    refused(&mut store, &incident, "not the signer-key it names", |s| {
        s.import_signature(&swapped, &at(T0))
    });
    // Not a signature file at all.
    refused(
        &mut store,
        &incident,
        "this is not a Muster decision signature: line 1",
        |s| s.import_signature(&r.record, &at(T0)),
    );
}

#[test]
fn a_signature_replayed_on_another_decision_is_refused() {
    let dir = tempdir();
    let (mut store, incident, first) = requester(dir.path());
    let second = request(&mut store, &incident, "pause-contract", 2);
    let moved = |text: String| text.replace(first.id.as_str(), second.id.as_str());
    let approval = moved(signature(&key_of("ben-sample"), &first, &approve()));
    let expected = format!(
        "this signature was made for {}, not {}: a signature cannot be reused on another decision",
        first.id, second.id
    );
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&approval, &at(T0))
    });
    let rejection = moved(signature(&key_of("ben-sample"), &first, &reject("No")));
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&rejection, &at(T0))
    });
}

#[test]
fn the_exercise_namespace_on_a_real_decision_is_refused_and_vice_versa() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    let drill_sig = signature_in(&key_of("ben-sample"), &r, &approve(), EXERCISE_NAMESPACE);
    let expected = format!(
        "an exercise signature cannot count on a real decision: {} is real (muster-decision-v1) and this signature was made under muster-exercise-decision-v1",
        r.id
    );
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&drill_sig, &at(T0))
    });

    let drill = declare(&mut store, true);
    let e = request(&mut store, &drill, "pause-contract", 2);
    let real_sig = signature_in(&key_of("ben-sample"), &e, &approve(), NAMESPACE);
    refused(&mut store, &drill, "is an exercise decision (muster-exercise-decision-v1): this signature was made under `muster-decision-v1`", |s| {
        s.import_signature(&real_sig, &at(T0))
    });
}

#[test]
fn an_expired_request_is_refused() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    let file = signature(&key_of("ben-sample"), &r, &approve());
    let late = at("2026-11-24T07:00:01Z");
    let expected = format!("{} expired at 2026-11-24T07:00:00Z", r.id);
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&file, &late)
    });
    refused(&mut store, &incident, &expected, |s| {
        s.sign_decision(&r.id, &approve(), &key_of("ada-example"), &late)
    });
    let ben_dir = tempdir();
    let mut ben = laptop(ben_dir.path(), "ben-sample", None);
    let result = ben.import_request(r.record.as_bytes(), &late);
    assert!(
        matches!(&result, Err(Error::Refused(m)) if m.contains(&format!("the request {} expired at 2026-11-24T07:00:00Z", r.id))),
        "{result:?}"
    );
    assert!(ok(ben.decisions(&late)).is_empty());
    // At the second of expiry it still counts; the status says expired after.
    ok(store.import_signature(&file, &at("2026-11-24T07:00:00Z")));
    assert_eq!(
        ok(store.decision_status(&r.id, &late)).quorum.state,
        QuorumState::Expired
    );
}

#[test]
fn a_retired_key_is_refused_from_its_retirement_on() {
    let dir = tempdir();
    let mut store = laptop(dir.path(), "ada-example", Some("2026-11-24T04:00:00Z"));
    let incident = declare(&mut store, false);
    let before = request(&mut store, &incident, "pause-contract", 1);
    let after = request(&mut store, &incident, "pause-contract", 2);
    let old = key(ADA_OLD);
    // Before its retirement, the old key still counts.
    let early = signature(&old, &before, &approve());
    let status = ok(store.import_signature(&early, &at("2026-11-24T03:59:59Z")));
    assert_eq!(status.signatures[0].contact.as_str(), "ada-example");
    // From the moment of retirement on, it is refused.
    let file = signature(&old, &after, &approve());
    let expected = format!(
        "the key {} of Ada Example was retired on 2026-11-24T04:00:00Z",
        sshsig::fingerprint(old.public_key())
    );
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&file, &at("2026-11-24T04:00:00Z"))
    });
    refused(&mut store, &incident, "your key SHA256:", |s| {
        s.sign_decision(&after.id, &approve(), &old, &at("2026-11-24T04:30:00Z"))
    });
}

#[test]
fn a_duplicate_signature_is_refused() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    let file = signature(&key_of("ben-sample"), &r, &approve());
    ok(store.import_signature(&file, &at(T0)));
    let expected = format!(
        "Ben Sample has already signed {} (approved): a person counts once",
        r.id
    );
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&file, &at(T0))
    });
    let change_of_mind = signature(&key_of("ben-sample"), &r, &reject("Changed my mind"));
    refused(&mut store, &incident, &expected, |s| {
        s.import_signature(&change_of_mind, &at(T0))
    });
    ok(store.sign_decision(&r.id, &approve(), &key_of("ada-example"), &at(T0)));
    refused(
        &mut store,
        &incident,
        "Ada Example has already signed",
        |s| s.sign_decision(&r.id, &approve(), &key_of("ada-example"), &at(T0)),
    );
}

#[test]
fn a_signer_who_is_not_an_approver_is_refused() {
    let dir = tempdir();
    let (mut store, incident, _) = requester(dir.path());
    // The emergency fund needs the CEO and the CFO; Ben is neither.
    let r = request(&mut store, &incident, "access-emergency-fund", 2);
    let file = signature(&key_of("ben-sample"), &r, &approve());
    let expected = "Ben Sample (ben-sample) is not an approver of the decision policy `access-emergency-fund`: its approvers are ada-example, chloe-demo";
    refused(&mut store, &incident, expected, |s| {
        s.import_signature(&file, &at(T0))
    });
    ok(store.set_profile_contact(&id("ben-sample")));
    refused(&mut store, &incident, expected, |s| {
        s.sign_decision(&r.id, &approve(), &key_of("ben-sample"), &at(T0))
    });
}

#[test]
fn import_request_checks_the_format_and_the_policy() {
    let (a_dir, b_dir) = (tempdir(), tempdir());
    let (_, _, r) = requester(a_dir.path());
    let mut ben = laptop(b_dir.path(), "ben-sample", None);
    let clock = at(T0);
    let refuse = |store: &mut Store, bytes: &[u8], expected: &str| {
        let result = store.import_request(bytes, &clock);
        assert!(
            matches!(&result, Err(Error::Refused(m)) if m.contains(expected)),
            "{expected}: {result:?}"
        );
        assert!(ok(store.decisions(&clock)).is_empty());
    };
    let altered = r.record.replace("statement: Pause", "statement: Unpause");
    refuse(
        &mut ben,
        altered.replace('\n', "\r\n").as_bytes(),
        "ends in CR LF",
    );
    refuse(
        &mut ben,
        b"hello\n",
        "line 1 should be `Muster decision request v1`",
    );
    // A plan without the policy cannot take the request in.
    let mut plan = ok(ben.plan());
    plan.decisions.retain(|d| d.id.as_str() != "pause-contract");
    plan.procedures
        .iter_mut()
        .flat_map(|p| p.steps.iter_mut())
        .filter(|s| {
            s.decision
                .as_ref()
                .is_some_and(|d| d.as_str() == "pause-contract")
        })
        .for_each(|s| s.decision = None);
    ok(ben.replace_plan(&plan, "No pause", &clock));
    refuse(
        &mut ben,
        r.record.as_bytes(),
        "is under the decision policy `pause-contract`, which this plan does not have",
    );
    // Taken in, then a different file with the same id is refused.
    let chloe_dir = tempdir();
    let mut chloe = laptop(chloe_dir.path(), "chloe-demo", None);
    ok(chloe.import_request(r.record.as_bytes(), &clock));
    let result = chloe.import_request(altered.as_bytes(), &clock);
    assert!(
        matches!(&result, Err(Error::Refused(m)) if m.contains("another request with the id")),
        "{result:?}"
    );
}

#[test]
fn request_decision_refuses_bad_input_and_changes_nothing() {
    let dir = tempdir();
    let (mut store, incident, _) = requester(dir.path());
    let ask = |s: &mut Store, policy: &str, statement: &str, hours: i64, n: u8| {
        s.request_decision(
            &incident,
            &id(policy),
            statement,
            Duration::hours(hours),
            nonce(n),
            &at(T0),
        )
    };
    refused(&mut store, &incident, "the statement is empty", |s| {
        ask(s, "pause-contract", "  ", 4, 5)
    });
    refused(
        &mut store,
        &incident,
        "the statement has more than one line",
        |s| ask(s, "pause-contract", "Pause\nand unpause", 4, 5),
    );
    let long = "x".repeat(501);
    refused(
        &mut store,
        &incident,
        "the statement is 501 characters long",
        |s| ask(s, "pause-contract", &long, 4, 5),
    );
    refused(
        &mut store,
        &incident,
        "a request expires between 1 minute and 30 days",
        |s| ask(s, "pause-contract", "Pause", 0, 5),
    );
    refused(&mut store, &incident, "the nonce was used before", |s| {
        ask(s, "pause-contract", "Pause", 4, 1)
    });
    refused(
        &mut store,
        &incident,
        "no decision policy has the id `no-such-policy`",
        |s| ask(s, "no-such-policy", "Pause", 4, 5),
    );
    // Every mistake at once, each at its field.
    let all = ask(&mut store, "no-such-policy", "Pause\nand more", 0, 5);
    let Err(Error::Invalid { what, problems }) = all else {
        panic!("{all:?}")
    };
    assert_eq!(what, "decision request");
    let fields: Vec<&str> = problems.iter().map(|p| p.location.field).collect();
    assert_eq!(fields, ["statement", "expiresInMinutes", "policy"]);
    // A statement of exactly 500 characters is fine.
    ok(ask(&mut store, "pause-contract", &"x".repeat(500), 4, 6));
}

#[test]
fn signing_needs_the_profile_contact_and_its_current_key() {
    let dir = tempdir();
    let (mut store, incident, r) = requester(dir.path());
    ok(store.set_setting(crate::store::decisions::PROFILE_CONTACT, None));
    refused(
        &mut store,
        &incident,
        "run `muster key init --as CONTACT` first",
        |s| s.sign_decision(&r.id, &approve(), &key_of("ada-example"), &at(T0)),
    );
    let plan = ok(store.plan());
    let mut keyless = plan.clone();
    keyless.core_team[0].public_key = None;
    ok(store.replace_plan(&keyless, "No key", &at(T0)));
    ok(store.set_profile_contact(&id("ada-example")));
    refused(
        &mut store,
        &incident,
        "Ada Example has no public key in the plan",
        |s| s.sign_decision(&r.id, &approve(), &key_of("ada-example"), &at(T0)),
    );
    let result = store.set_profile_contact(&id("eli-forum"));
    assert!(matches!(result, Err(Error::NotFound { .. })), "{result:?}");
    assert_eq!(ok(store.profile_contact()), Some(id("ada-example")));
}
