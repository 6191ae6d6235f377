//! The roster's rules: each trust case is refused (or left waiting) with its
//! reason, and the version in force does not move.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::decision::sshsig;

fn key(seed: u8) -> PrivateKey {
    sshsig::generate([seed; 32])
}

fn line(k: &PrivateKey) -> String {
    sshsig::public_line(k.public_key())
}

fn id(text: &str) -> Id {
    Id::parse(text).expect("an id")
}

/// Ada (1), Ben (2), Cara (3); admins as given; `pause` approved by Ada and Ben.
fn root(admins: &[&str]) -> Roster {
    let members = [("ada", 1), ("ben", 2), ("cara", 3)]
        .into_iter()
        .map(|(n, s)| {
            (
                id(n),
                MemberKeys {
                    key: line(&key(s)),
                    retired: Vec::new(),
                },
            )
        })
        .collect();
    Roster {
        version: 1,
        previous: None,
        members,
        admins: admins.iter().map(|a| id(a)).collect(),
        approvers: BTreeMap::from([(
            id("pause"),
            Approvers {
                required: vec![id("ada"), id("ben")],
                additional: Vec::new(),
                additional_needed: 0,
                attested_allowed: false,
            },
        )]),
    }
}

fn file(roster: &Roster, signers: &[u8]) -> RosterFile {
    RosterFile {
        roster: roster.clone(),
        signatures: signers
            .iter()
            .map(|s| roster.sign(&key(*s)).expect("signed"))
            .collect(),
    }
}

fn chain(files: Vec<RosterFile>) -> Chain {
    let root = files[0].roster.digest();
    evaluate(&root, &gather(files), &[])
}

fn version(c: &Chain) -> u64 {
    c.current().map_or(0, |f| f.roster.version)
}

#[test]
fn a_root_signed_by_its_admin_is_in_force_and_a_plain_next_version_follows() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    v2.admins.insert(id("ben"));
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[1])]);
    assert_eq!(version(&c), 2, "{c:?}");
    assert_eq!(c.versions[1].signed_by, vec![id("ada")]);
    assert!(c.refused.is_empty() && c.waiting.is_empty() && c.frozen.is_none());
}

#[test]
fn a_root_its_admins_did_not_sign_is_not_trusted() {
    let v1 = root(&["ada"]);
    let c = chain(vec![file(&v1, &[2])]);
    assert_eq!(version(&c), 0);
    assert!(c.refused[0].reason.contains("cannot be trusted"), "{c:?}");
}

#[test]
fn an_entry_signed_by_one_admin_where_two_are_required_waits_and_changes_nothing() {
    let v1 = root(&["ada", "ben", "cara"]);
    let mut v2 = v1.next();
    v2.admins.remove(&id("cara"));
    let c = chain(vec![file(&v1, &[1, 2]), file(&v2, &[1])]);
    assert_eq!(version(&c), 1);
    let reason = &c.waiting[0].reason;
    assert!(
        reason.contains("needs the signatures of 2 admin(s)") && reason.contains("it has 1 (ada)"),
        "{reason}"
    );
    // A second admin's signature, in a file of its own, brings it into force.
    let c = chain(vec![file(&v1, &[1, 2]), file(&v2, &[1]), file(&v2, &[2])]);
    assert_eq!(version(&c), 2, "{c:?}");
}

#[test]
fn an_entry_signed_by_a_key_that_is_no_admins_does_not_count() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    v2.admins.insert(id("ben"));
    // Ben is a member but no admin; key 9 is nobody's.
    for signer in [2, 9] {
        let c = chain(vec![file(&v1, &[1]), file(&v2, &[signer])]);
        assert_eq!(version(&c), 1);
        assert!(c.waiting.is_empty(), "{c:?}");
        let reason = &c.refused[0].reason;
        assert!(
            reason.contains("signed only by") && reason.contains("no admin's key in version 1"),
            "{reason}"
        );
    }
    // Beside an admin's signature, a stranger's does not count either.
    let v1 = root(&["ada", "ben", "cara"]);
    let mut v2 = v1.next();
    v2.admins.remove(&id("cara"));
    let c = chain(vec![file(&v1, &[1, 2]), file(&v2, &[1, 9])]);
    assert_eq!(version(&c), 1);
    assert!(
        c.waiting[0]
            .reason
            .contains("that signature does not count"),
        "{c:?}"
    );
}

#[test]
fn a_rollback_to_an_older_version_is_refused() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    v2.admins.insert(id("ben"));
    let mut v3 = v2.next();
    v3.approvers.clear();
    // An attacker replays a competing version 2 signed by Ada's key (as
    // version 1 allowed), after version 3 is in force.
    let mut old = v1.next();
    old.admins.insert(id("cara"));
    let c = chain(vec![
        file(&v1, &[1]),
        file(&v2, &[1]),
        file(&v3, &[1]),
        file(&old, &[1]),
    ]);
    assert_eq!(version(&c), 3);
    assert_eq!(c.current().map(|f| f.digest.clone()), Some(v3.digest()));
    let refused = c
        .refused
        .iter()
        .find(|a| a.digest == old.digest())
        .expect("refused");
    assert!(refused.reason.contains("no rollback"), "{}", refused.reason);
    // A version that says it follows an older one is refused too.
    let mut stale = v2.clone();
    stale.version = 4;
    let c = chain(vec![
        file(&v1, &[1]),
        file(&v2, &[1]),
        file(&v3, &[1]),
        file(&stale, &[1]),
    ]);
    assert_eq!(version(&c), 3);
    assert!(
        c.refused
            .iter()
            .any(|a| a.reason.contains("not built on version 3")),
        "{c:?}"
    );
}

#[test]
fn two_competing_next_versions_freeze_the_roster_until_one_is_built_on() {
    let v1 = root(&["ada", "ben"]);
    let mut a = v1.next();
    a.admins.insert(id("cara"));
    let mut b = v1.next();
    b.admins.remove(&id("ben"));
    let c = chain(vec![file(&v1, &[1]), file(&a, &[1]), file(&b, &[2])]);
    assert_eq!(version(&c), 1);
    let frozen = c.frozen.clone().expect("frozen");
    assert!(frozen.contains("frozen"), "{frozen}");
    assert_eq!(c.refused.len(), 2);
    // Ada and Ben settle it: a version 3 on `a`, signed by two of its three admins.
    let mut settle = a.next();
    settle.approvers.clear();
    let c = chain(vec![
        file(&v1, &[1]),
        file(&a, &[1]),
        file(&b, &[2]),
        file(&settle, &[1, 2]),
    ]);
    assert_eq!(version(&c), 3, "{c:?}");
    assert_eq!(c.versions[1].digest, a.digest());
    assert!(c.frozen.is_none());
    assert!(c.refused.iter().any(|r| r.digest == b.digest()));
}

#[test]
fn a_new_key_counts_only_with_its_holders_signature() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    v2.members.insert(
        id("dan"),
        MemberKeys {
            key: line(&key(4)),
            retired: Vec::new(),
        },
    );
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[1])]);
    assert_eq!(version(&c), 1);
    assert!(c.waiting[0].reason.contains("new key of dan"), "{c:?}");
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[1, 4])]);
    assert_eq!(version(&c), 2);
}

#[test]
fn a_person_rotates_their_own_key_with_the_old_and_the_new_key() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    let ben = v2.members.get_mut(&id("ben")).expect("ben");
    ben.retired.push(RetiredKey {
        key: ben.key.clone(),
        retired_from: "2026-12-01T00:00:00Z".parse().expect("time"),
    });
    ben.key = line(&key(5));
    // Only the new key: not enough (anyone can make a key).
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[5])]);
    assert_eq!(version(&c), 1);
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[2, 5])]);
    assert_eq!(version(&c), 2, "{c:?}");
    // The old key alone cannot hand the person to a key nobody proved.
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[2])]);
    assert_eq!(version(&c), 1);
}

#[test]
fn an_altered_roster_keeps_no_signature() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    v2.admins.insert(id("ben"));
    let mut forged = file(&v2, &[1]);
    forged.roster.admins.insert(id("cara"));
    let c = chain(vec![file(&v1, &[1]), forged]);
    assert_eq!(version(&c), 1);
    assert!(c.waiting[0].reason.contains("it has 0"), "{c:?}");
}

#[test]
fn unsound_rosters_are_refused_with_why() {
    let v1 = root(&["ada"]);
    let mut twice = v1.next();
    let ada = twice.members[&id("ada")].key.clone();
    twice.members.get_mut(&id("ben")).expect("ben").key = ada;
    assert!(twice.problem().is_some_and(|p| p.contains("given to both")));
    let mut nobody = v1.next();
    nobody.admins = BTreeSet::new();
    assert!(nobody.problem().is_some_and(|p| p.contains("no admin")));
    let c = chain(vec![file(&v1, &[1]), file(&twice, &[1, 2])]);
    assert_eq!(version(&c), 1);
    assert!(c.refused[0].reason.contains("not a sound roster"), "{c:?}");
}

#[test]
fn a_fingerprint_names_its_digest_with_or_without_dashes() {
    let d = root(&["ada"]).digest();
    let f = fingerprint(&d);
    assert_eq!(f.len(), 39);
    assert!(names(&f, &d) && names(&f.replace('-', "").to_lowercase(), &d) && names(&d, &d));
    assert!(!names(&f[..10], &d));
}

#[test]
fn the_roster_sets_the_plans_keys_and_approvers() {
    let mut plan = crate::fixtures::plans::starter_plan();
    plan.core_team[0].public_key = Some(line(&key(1)));
    plan.core_team[1].public_key = Some(line(&key(2)));
    let mut r = Roster::from_plan(&plan, BTreeSet::from([plan.core_team[1].id.clone()]));
    assert_eq!(r.members.len(), 2);
    let first = plan.core_team[0].id.clone();
    r.members.remove(&first);
    let policy = plan.decisions[0].id.clone();
    r.approvers.get_mut(&policy).expect("policy").required = vec![plan.core_team[1].id.clone()];
    let changed = r.impose(&mut plan);
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert_eq!(plan.core_team[0].public_key, None);
    assert_eq!(
        plan.decisions[0].required,
        vec![plan.core_team[1].id.clone()]
    );
    assert!(r.impose(&mut plan).is_empty());
}

#[test]
fn what_a_laptop_took_stands_against_a_removed_admins_competing_branch() {
    // Version 2, signed by Ben, removes Ada (whose laptop is stolen).
    let v1 = root(&["ada", "ben"]);
    let mut v2 = v1.next();
    v2.admins.remove(&id("ada"));
    // The thief signs a competing version 2 with Ada's key, and a version 3 on it.
    let mut forged = v1.next();
    forged.admins.remove(&id("ben"));
    let mut forged3 = forged.next();
    forged3.approvers.clear();
    let files = vec![
        file(&v1, &[1]),
        file(&v2, &[2]),
        file(&forged, &[1]),
        file(&forged3, &[1]),
    ];
    // A laptop that took version 2 keeps it; both forgeries are refused.
    let taken = [v1.digest(), v2.digest()];
    let c = evaluate(&v1.digest(), &gather(files.clone()), &taken);
    assert_eq!(c.current().map(|f| f.digest.clone()), Some(v2.digest()));
    assert!(c.frozen.is_none());
    assert!(
        c.refused.iter().any(|r| r.digest == forged.digest()),
        "{c:?}"
    );
    assert!(
        c.refused.iter().any(|r| r.digest == forged3.digest()),
        "{c:?}"
    );
}

#[test]
fn a_fork_is_settled_only_by_the_threshold_of_the_version_before_it() {
    let v1 = root(&["ada", "ben", "cara"]);
    // Two versions 2, each signed by two admins (Ben signed both).
    let mut a = v1.next();
    a.members.insert(
        id("dan"),
        MemberKeys {
            key: line(&key(4)),
            retired: Vec::new(),
        },
    );
    a.admins.insert(id("dan"));
    a.admins.remove(&id("cara"));
    let mut b = v1.next();
    b.approvers.clear();
    // Ada and Dan (an admin only in `a`) sign a version 3 on `a`: one of
    // version 1's admins is not enough to settle it.
    let mut three = a.next();
    three.approvers.clear();
    let files = vec![
        file(&v1, &[1, 2]),
        file(&a, &[1, 2, 4]),
        file(&b, &[2, 3]),
        file(&three, &[1, 4]),
    ];
    let c = evaluate(&v1.digest(), &gather(files.clone()), &[]);
    assert_eq!(version(&c), 1);
    assert!(
        c.frozen
            .as_deref()
            .is_some_and(|f| f.contains("2 of version 1's admins")),
        "{c:?}"
    );
    // Signed by Ada and Ben, it settles it.
    let mut files = files;
    files.push(file(&three, &[2]));
    let c = evaluate(&v1.digest(), &gather(files), &[]);
    assert_eq!(version(&c), 3, "{c:?}");
}

#[test]
fn a_retired_key_list_changes_only_by_the_key_its_holder_used_before() {
    let v1 = root(&["ada"]);
    let mut v2 = v1.next();
    // Admins slip an extra "retired" key, valid for ever, to Ben.
    v2.members
        .get_mut(&id("ben"))
        .expect("ben")
        .retired
        .push(RetiredKey {
            key: line(&key(30)),
            retired_from: "2099-01-01T00:00:00Z".parse().expect("time"),
        });
    let c = chain(vec![file(&v1, &[1]), file(&v2, &[1, 2, 30])]);
    assert_eq!(version(&c), 1);
    assert!(
        c.refused[0].reason.contains("retired keys of `ben`"),
        "{c:?}"
    );
}
