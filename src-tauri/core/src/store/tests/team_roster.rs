//! The signed roster through real stores: started on one laptop, pinned on
//! another by its fingerprint; while pinned, keys and approvers change only
//! through signed versions (a plan edit of them is refused, an import keeps
//! the roster's); a version one admin short waits for the second; a
//! rollback is refused; and a decision is judged by the roster in force
//! when it was requested.

use super::*;
use crate::decision::Answer;
use crate::fixtures::{at, declare, key, key_of, laptop, line, ok, request, signature, T0};
use crate::store::{PlanEdit, RosterChange};
use crate::testing::temp;

fn ada_starts(store: &mut Store) -> crate::team::roster::RosterFile {
    ok(store.start_roster(&[id("ada-example")], &key_of("ada-example"), &at(T0)))
}

fn version(store: &Store) -> u64 {
    ok(store.roster()).current.map_or(0, |c| c.version)
}

fn refused(result: Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(Error::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_roster_started_on_one_laptop_is_pinned_on_another_by_the_fingerprint_compared() {
    let (a, b) = (temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut ben = laptop(b.path(), "ben-sample", None);
    let file = ada_starts(&mut ada);
    let shown = ok(ada.roster()).current.expect("in force");
    assert_eq!(
        (shown.version, shown.admins.clone()),
        (1, vec![id("ada-example")])
    );
    assert_eq!(shown.members.len(), 4);

    // Ben's laptop sees it, but trusts nothing until he pins it.
    assert!(ok(ben.take_in_roster(std::slice::from_ref(&file), &at(T0))).is_empty());
    let seen = ok(ben.roster());
    assert!(seen.current.is_none());
    assert_eq!(seen.roots[0].fingerprint, shown.fingerprint);
    assert!(matches!(
        ben.pin_roster("0000-0000-0000-0000-0000-0000-0000-0000", &at(T0)),
        Err(Error::NotFound { .. })
    ));
    let pinned = ok(ben.pin_roster(&shown.fingerprint, &at(T0)));
    assert_eq!(pinned.current.map(|c| c.version), Some(1));
    // A laptop pins one root, once.
    let mut other =
        crate::team::roster::Roster::from_plan(&ok(ben.plan()), [id("ben-sample")].into());
    other.admins.insert(id("ben-sample"));
    let planted = crate::team::roster::RosterFile {
        signatures: vec![other.sign(&key_of("ben-sample")).unwrap()],
        roster: other,
    };
    ok(ben.take_in_roster(std::slice::from_ref(&planted), &at(T0)));
    let why = refused(ben.pin_roster(&planted.roster.digest(), &at(T0)));
    assert!(why.contains("pins one root"), "{why}");
}

#[test]
fn while_a_roster_is_pinned_a_key_edited_in_the_plan_is_refused_and_an_import_keeps_the_rosters() {
    let dir = temp();
    let mut ada = laptop(dir.path(), "ada-example", None);
    ada_starts(&mut ada);
    let before = ok(ada.plan());
    let mut ben = before.core_team[1].clone();
    ben.public_key = Some(line(&key(40)));
    let edit = PlanEdit::SaveCoreMember {
        member: ben,
        position: None,
    };
    let why = refused(ada.apply(&edit, &at(T0)));
    assert!(
        why.contains("kept by the team's signed roster (version 1)"),
        "{why}"
    );
    assert_eq!(ok(ada.plan()), before);
    // The approvers of a policy, likewise.
    let mut policy = before.decisions[0].clone();
    policy.required.reverse();
    policy.required.pop();
    let why = refused(ada.apply(
        &PlanEdit::SaveDecision {
            decision: policy,
            position: None,
        },
        &at(T0),
    ));
    assert!(why.contains("approvers"), "{why}");
    // A whole plan imported with another key: the rest is taken, the key stays.
    let mut imported = before.clone();
    imported.core_team[1].public_key = Some(line(&key(40)));
    imported.meta.name = "Imported".to_owned();
    let revision = ok(ada.replace_plan(&imported, "Imported plan", &at(T0))).expect("a revision");
    assert!(
        revision.summary.contains("kept from the roster"),
        "{}",
        revision.summary
    );
    let after = ok(ada.plan());
    assert_eq!(after.meta.name, "Imported");
    let kept = after.core_team[1].public_key.as_deref().unwrap_or_default();
    assert!(kept.starts_with(&line(&key_of("ben-sample"))), "{kept}");
}

#[test]
fn a_version_one_admin_short_waits_until_a_second_admin_signs_on_another_laptop() {
    let (a, b) = (temp(), temp());
    let mut ada = laptop(a.path(), "ada-example", None);
    let mut ben = laptop(b.path(), "ben-sample", None);
    let root = ada_starts(&mut ada);
    // Version 2: three admins (Ada alone could sign it).
    let two = ok(ada.propose_roster(
        &RosterChange {
            add_admins: vec![id("ben-sample"), id("chloe-demo")],
            ..RosterChange::default()
        },
        &key_of("ada-example"),
        &at(T0),
    ));
    assert_eq!(version(&ada), 2);
    // Version 3 takes Chloe out of the admins: two of three must sign.
    let three = ok(ada.propose_roster(
        &RosterChange {
            remove_admins: vec![id("chloe-demo")],
            ..RosterChange::default()
        },
        &key_of("ada-example"),
        &at(T0),
    ));
    assert_eq!(version(&ada), 2);
    let view = ok(ada.roster());
    assert!(
        view.waiting[0].reason.contains("it has 1 (ada-example)"),
        "{view:?}"
    );
    // Ben pins the root, takes in both, and signs version 3.
    ok(ben.take_in_roster(&[root.clone(), two, three.clone()], &at(T0)));
    ok(ben.pin_roster(&root.roster.digest(), &at(T0)));
    assert_eq!(version(&ben), 2);
    let signed = ok(ben.sign_roster(&three.roster.digest(), &key_of("ben-sample"), &at(T0)));
    assert_eq!(version(&ben), 3);
    ok(ada.take_in_roster(&[signed], &at(T0)));
    assert_eq!(version(&ada), 3);
    assert_eq!(
        ok(ada.roster()).current.unwrap().signed_by,
        vec![id("ada-example"), id("ben-sample")]
    );
    // A rollback: Ada's laptop is handed version 2's competitor; refused.
    let mut stale = root.roster.next();
    stale.admins.insert(id("dara-mock"));
    let file = crate::team::roster::RosterFile {
        signatures: vec![stale.sign(&key_of("ada-example")).unwrap()],
        roster: stale,
    };
    let aside = ok(ada.take_in_roster(&[file], &at(T0)));
    assert_eq!(version(&ada), 3);
    assert!(
        aside.len() == 1 && aside[0].1.contains("no rollback"),
        "{aside:?}"
    );
}

#[test]
fn a_key_rotated_in_the_roster_signs_with_old_and_new_and_the_plan_follows() {
    let dir = temp();
    let mut ada = laptop(dir.path(), "ada-example", None);
    ada_starts(&mut ada);
    let file = ok(ada.roster_key(
        &id("ada-example"),
        &key(50),
        Some(&key_of("ada-example")),
        &at(T0),
    ))
    .expect("a roster file");
    assert_eq!(file.signatures.len(), 2);
    assert_eq!(version(&ada), 2);
    let plan = ok(ada.plan());
    assert_eq!(
        plan.core_team[0].public_key.as_deref(),
        Some(line(&key(50)).as_str())
    );
    assert_eq!(plan.core_team[0].retired_keys.len(), 1);
    // A new key for someone else, signed only by that new key, waits.
    ok(ada.roster_key(&id("ben-sample"), &key(51), None, &at(T0)));
    assert_eq!(version(&ada), 2);
}

#[test]
fn a_decision_approved_with_a_key_added_after_it_was_requested_is_refused() {
    let dir = temp();
    let mut ada = laptop(dir.path(), "ada-example", None);
    ada_starts(&mut ada);
    let incident = declare(&mut ada, false);
    let pause = request(&mut ada, &incident, "pause-contract", 1);
    // Before the rotation, Ada approves with her key of the time: it counts.
    ok(ada.import_signature(
        &signature(&key_of("ada-example"), &pause, &Answer::Approve),
        &at(T0),
    ));
    // Ben's key is replaced in version 2 (Ada signs as admin, the new key as its holder).
    let change = RosterChange {
        keys: vec![(id("ben-sample"), line(&key(60)))],
        ..RosterChange::default()
    };
    let two = ok(ada.propose_roster(&change, &key_of("ada-example"), &at(T0)));
    ok(ada.sign_roster(&two.roster.digest(), &key(60), &at(T0)));
    assert_eq!(version(&ada), 2);
    let before = ok(ada.decision_status(&pause.id, &at(T0)));
    let why =
        refused(ada.import_signature(&signature(&key(60), &pause, &Answer::Approve), &at(T0)));
    assert!(
        why.contains("came into the roster only in version 2"),
        "{why}"
    );
    let after = ok(ada.decision_status(&pause.id, &at(T0)));
    assert_eq!(after.signatures, before.signatures);
    assert_eq!(
        after.signatures.len(),
        1,
        "the approval made before the rotation stands"
    );
    // A request made under version 2 takes Ben's new key.
    let later = request(&mut ada, &incident, "pause-contract", 2);
    ok(ada.import_signature(&signature(&key(60), &later, &Answer::Approve), &at(T0)));
}

#[test]
fn a_bundle_carries_its_roster_and_verifies_from_the_pinned_root_after_a_rotation() {
    use crate::decision::{verify_bundle, verify_bundle_pinned};
    let dir = temp();
    let mut ada = laptop(dir.path(), "ada-example", None);
    let root = ada_starts(&mut ada).roster.digest();
    let incident = declare(&mut ada, false);
    let pause = request(&mut ada, &incident, "pause-contract", 1);
    for who in ["ada-example", "ben-sample"] {
        ok(ada.import_signature(&signature(&key_of(who), &pause, &Answer::Approve), &at(T0)));
    }
    // Ben's key is rotated half an hour later (version 2).
    let later = at("2026-11-24T03:30:00Z");
    let change = RosterChange {
        keys: vec![(id("ben-sample"), line(&key(61)))],
        ..RosterChange::default()
    };
    let two = ok(ada.propose_roster(&change, &key_of("ada-example"), &later));
    ok(ada.sign_roster(&two.roster.digest(), &key(61), &later));
    assert_eq!(version(&ada), 2);
    let out = temp();
    let bundle = out.path().join("bundle");
    ok(ada.write_bundle(&pause.id, &bundle, &at(T0)));
    let carried = std::fs::read_to_string(bundle.join("roster.json")).unwrap();
    assert!(carried.contains("\"version\": 1"), "{carried}");
    let plan = ok(ada.plan());
    let now = crate::fixtures::utc(T0);
    // From the pinned root: version 1's keys judge it, so Ben's approval stands.
    let verdict = ok(verify_bundle_pinned(&bundle, &plan, Some(&root), now));
    assert!(verdict.approved, "{verdict:?}");
    // Checked against the plan alone, as before any roster, it verifies too.
    assert!(ok(verify_bundle(&bundle, &plan, now)).approved);
    // A roster.json of another team's root is refused, with why.
    let mut other = crate::team::roster::Roster::from_plan(&plan, [id("ben-sample")].into());
    other.members.get_mut(&id("ben-sample")).unwrap().key = line(&key(62));
    let forged = crate::decision::bundle::BundleRoster {
        version: 1,
        files: vec![crate::team::roster::RosterFile {
            signatures: vec![other.sign(&key(62)).unwrap()],
            roster: other,
        }],
    };
    std::fs::write(
        bundle.join("roster.json"),
        serde_json::to_vec(&forged).unwrap(),
    )
    .unwrap();
    match verify_bundle_pinned(&bundle, &plan, Some(&root), now) {
        Err(Error::Refused(why)) => assert!(
            why.contains("do not lead from the roster you pinned"),
            "{why}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_policys_quorum_is_kept_by_the_roster_and_a_refused_version_is_never_signed() {
    let dir = temp();
    let mut ada = laptop(dir.path(), "ada-example", None);
    let root = ada_starts(&mut ada);
    // How many of the pool must approve, and whether attested approvals
    // count, are the roster's too.
    let mut policy = ok(ada.plan()).decisions[1].clone();
    policy.additional_needed = 0;
    let why = refused(ada.apply(
        &PlanEdit::SaveDecision {
            decision: policy,
            position: None,
        },
        &at(T0),
    ));
    assert!(why.contains("the approvers of"), "{why}");
    // The version 1 a planted file competes with is refused, and nobody signs it.
    let mut other = root.roster.clone();
    other.admins.insert(id("ben-sample"));
    let planted = crate::team::roster::RosterFile {
        signatures: vec![other.sign(&key_of("ben-sample")).unwrap()],
        roster: other,
    };
    let aside = ok(ada.take_in_roster(std::slice::from_ref(&planted), &at(T0)));
    assert!(aside[0].1.contains("no rollback"), "{aside:?}");
    assert!(matches!(
        ada.sign_roster(&planted.roster.digest(), &key_of("ada-example"), &at(T0)),
        Err(Error::NotFound { .. })
    ));
    // A file whose signatures verify none is never kept.
    let mut next = root.roster.next();
    next.approvers.clear();
    let unsigned = crate::team::roster::RosterFile {
        signatures: vec![
            "-----BEGIN SSH SIGNATURE-----\nnot one\n-----END SSH SIGNATURE-----".to_owned(),
        ],
        roster: next,
    };
    let aside = ok(ada.take_in_roster(&[unsigned], &at(T0)));
    assert!(
        aside[0].1.contains("no signature that verifies"),
        "{aside:?}"
    );
    assert!(ok(ada.roster()).waiting.is_empty());
}
