//! Decision tests without a store: the record's exact bytes and its strict
//! parse, the signature file, SSHSIG sign and verify, the quorum table, and
//! how the timeline describes decision events. Bundles are in `tests/bundle`.

pub(crate) use crate::fixtures as fixture;

mod bundle;

use self::fixture::{key, utc};
use super::model::{QuorumState, Standing, Verdict};
use super::quorum::{evaluate, Open, Vote};
use super::record::{decision_id, response_bytes, sha256_hex, Record, SignatureText};
use super::sshsig::{self, VerifyError};
use super::{EXERCISE_NAMESPACE, NAMESPACE};
use crate::incident::model::{Event, EventBody, IncidentId};
use crate::incident::timeline::describe;
use crate::plan::{id, DecisionPolicy, Id};

fn record() -> Record {
    let mut nonce = [0u8; 32];
    for (i, b) in nonce.iter_mut().enumerate() {
        *b = i as u8 * 7;
    }
    Record {
        namespace: NAMESPACE.to_owned(),
        decision: decision_id(&nonce),
        incident: IncidentId("INC-3".to_owned()),
        policy: id("pause-contract"),
        policy_version: sha256_hex(b"policy"),
        plan: sha256_hex(b"plan"),
        statement: "Pause the Vault contract on mainnet".to_owned(),
        created: utc("2026-11-24T03:00:00Z"),
        expires: utc("2026-11-24T07:00:00Z"),
        nonce,
    }
}

#[test]
fn the_record_is_the_documented_bytes_and_parses_back() {
    let r = record();
    let bytes = r.to_bytes();
    let expected = format!(
        "Muster decision request v1\n\
         namespace: muster-decision-v1\n\
         decision: DEC-00070e151c232a31\n\
         incident: INC-3\n\
         policy: pause-contract\n\
         policy-version: sha256:{}\n\
         plan: sha256:{}\n\
         statement: Pause the Vault contract on mainnet\n\
         created: 2026-11-24T03:00:00Z\n\
         expires: 2026-11-24T07:00:00Z\n\
         nonce: 00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9\n",
        sha256_hex(b"policy"),
        sha256_hex(b"plan")
    );
    assert_eq!(String::from_utf8_lossy(&bytes), expected);
    assert_eq!(Record::parse(&bytes).unwrap(), r);
}

#[test]
fn a_record_that_is_not_exactly_as_written_is_refused_with_its_line() {
    let good = String::from_utf8_lossy(&record().to_bytes()).into_owned();
    let cases: Vec<(String, &str)> = vec![
        (good.replace('\n', "\r\n"), "line 1 ends in CR LF"),
        (good.trim_end().to_owned(), "does not end with a line break"),
        (
            good.replacen("request v1", "request v2", 1),
            "line 1 should be",
        ),
        (
            good.replacen("muster-decision-v1", "git", 1),
            "line 2 names the namespace `git`",
        ),
        (
            good.replacen("DEC-00070e151c232a31", "DEC-00070e151c232a32", 1),
            "line 3 names `DEC-00070e151c232a32`, but the nonce gives",
        ),
        (good.replacen("INC-3", "INC-x", 1), "line 4 names `INC-x`"),
        (
            good.replacen("policy: pause-contract", "policy: Pause", 1),
            "line 5 names no policy id",
        ),
        (
            good.replacen("policy-version: sha256:", "policy-version: md5:", 1),
            "line 6 should hold `policy-version: sha256:`",
        ),
        (
            good.replacen("statement: Pause", "statement:  Pause", 1),
            "line 8 has blanks around the statement",
        ),
        (
            good.replacen("03:00:00Z", "03:00:00+00:00", 1),
            "line 9 should hold `created: `",
        ),
        (
            good.replacen("07:00:00Z", "02:00:00Z", 1),
            "line 10 says it expired before it was created",
        ),
        (
            good.replacen("nonce: 00", "nonce: 0", 1),
            "line 11 should hold the nonce",
        ),
        (
            good.replacen("statement: Pause the Vault contract on mainnet\n", "", 1),
            "it has 10 lines, not 11",
        ),
        (
            good.replacen("plan: ", "plan:", 1),
            "line 7 should start with `plan: `",
        ),
    ];
    for (text, expected) in cases {
        let message = Record::parse(text.as_bytes())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.starts_with("this is not a Muster decision request")
                && message.contains(expected),
            "{expected}: {message}"
        );
    }
    let latin1 = [b"Muster decision request v1\n".as_slice(), &[0xe9, b'\n']].concat();
    let message = Record::parse(&latin1).err().map(|e| e.to_string());
    assert!(message.is_some_and(|m| m.contains("not UTF-8 text (byte 28)")));
}

#[test]
fn sign_and_verify_round_trip() {
    let ada = key(1);
    let message = record().to_bytes();
    let armored = sshsig::sign(&ada, NAMESPACE, &message).unwrap();
    assert!(armored.starts_with("-----BEGIN SSH SIGNATURE-----\n"));
    assert!(armored.trim_end().ends_with("-----END SSH SIGNATURE-----"));
    let sig = sshsig::parse_signature(&armored).unwrap();
    let public = ada.public_key();

    assert_eq!(sshsig::verify(public, NAMESPACE, &message, &sig), Ok(()));
    assert_eq!(sig.hash_alg(), ssh_key::HashAlg::Sha512);
    // Ed25519 is deterministic: the same key and bytes give the same signature.
    assert_eq!(sshsig::sign(&ada, NAMESPACE, &message).ok(), Some(armored));

    let mut altered = message.clone();
    altered[40] ^= 1;
    assert_eq!(
        sshsig::verify(public, NAMESPACE, &altered, &sig),
        Err(VerifyError::Invalid)
    );
    assert_eq!(
        sshsig::verify(public, EXERCISE_NAMESPACE, &message, &sig),
        Err(VerifyError::Namespace(NAMESPACE.to_owned()))
    );
    assert_eq!(
        sshsig::verify(key(2).public_key(), NAMESPACE, &message, &sig),
        Err(VerifyError::OtherKey)
    );
    // The same seed gives the same key; another seed another.
    assert_eq!(
        sshsig::public_line(key(1).public_key()),
        sshsig::public_line(public)
    );
    assert_ne!(
        sshsig::public_line(key(2).public_key()),
        sshsig::public_line(public)
    );
    assert!(sshsig::public_line(public).starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"));
}

#[test]
fn a_signature_file_round_trips_and_survives_crlf() {
    let r = record();
    let armored = sshsig::sign(&key(1), NAMESPACE, &r.to_bytes()).unwrap_or_default();
    let file = SignatureText {
        decision: r.decision.clone(),
        verdict: Verdict::Reject,
        reason: "The outflow is our own migration".to_owned(),
        signer_key: sshsig::public_line(key(1).public_key()),
        armored,
    };
    let text = file.render();
    assert!(text.starts_with(&format!(
        "Muster decision signature v1\ndecision: {}\nverdict: reject\nreason: The outflow is our own migration\nsigner-key: ssh-ed25519 AAAA",
        r.decision
    )));
    assert_eq!(SignatureText::parse(&text).ok(), Some(file.clone()));
    assert_eq!(
        SignatureText::parse(&text.replace('\n', "\r\n")).ok(),
        Some(file.clone())
    );
    let approval = SignatureText {
        verdict: Verdict::Approve,
        reason: String::new(),
        ..file
    };
    assert!(approval
        .render()
        .contains("\nverdict: approve\nreason:\nsigner-key: "));
    assert_eq!(
        SignatureText::parse(&approval.render()).ok(),
        Some(approval.clone())
    );

    let bad = |text: String, expected: &str| {
        let message = SignatureText::parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains(expected), "{expected}: {message}");
    };
    let good = approval.render();
    bad(
        good.replace("verdict: approve", "verdict: yes"),
        "line 3 says `yes`",
    );
    bad(
        good.replace("reason:\n", "reason: because\n"),
        "line 4 gives a reason for an approval",
    );
    bad(
        good.replace("verdict: approve\nreason:", "verdict: reject\nreason:"),
        "line 4 the rejection's reason is empty",
    );
    bad(
        good.replace("decision: DEC-", "decision: INC-"),
        "line 2 names",
    );
    bad(
        good.replace("-----END SSH SIGNATURE-----", ""),
        "`-----END SSH SIGNATURE-----` is missing",
    );
    bad(format!("{good}PS: hello\n"), "follows the signature");
}

#[test]
fn a_rejection_signs_the_decision_and_its_record_hash() {
    let r = record();
    let bytes = response_bytes(&r.decision, &sha256_hex(&r.to_bytes()), "Not our contract");
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        format!(
            "Muster decision response v1\ndecision: {}\nrecord: sha256:{}\nverdict: reject\nreason: Not our contract\n",
            r.decision,
            sha256_hex(&r.to_bytes())
        )
    );
}

fn policy(required: &[&str], additional: &[&str], needed: u32, attested: bool) -> DecisionPolicy {
    let ids = |list: &[&str]| list.iter().map(|c| id(c)).collect::<Vec<Id>>();
    DecisionPolicy {
        id: id("p"),
        title: "P".to_owned(),
        description: String::new(),
        required: ids(required),
        additional: ids(additional),
        additional_needed: needed,
        attested_allowed: attested,
    }
}

fn signed(who: &str, verdict: Verdict) -> Vote {
    Vote {
        contact: id(who),
        verdict,
        signed: true,
    }
}

fn attested(who: &str) -> Vote {
    Vote {
        contact: id(who),
        verdict: Verdict::Approve,
        signed: false,
    }
}

#[test]
fn quorum_table() {
    use QuorumState::{Approved, Expired, Pending, Rejected};
    use Verdict::{Approve, Reject};
    let two_of_two = policy(&["a", "b"], &[], 0, false);
    let one_plus_two = policy(&["a"], &["b", "c", "d"], 2, false);
    let attested_ok = policy(&["a", "b"], &[], 0, true);
    // Name, policy, votes, expired, state, summary.
    type Case<'a> = (
        &'a str,
        &'a DecisionPolicy,
        Vec<Vote>,
        bool,
        QuorumState,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "nobody yet",
            &two_of_two,
            vec![],
            false,
            Pending,
            "waiting for A, B",
        ),
        (
            "one of two required",
            &two_of_two,
            vec![signed("a", Approve)],
            false,
            Pending,
            "waiting for B",
        ),
        (
            "all required",
            &two_of_two,
            vec![signed("a", Approve), signed("b", Approve)],
            false,
            Approved,
            "approved by A, B",
        ),
        (
            "a person counts once",
            &one_plus_two,
            vec![
                signed("a", Approve),
                signed("b", Approve),
                signed("b", Approve),
            ],
            false,
            Pending,
            "waiting for 1 more of C, D",
        ),
        (
            "required and N additional",
            &one_plus_two,
            vec![
                signed("a", Approve),
                signed("b", Approve),
                signed("d", Approve),
            ],
            false,
            Approved,
            "approved by A, B, D",
        ),
        (
            "additional without the required one",
            &one_plus_two,
            vec![
                signed("b", Approve),
                signed("c", Approve),
                signed("d", Approve),
            ],
            false,
            Pending,
            "waiting for A",
        ),
        (
            "a required rejection blocks",
            &two_of_two,
            vec![signed("a", Approve), signed("b", Reject)],
            false,
            Rejected,
            "rejected by B",
        ),
        (
            "an additional rejection does not block",
            &one_plus_two,
            vec![
                signed("a", Approve),
                signed("b", Reject),
                signed("c", Approve),
                signed("d", Approve),
            ],
            false,
            Approved,
            "approved by A, C, D",
        ),
        (
            "an additional rejection leaves fewer to ask",
            &one_plus_two,
            vec![
                signed("a", Approve),
                signed("b", Reject),
                signed("c", Approve),
            ],
            false,
            Pending,
            "waiting for 1 more of D",
        ),
        (
            "attested does not count where not allowed",
            &two_of_two,
            vec![signed("a", Approve), attested("b")],
            false,
            Pending,
            "waiting for B",
        ),
        (
            "attested counts where allowed",
            &attested_ok,
            vec![signed("a", Approve), attested("b")],
            false,
            Approved,
            "approved by A, B",
        ),
        (
            "a signature outweighs an attestation",
            &attested_ok,
            vec![attested("b"), signed("a", Approve), signed("b", Reject)],
            false,
            Rejected,
            "rejected by B",
        ),
        (
            "a stranger's signature counts for nothing",
            &two_of_two,
            vec![signed("a", Approve), signed("z", Approve)],
            false,
            Pending,
            "waiting for B",
        ),
        (
            "expired without approval",
            &two_of_two,
            vec![signed("a", Approve)],
            true,
            Expired,
            "expired without approval (still needed: B)",
        ),
        (
            "approved stays approved after expiry",
            &two_of_two,
            vec![signed("a", Approve), signed("b", Approve)],
            true,
            Approved,
            "approved by A, B",
        ),
        (
            "rejected stays rejected after expiry",
            &two_of_two,
            vec![signed("a", Reject)],
            true,
            Rejected,
            "rejected by A",
        ),
    ];
    let name = |c: &Id| c.as_str().to_uppercase();
    for (what, policy, votes, expired, state, summary) in cases {
        let q = evaluate(policy, &votes, Open::unless_expired(expired), &name);
        assert_eq!((q.state, q.summary.as_str()), (state, summary), "{what}");
    }

    // Closed with its incident: the state holds whatever was recorded after.
    let closed = [
        (
            vec![signed("a", Approve)],
            "closed with its incident without approval (still needed: B)",
        ),
        (
            vec![signed("a", Approve), signed("b", Approve)],
            "closed with its incident before it was approved",
        ),
    ];
    for (votes, summary) in closed {
        let q = evaluate(&two_of_two, &votes, Open::Closed, &name);
        assert_eq!(
            (q.state, q.summary.as_str()),
            (QuorumState::Closed, summary)
        );
    }

    let q = evaluate(
        &one_plus_two,
        &[signed("a", Approve), attested("c"), signed("d", Reject)],
        Open::Yes,
        &name,
    );
    let standings: Vec<(&str, bool, Standing)> = q
        .approvers
        .iter()
        .map(|a| (a.contact.as_str(), a.required, a.standing))
        .collect();
    assert_eq!(
        standings,
        vec![
            ("a", true, Standing::Signed),
            ("b", false, Standing::Waiting),
            ("c", false, Standing::AttestedNotCounted),
            ("d", false, Standing::Rejected),
        ]
    );
    assert_eq!(
        (
            q.waiting_for.len(),
            q.additional_approved,
            q.additional_missing
        ),
        (0, 0, 2)
    );
}

fn event(body: EventBody) -> Event {
    Event {
        incident: IncidentId("INC-3".to_owned()),
        seq: 2,
        at: utc("2026-11-24T03:00:00Z"),
        author: "Ada Example".to_owned(),
        body,
        prev_hash: String::new(),
        hash: String::new(),
    }
}

#[test]
fn the_timeline_describes_decision_events() {
    let decision = decision_id(&[0xab; 32]);
    let cases = vec![
        (
            EventBody::DecisionRequested {
                decision: decision.clone(),
                policy: id("pause-contract"),
                statement: "Pause the Vault".to_owned(),
                expires: utc("2026-11-24T07:00:00Z"),
                record_sha256: "ff".repeat(32),
            },
            "decisionRequested",
            "Approval requested under pause-contract (DEC-abababababababab): Pause the Vault",
        ),
        (
            EventBody::DecisionSigned {
                decision: decision.clone(),
                signer: id("ben-sample"),
                name: "Ben Sample".to_owned(),
                verdict: Verdict::Reject,
                reason: "Not our contract".to_owned(),
                fingerprint: "SHA256:x".to_owned(),
            },
            "decisionSigned",
            "Ben Sample rejected DEC-abababababababab (signed): Not our contract",
        ),
        (
            EventBody::DecisionAttested {
                decision: decision.clone(),
                approver: id("ben-sample"),
                name: "Ben Sample".to_owned(),
                channel: "phone".to_owned(),
                approved_at: utc("2026-11-24T03:10:00Z"),
                witness: id("ada-example"),
                witness_name: "Ada Example".to_owned(),
            },
            "decisionAttested",
            "Ben Sample approved DEC-abababababababab by phone: UNSIGNED, attested (witness: Ada Example)",
        ),
        (
            EventBody::DecisionResolved {
                decision,
                state: QuorumState::Approved,
                summary: "approved by Ada Example, Ben Sample".to_owned(),
            },
            "decisionResolved",
            "Decision DEC-abababababababab: approved by Ada Example, Ben Sample",
        ),
    ];
    for (body, kind, text) in cases {
        let entry = describe(&event(body));
        assert_eq!((entry.kind.as_str(), entry.text.as_str()), (kind, text));
    }
}

#[test]
fn a_decision_id_is_dec_and_the_nonce_s_first_16_hex_digits() {
    assert_eq!(decision_id(&[0x1f; 32]).as_str(), "DEC-1f1f1f1f1f1f1f1f");
}
