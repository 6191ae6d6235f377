//! The fixed world input is judged against: laptops with the starter plan
//! and a key for every core member (core's own test fixtures), a team
//! folder, a signed roster, decision requests and their signatures.
//!
//! Each builder is deterministic (fixed key seeds, clocks and nonces):
//! a target calls it when it starts, and `examples/make_seeds.rs` calls the
//! same builders to write seeds that fit that world.

use std::path::Path;

use chrono::{DateTime, Utc};
use muster_core::clock::FixedClock;
use muster_core::decision::model::{Answer, DecisionRequest};
use muster_core::decision::PrivateKey;
use muster_core::exercise::model::{ExerciseAction, ExerciseSetup, Objective};
use muster_core::fixtures::{self, declare, key, key_of, laptop, line, request, signature};
use muster_core::incident::model::IncidentAction;
use muster_core::plan::{edit::PlanEdit, id, Plan};
use muster_core::store::{RosterChange, Store};
use muster_core::team::roster::RosterFile;
use muster_core::team::{folder, SignedEvent};

/// The time every target runs at: ten minutes after the fixtures'
/// requests were made (they expire four hours after).
pub const NOW: &str = "2026-11-24T03:10:00Z";

pub fn now() -> DateTime<Utc> {
    fixtures::utc(NOW)
}

pub fn clock() -> FixedClock {
    fixtures::at(NOW)
}

/// The seed of the key Ben rotates to in the roster's version 2.
pub const BEN_NEW: u8 = 61;

/// The value, or a panic saying what failed: the fixed world cannot be
/// built, so the harness is out of step with core (a fault of the
/// harness, shown on the first run, not a finding).
fn ok<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("building the fuzz world: {what}: {e}"),
    }
}

/// The key that signs as `person` in the world: a fixture member's own
/// key, or for anyone else a key in nobody's contact entry.
pub fn key_for(person: &str) -> PrivateKey {
    if fixtures::MEMBERS.iter().any(|(m, _)| *m == person) {
        key_of(person)
    } else {
        key(99)
    }
}

/// Every key of the world: the members' (Ada's first), Ada's old one (in
/// nobody's entry here) and the one Ben rotates to.
pub fn all_keys() -> Vec<PrivateKey> {
    let mut seeds: Vec<u8> = fixtures::MEMBERS.iter().map(|(_, s)| *s).collect();
    seeds.extend([fixtures::ADA_OLD, BEN_NEW]);
    seeds.into_iter().map(key).collect()
}

/// The plan every laptop of the world holds (read from a new laptop in
/// `dir`, so that it is exactly the stores').
pub fn plan(dir: &Path) -> Plan {
    let mut store = laptop(dir, "ada-example", None);
    ok(store.plan(), "the laptop's plan")
}

/// Ada's laptop with two requests she made and nobody signed yet: to pause
/// the contract (an incident) and the same in an exercise.
pub fn requester(dir: &Path) -> (Store, Vec<DecisionRequest>) {
    let mut store = laptop(dir, "ada-example", None);
    let incident = declare(&mut store, false);
    let drill = declare(&mut store, true);
    let real = request(&mut store, &incident, "pause-contract", 1);
    let exercise = request(&mut store, &drill, "pause-contract", 2);
    (store, vec![real, exercise])
}

/// Signature files for the requester's requests, as teammates' laptops
/// write them: (file name, text).
pub fn signatures(requests: &[DecisionRequest]) -> Vec<(String, String)> {
    let reject = Answer::Reject {
        reason: "Pausing also stops liquidations".to_owned(),
    };
    let mut out = Vec::new();
    if let Some(real) = requests.first() {
        out.push((
            "ben-approves".to_owned(),
            signature(&key_of("ben-sample"), real, &Answer::Approve),
        ));
        out.push((
            "chloe-approves".to_owned(),
            signature(&key_of("chloe-demo"), real, &Answer::Approve),
        ));
        out.push((
            "dara-rejects".to_owned(),
            signature(&key_of("dara-mock"), real, &reject),
        ));
    }
    if let Some(exercise) = requests.get(1) {
        out.push((
            "ben-approves-exercise".to_owned(),
            signature(&key_of("ben-sample"), exercise, &Answer::Approve),
        ));
    }
    out
}

/// Ben's laptop, where requests made on Ada's are imported to be signed.
pub fn signer(dir: &Path) -> Store {
    laptop(dir, "ben-sample", None)
}

/// Starts the team's roster on `store` (Ada's laptop): version 1, Ada its
/// only admin.
fn start_roster(store: &mut Store) -> RosterFile {
    ok(
        store.start_roster(
            &[id("ada-example")],
            &key_of("ada-example"),
            &fixtures::at(fixtures::T0),
        ),
        "starting the roster",
    )
}

/// The digest of the team's roster version 1, which bundle checkers and
/// Ben's laptop pin.
pub fn roster_root(dir: &Path) -> String {
    let mut store = laptop(dir, "ada-example", None);
    start_roster(&mut store).roster.digest()
}

/// The roster files of the world: version 1, version 2 (Ben's key
/// rotated) with Ada's signature only, and version 2 signed by Ben's new
/// key too (which puts it in force).
pub fn roster_files(dir: &Path) -> Vec<(String, RosterFile)> {
    let mut store = laptop(dir, "ada-example", None);
    let root = start_roster(&mut store);
    let later = fixtures::at("2026-11-24T03:30:00Z");
    let change = RosterChange {
        keys: vec![(id("ben-sample"), line(&key(BEN_NEW)))],
        ..RosterChange::default()
    };
    let proposed = ok(
        store.propose_roster(&change, &key_of("ada-example"), &later),
        "proposing roster version 2",
    );
    let signed = ok(
        store.sign_roster(&proposed.roster.digest(), &key(BEN_NEW), &later),
        "signing roster version 2",
    );
    vec![
        ("v1".to_owned(), root),
        ("v2-proposed".to_owned(), proposed),
        ("v2-signed".to_owned(), signed),
    ]
}

/// Ben's laptop, which pinned the team's roster version 1.
pub fn roster_keeper(dir: &Path) -> (Store, String) {
    let root = {
        let files = roster_files(&dir.join("ada"));
        match files.into_iter().next() {
            Some((_, file)) => file,
            None => panic!("building the fuzz world: no roster version 1"),
        }
    };
    let digest = root.roster.digest();
    let mut store = signer(&dir.join("ben"));
    let clock = fixtures::at(fixtures::T0);
    ok(
        store.take_in_roster(std::slice::from_ref(&root), &clock),
        "taking in the roster",
    );
    ok(store.pin_roster(&digest, &clock), "pinning the roster");
    (store, digest)
}

/// A named set of files: (name, [(file name, bytes)]).
pub type NamedFiles = (String, Vec<(String, Vec<u8>)>);

/// Approval bundles, each as its files (name, bytes) without the README
/// (which no checker reads): approved with a rejection among the
/// signatures; approved under roster version 1 (carrying `roster.json`);
/// pending under version 2, after Ben's key was rotated; an exercise's.
pub fn bundles(dir: &Path) -> Vec<NamedFiles> {
    let mut out = Vec::new();
    let t0 = fixtures::at(fixtures::T0);
    let at = fixtures::at("2026-11-24T03:05:00Z");
    let mut write = |store: &mut Store, r: &DecisionRequest, name: &str| {
        let bundle = dir.join("bundles").join(name);
        ok(store.write_bundle(&r.id, &bundle, &t0), "writing a bundle");
        let mut files = Vec::new();
        for entry in ok(std::fs::read_dir(&bundle), "listing a bundle").flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file != "README.md" {
                files.push((file, ok(std::fs::read(entry.path()), "reading a bundle")));
            }
        }
        files.sort();
        out.push((name.to_owned(), files));
    };

    let (mut store, approved) = fixtures::approved(&dir.join("approved"));
    write(&mut store, &approved, "approved-with-rejection");

    let mut store = laptop(&dir.join("roster"), "ada-example", None);
    start_roster(&mut store);
    let incident = declare(&mut store, false);
    let pause = request(&mut store, &incident, "pause-contract", 1);
    ok(
        store.sign_decision(&pause.id, &Answer::Approve, &key_of("ada-example"), &at),
        "Ada signs",
    );
    ok(
        store.import_signature(
            &signature(&key_of("ben-sample"), &pause, &Answer::Approve),
            &at,
        ),
        "Ben signs",
    );
    let later = fixtures::at("2026-11-24T03:30:00Z");
    let change = RosterChange {
        keys: vec![(id("ben-sample"), line(&key(BEN_NEW)))],
        ..RosterChange::default()
    };
    let two = ok(
        store.propose_roster(&change, &key_of("ada-example"), &later),
        "proposing roster version 2",
    );
    ok(
        store.sign_roster(&two.roster.digest(), &key(BEN_NEW), &later),
        "signing roster version 2",
    );
    let after = request(&mut store, &incident, "pause-contract", 2);
    ok(
        store.import_signature(&signature(&key(BEN_NEW), &after, &Answer::Approve), &later),
        "Ben signs with his new key",
    );
    write(&mut store, &pause, "approved-roster-v1");
    write(&mut store, &after, "pending-roster-v2");

    let mut store = laptop(&dir.join("exercise"), "ada-example", None);
    let drill = declare(&mut store, true);
    let r = request(&mut store, &drill, "pause-contract", 1);
    ok(
        store.sign_decision(&r.id, &Answer::Approve, &key_of("ada-example"), &t0),
        "Ada signs the exercise's",
    );
    write(&mut store, &r, "exercise-pending");
    out
}

/// A laptop in the team folder `team`: `person`'s, as `person-laptop`.
fn teammate(dir: &Path, team: &Path, person: &str) -> Store {
    let mut store = laptop(dir, person, None);
    ok(
        store.join_team(team, &format!("{person}-laptop")),
        "joining the team",
    );
    store
}

/// Ben's laptop in the team, where the folder's events are taken in.
pub fn team_receiver(dir: &Path) -> (Store, std::path::PathBuf) {
    let team = dir.join("team");
    ok(std::fs::create_dir_all(&team), "making the team folder");
    let store = teammate(&dir.join("ben"), &team, "ben-sample");
    (store, team)
}

/// Signs Ada's outbox and writes it to the team folder `team`; the
/// events, in the order written.
fn publish(ada: &mut Store, team: &Path) -> Vec<SignedEvent> {
    let outbox = ok(ada.team_outbox(), "Ada's outbox");
    let mut events = Vec::new();
    for envelope in outbox {
        let signed = ok(
            SignedEvent::sign(envelope, &key_of("ada-example")),
            "signing an event",
        );
        ok(folder::write(team, &signed), "writing an event");
        ok(
            ada.team_signed(&signed.id(), &signed.to_file()),
            "keeping the signed file",
        );
        events.push(signed);
    }
    events
}

/// What Ada's laptop writes to the team folder: first a session of
/// incident response (declaring an incident, a note, a decision request
/// and her signature, a plan change), then an exercise she moderates and
/// Ben takes part in (set up, started, its first scenario's exercise
/// incident declared). Each event signed, in the order written.
pub fn team_events(dir: &Path) -> (Vec<SignedEvent>, Vec<SignedEvent>) {
    let team = dir.join("team");
    ok(std::fs::create_dir_all(&team), "making the team folder");
    let mut ada = teammate(&dir.join("ada"), &team, "ada-example");
    let incident = declare(&mut ada, false);
    let note = IncidentAction::AddNote {
        text: "Funds traced to a mixer".to_owned(),
    };
    ok(
        ada.act_on_incident(&incident, &note, &fixtures::at("2026-11-24T03:01:00Z")),
        "adding a note",
    );
    let pause = request(&mut ada, &incident, "pause-contract", 5);
    ok(
        ada.sign_decision(
            &pause.id,
            &Answer::Approve,
            &key_of("ada-example"),
            &fixtures::at(fixtures::T0),
        ),
        "Ada signs",
    );
    let mut meta = ok(ada.plan(), "the plan").meta;
    meta.summary = "Who does what when the Vault is drained".to_owned();
    ok(
        ada.apply(&PlanEdit::SaveMeta { meta }, &fixtures::at(fixtures::T0)),
        "editing the plan",
    );
    let session = publish(&mut ada, &team);

    let mut scenario = ok(
        ada.draft_scenario(&id("oracle-failure"), "sc-1"),
        "drafting a scenario",
    );
    scenario.situation = "The ETH price on the pool reads 1 USD".to_owned();
    let setup = ExerciseSetup {
        title: "Night drill".to_owned(),
        date: fixtures::utc(fixtures::T0).date_naive(),
        moderator: id("ada-example"),
        participants: vec![id("ben-sample"), id("dara-mock")],
        scope: "From detection to the first decision".to_owned(),
        objectives: vec![Objective {
            key: "obj-1".to_owned(),
            text: "Escalate within 15 minutes".to_owned(),
        }],
        scenarios: vec![scenario],
    };
    let exercise = ok(
        ada.create_exercise(&setup, &fixtures::at("2026-11-24T03:02:00Z")),
        "setting up an exercise",
    )
    .id;
    for (when, action) in [
        ("2026-11-24T03:03:00Z", ExerciseAction::Start),
        (
            "2026-11-24T03:04:00Z",
            ExerciseAction::StartScenario {
                scenario: "sc-1".to_owned(),
            },
        ),
    ] {
        ok(
            ada.act_on_exercise(&exercise, &action, &fixtures::at(when)),
            "running the exercise",
        );
    }
    let drill = publish(&mut ada, &team);
    (session, drill)
}
