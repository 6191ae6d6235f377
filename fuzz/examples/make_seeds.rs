//! Writes the seed corpus, `fuzz/seeds/<target>/`: real files made by
//! Muster's own code in the fuzz world (the starter plan's folder and
//! contacts, decision requests, signature files, bundles, team events and
//! roster files), plus a few written by hand the way other programs write
//! them. Deterministic: running it again gives the same files.
//!
//! Run from the repository root:
//! `cargo run --manifest-path fuzz/Cargo.toml --example make_seeds`

use std::fs;
use std::path::{Path, PathBuf};

use muster_core::decision::verify_bundle_pinned;
use muster_core::export::{contacts_csv, vcard};
use muster_core::fixtures::plans::tiny_plan;
use muster_core::folder;
use muster_core::plan::Plan;
use muster_core::team::roster::RosterFile;
use muster_core::team::{self, SignedEvent};
use muster_fuzz::{files, scratch, world};

/// A CSV as a spreadsheet exports it: `;`, a byte-order mark, quotes, a
/// comma and a line break inside quoted fields, split names, CRLF.
const HAND_CSV: &str = "\u{feff}First name;Last name;Job title;Company;E-mail;Mobile;Slack\r\n\
Zoë;Ångström;Counsel;\"Brightline; LLP\";zoe@example.com;+44 20 7946 0000;@zoe\r\n\
\"Doe, Jane\";;\"Head of \"\"Ops\"\"\";;jane@example.com;;\r\n\
Li;Lei;\"Night\nshift\";;li@example.com;;\r\n";

/// A vCard 3.0 as a phone exports it: folding, groups, parameters,
/// escapes, and a card without FN.
const HAND_VCARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ångström;Zoë;;;\r\nFN:Zoë Ångström\r\n\
ORG:Brightline\\, LLP;Legal\r\nTITLE:Counsel\r\nitem1.EMAIL;type=INTERNET;type=pref:zoe@exa\r\n \
mple.com\r\nTEL;TYPE=\"cell,voice\":+44 20 7946 0000\r\nIMPP:xmpp:zoe@example.com\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:4.0\r\nN:Lei;Li;;;\r\nTEL;VALUE=uri:tel:+86-10-1234-5678\r\nEND:VCARD\r\n";

/// A plan folder with a syntax error, a stray file and a procedure that is
/// not listed: every kind of problem the reader reports.
const BROKEN_PLAN: &[(&str, &str)] = &[
    (
        "plan.toml",
        "format = 1\nname = \"Broken\nprocedures = [\"rpc-down\", \"rpc-down\"]\n",
    ),
    ("issues.toml", "[[issue]]\nid = \"Not An Id\"\nname = 3\n"),
    ("categorys.toml", "[[category]]\n"),
    ("procedures/other.toml", "[[step]]\ntext = \"\"\n"),
];

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    if let Err(e) = fs::write(dir.join(name), bytes) {
        panic!("cannot write the seed {name}: {e}");
    }
}

/// The seed folder of `target`, emptied.
fn seeds(root: &Path, target: &str) -> PathBuf {
    let dir = root.join(target);
    scratch::fresh(&dir);
    dir
}

fn plan_files(plan: &Plan) -> Vec<u8> {
    let rendered = folder::render(plan);
    let named: Vec<(&str, &[u8])> = rendered
        .iter()
        .map(|f| (f.path.as_str(), f.text.as_bytes()))
        .collect();
    files::encode(&named)
}

/// An event for a seed whose header is `+` (signed again by the harness,
/// so it may say anything), as compact JSON: to stay small, a plan change
/// keeps a few of its operations and a declaration one of the procedures
/// it copies.
fn shortened(event: &SignedEvent) -> Vec<u8> {
    let mut e = event.clone();
    if let Some(ops) = e.event.body.get_mut("ops").and_then(|o| o.as_array_mut()) {
        let tail = ops.split_off(ops.len().saturating_sub(2));
        ops.truncate(4);
        ops.extend(tail);
    }
    let procedures = e.event.body.pointer_mut("/event/procedures");
    if let Some(procedures) = procedures.and_then(|p| p.as_array_mut()) {
        procedures.truncate(1);
    }
    serde_json::to_vec(&e).unwrap_or_else(|e| panic!("an event as JSON: {e}"))
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("no temporary folder: {e}"));
    let work = work.path();
    let plan = world::plan(&work.join("plan"));
    let tiny = tiny_plan();

    let dir = seeds(&root, "plan_folder");
    write(&dir, "starter", &plan_files(&plan));
    write(&dir, "tiny", &plan_files(&tiny));
    let broken: Vec<(&str, &[u8])> = BROKEN_PLAN
        .iter()
        .map(|(n, t)| (*n, t.as_bytes()))
        .collect();
    write(&dir, "broken", &files::encode(&broken));

    let dir = seeds(&root, "contacts_csv");
    write(&dir, "starter.csv", contacts_csv::write(&plan).as_bytes());
    write(&dir, "tiny.csv", contacts_csv::write(&tiny).as_bytes());
    write(&dir, "spreadsheet.csv", HAND_CSV.as_bytes());

    let dir = seeds(&root, "vcard");
    write(&dir, "starter.vcf", vcard::write(&plan).as_bytes());
    write(&dir, "tiny.vcf", vcard::write(&tiny).as_bytes());
    write(&dir, "phone.vcf", HAND_VCARD.as_bytes());

    let (_, requests) = world::requester(&work.join("requester"));
    let dir = seeds(&root, "decision_request");
    for (name, r) in ["incident", "exercise"].iter().zip(&requests) {
        write(&dir, &format!("{name}.request"), r.record.as_bytes());
    }
    let dir = seeds(&root, "decision_signature");
    for (name, text) in world::signatures(&requests) {
        write(&dir, &format!("{name}.sig"), text.as_bytes());
    }

    let dir = seeds(&root, "bundle");
    for (name, bundle) in world::bundles(&work.join("bundles")) {
        let named: Vec<(&str, &[u8])> = bundle
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        write(&dir, &name, &files::encode(&named));
    }

    // Event files as Muster writes them (pretty JSON), and the session's
    // as compact JSON, which the reader takes as well: the first plan
    // change carries the whole plan, and compact keeps it under 64 KiB.
    let dir = seeds(&root, "team_event");
    let (events, drill) = world::team_events(&work.join("team"));
    let compact: Vec<Vec<u8>> = events
        .iter()
        .map(|e| serde_json::to_vec(e).unwrap_or_else(|e| panic!("an event as JSON: {e}")))
        .collect();
    let session: Vec<(&str, &[u8])> = compact.iter().map(|e| ("auto", e.as_slice())).collect();
    write(&dir, "session", &files::encode(&session));
    let resigned: Vec<Vec<u8>> = events.iter().map(shortened).collect();
    let again: Vec<(&str, &[u8])> = resigned.iter().map(|e| ("+", e.as_slice())).collect();
    write(&dir, "session-signed-again", &files::encode(&again));
    let exercise: Vec<Vec<u8>> = drill.iter().map(shortened).collect();
    let exercise: Vec<(&str, &[u8])> = exercise.iter().map(|e| ("+", e.as_slice())).collect();
    write(&dir, "exercise-signed-again", &files::encode(&exercise));
    if let Some(note) = events.get(1) {
        let file = note.to_file();
        write(&dir, "note", &files::encode(&[("auto", &file)]));
        let conflict = "ab/0000.sync-conflict-20261124-030000-ABCDEFG.json";
        let named = [("auto", file.as_slice()), (conflict, file.as_slice())];
        write(&dir, "conflict-copy", &files::encode(&named));
    }

    let dir = seeds(&root, "team_roster");
    let rosters: Vec<(String, Vec<u8>)> = world::roster_files(&work.join("roster"))
        .into_iter()
        .map(|(name, file)| (name, file.to_file()))
        .collect();
    if let Some((name, bytes)) = rosters.first() {
        write(&dir, name, &files::encode(&[("auto", bytes)]));
    }
    let chain: Vec<(&str, &[u8])> = rosters
        .iter()
        .map(|(_, b)| ("auto", b.as_slice()))
        .collect();
    write(&dir, "chain", &files::encode(&chain));
    if let Some((_, proposed)) = rosters.get(1) {
        write(&dir, "v2-signed-again", &files::encode(&[("+", proposed)]));
    }
    println!("seeds written to {}", root.display());
    check(&root, &work.join("check"));
}

/// Checks that the seeds reach what they are for in the world the targets
/// build: each bundle verifies, each request and signature is taken, the
/// team session verifies and is taken in, the roster chain comes into
/// force. A seed that no longer does (core changed its formats) fails here.
fn check(root: &Path, work: &Path) {
    let must = |what: &str, fine: bool| assert!(fine, "seed check failed: {what}");
    let read = |target: &str, name: &str| -> Vec<u8> {
        fs::read(root.join(target).join(name)).unwrap_or_else(|e| panic!("{target}/{name}: {e}"))
    };
    let clock = world::clock();

    let anchor = world::plan(&work.join("plan"));
    let root_digest = world::roster_root(&work.join("roster"));
    for name in [
        "approved-with-rejection",
        "approved-roster-v1",
        "pending-roster-v2",
        "exercise-pending",
    ] {
        let dir = work.join("bundle").join(name);
        scratch::fresh(&dir);
        files::write_all(&dir, &read("bundle", name), 1);
        let verdict = verify_bundle_pinned(&dir, &anchor, Some(&root_digest), world::now());
        must(
            name,
            verdict
                .as_ref()
                .is_ok_and(|v| v.approved == name.starts_with("approved")),
        );
    }

    let mut signer = world::signer(&work.join("signer"));
    for name in ["incident.request", "exercise.request"] {
        must(
            name,
            signer
                .import_request(&read("decision_request", name), &clock)
                .is_ok(),
        );
    }
    let (mut requester, _) = world::requester(&work.join("requester"));
    for name in [
        "ben-approves.sig",
        "chloe-approves.sig",
        "dara-rejects.sig",
        "ben-approves-exercise.sig",
    ] {
        let text = String::from_utf8(read("decision_signature", name)).unwrap_or_default();
        must(name, requester.import_signature(&text, &clock).is_ok());
    }

    let (mut receiver, shared) = world::team_receiver(&work.join("receiver"));
    for (seed, what) in [
        ("session", "the session"),
        ("exercise-signed-again", "the exercise"),
    ] {
        let bytes = read("team_event", seed);
        let written = files::decode(&bytes);
        scratch::fresh(&shared.join(team::folder::EVENTS));
        for file in &written {
            let event: SignedEvent =
                serde_json::from_slice(file.bytes).unwrap_or_else(|e| panic!("{e}"));
            // As the harness does for `+`: signed again by its author.
            let event = match file.name {
                b"+" => {
                    let key = world::key_for(event.event.author.as_str());
                    SignedEvent::sign(event.event, &key).unwrap_or_else(|e| panic!("{e}"))
                }
                _ => event,
            };
            files::put(
                &shared,
                &team::folder::path_of(&shared, &event.id()),
                &event.to_file(),
            );
        }
        let plan = receiver.plan().unwrap_or_else(|e| panic!("{e}"));
        let scan = team::folder::scan(&shared, &plan);
        must(
            &format!("{what} verifies"),
            scan.verified.len() == written.len() && scan.quarantined.is_empty(),
        );
        let intake = receiver.take_in(&scan, &clock);
        must(
            &format!("{what} is taken in"),
            intake.is_ok_and(|i| i.new == written.len() && i.waiting == 0),
        );
    }
    must(
        "Ben follows the exercise",
        receiver.exercises().is_ok_and(|e| e.len() == 1),
    );

    let (mut keeper, _) = world::roster_keeper(&work.join("keeper"));
    let chain: Vec<RosterFile> = files::decode(&read("team_roster", "chain"))
        .iter()
        .filter_map(|f| RosterFile::parse(f.bytes).ok())
        .collect();
    must("the chain parses", chain.len() == 3);
    must(
        "the chain is taken",
        keeper
            .take_in_roster(&chain, &clock)
            .is_ok_and(|aside| aside.is_empty()),
    );
    let view = keeper.roster().unwrap_or_else(|e| panic!("{e}"));
    must(
        "version 2 is in force",
        view.current.is_some_and(|c| c.version == 2),
    );
    println!("every seed reaches what it is for");
}
