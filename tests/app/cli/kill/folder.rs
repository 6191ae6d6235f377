//! One data folder under the kill harness: its set-up, the writes chosen at
//! random from what it holds, the ledger of what must survive (see
//! `ledger`), and the checks after every kill.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use muster_core::clock::SystemClock;
use muster_core::decision::{Answer, DecisionId, DecisionRequest, QuorumState, Standing};
use muster_core::exercise::{ExerciseAction, ExerciseId, ExerciseSetup, LogKind};
use muster_core::fixtures::{key_of, signature, with_keys};
use muster_core::incident::{IncidentAction, IncidentId, StepStatus};
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::{id, Audience};
use muster_core::starter;
use muster_core::store::{Store, DB_FILE};
use serde_json::json;

use super::keychain::Keychain;
use super::ledger::{marker, observe, Item, Observed};
use super::run::{Moment, Outcome, Phase, Program, Programs, Runner, Wal};
use super::{Rng, Tally};
use crate::today;

/// This profile: it acknowledges escalations and requests decisions.
pub(super) const ME: &str = "ada-example";
/// The decision signed by file (Dara and two more approve it), its signers,
/// and the one approved by attestation (phone calls), its approvers.
const SIGNED_POLICY: &str = "upgrade-contract";
const SIGNERS: [&str; 4] = ["dara-mock", "ben-sample", "chloe-demo", "ada-example"];
const ATTESTED_POLICY: &str = "notify-law-enforcement";
const ATTESTERS: [&str; 2] = ["ada-example", "ben-sample"];
const WITNESS: &str = "chloe-demo";
/// The exercise whose run is logged, and its scenario.
pub(super) const EXERCISE: &str = "EX-1";
const SCENARIO: &str = "sc-1";
/// The issue every incident here is declared from (it calls Ada at once),
/// and the one plan edits change.
const ISSUE: &str = "stolen-user-funds";
pub(super) const EDITED: &str = "protocol-ddos";
/// Extended contacts only a variant has, and contacts in one CSV file.
const FILLERS: usize = 120;
const BATCH: usize = 20;

/// A write the harness makes, and kills.
#[derive(Debug, Clone)]
enum Op {
    PlanImport {
        variant: usize,
    },
    /// This profile (Ada) signs with the key in the OS keychain.
    SignHere {
        decision: String,
        incident: String,
        request: PathBuf,
        out: PathBuf,
    },
    ContactsImport {
        file: PathBuf,
        names: Vec<String>,
    },
    Declare {
        token: String,
    },
    Note {
        incident: String,
        token: String,
    },
    Ack {
        incident: String,
    },
    Request {
        incident: String,
        policy: &'static str,
        token: String,
        out: PathBuf,
    },
    Sign {
        decision: String,
        incident: String,
        signer: &'static str,
        file: PathBuf,
    },
    Attest {
        decision: String,
        incident: String,
        approver: &'static str,
    },
    Step {
        incident: String,
        token: String,
    },
    Update {
        incident: String,
        token: String,
    },
    Log {
        token: String,
    },
    /// An edit of one element (an issue's description), as the app's editor saves it.
    Edit {
        token: String,
    },
}

impl Op {
    /// The command's name in the summary.
    fn label(&self) -> &'static str {
        match self {
            Op::PlanImport { .. } => "plan import",
            Op::ContactsImport { .. } => "contacts import (CSV)",
            Op::Declare { .. } => "incident declare",
            Op::Note { .. } => "incident note",
            Op::Ack { .. } => "incident ack",
            Op::Request { .. } => "decision request",
            Op::Sign { .. } => "decision import (signature)",
            Op::SignHere { .. } => "decision sign (keychain)",
            Op::Attest { .. } => "decision attest",
            Op::Step { .. } => "step mark (store child)",
            Op::Update { .. } => "update (store child)",
            Op::Log { .. } => "exercise log (store child)",
            Op::Edit { .. } => "plan edit (store child)",
        }
    }

    /// The incident whose timeline it appends to, if any.
    fn incident(&self) -> Option<&str> {
        match self {
            Op::Note { incident, .. }
            | Op::Ack { incident }
            | Op::Request { incident, .. }
            | Op::Sign { incident, .. }
            | Op::SignHere { incident, .. }
            | Op::Attest { incident, .. }
            | Op::Step { incident, .. }
            | Op::Update { incident, .. } => Some(incident),
            _ => None,
        }
    }

    /// What it writes, as the ledger looks for it.
    fn item(&self) -> Item {
        match self {
            Op::PlanImport { variant } => Item::Variant(*variant),
            Op::ContactsImport { names, .. } => Item::Batch(names.clone()),
            Op::Declare { token } => Item::Incident(token.clone()),
            Op::Note { incident, token }
            | Op::Step { incident, token }
            | Op::Update { incident, token } => Item::Event {
                incident: incident.clone(),
                token: token.clone(),
            },
            Op::Ack { incident } => Item::Ack(incident.clone()),
            Op::Request { token, .. } => Item::Decision(token.clone()),
            Op::Sign {
                decision, signer, ..
            } => Item::Signature {
                decision: decision.clone(),
                signer: (*signer).to_owned(),
            },
            Op::SignHere { decision, .. } => Item::Signature {
                decision: decision.clone(),
                signer: ME.to_owned(),
            },
            Op::Attest {
                decision, approver, ..
            } => Item::Attestation {
                decision: decision.clone(),
                approver: (*approver).to_owned(),
            },
            Op::Log { token } => Item::Log(token.clone()),
            Op::Edit { token } => Item::Edit(token.clone()),
        }
    }

    /// The process that makes the write.
    fn program(&self, variants: &[PathBuf; 2]) -> Program {
        let muster =
            |args: &[&str]| Program::Muster(args.iter().map(|a| (*a).to_owned()).collect());
        match self {
            Op::PlanImport { variant } => muster(&["plan", "import", &arg(&variants[*variant])]),
            Op::ContactsImport { file, .. } => muster(&["contacts", "import", &arg(file)]),
            Op::Declare { token } => muster(&[
                "incident",
                "declare",
                "--issue",
                ISSUE,
                "--severity",
                "S1",
                "--title",
                &format!("Kill harness {token}"),
            ]),
            Op::Note { incident, token } => muster(&[
                "incident",
                "note",
                incident,
                &format!("Seen by the kill harness {token}"),
            ]),
            Op::Ack { incident } => muster(&["incident", "ack", incident]),
            Op::Request {
                incident,
                policy,
                token,
                out,
            } => muster(&[
                "decision",
                "request",
                "--policy",
                policy,
                "--incident",
                incident,
                "--statement",
                &format!("Kill harness {token}"),
                "--out",
                &arg(out),
            ]),
            Op::Sign { file, .. } => muster(&["decision", "import", &arg(file)]),
            Op::SignHere { request, out, .. } => muster(&[
                "decision",
                "sign",
                &arg(request),
                "--approve",
                "--out",
                &arg(out),
            ]),
            Op::Attest {
                decision, approver, ..
            } => {
                let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
                muster(&[
                    "decision",
                    "attest",
                    decision,
                    "--approver",
                    approver,
                    "--channel",
                    "phone",
                    "--at",
                    &now,
                    "--witness",
                    WITNESS,
                ])
            }
            Op::Step { incident, token } => Program::Writer(format!("step {incident} {token}")),
            Op::Update { incident, token } => Program::Writer(format!("update {incident} {token}")),
            Op::Log { token } => Program::Writer(format!("log {EXERCISE} {token}")),
            Op::Edit { token } => Program::Writer(format!("edit {EDITED} {token}")),
        }
    }
}

/// `path` as a command-line argument.
fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// A data folder under the harness, with the plan folders it imports, the
/// ledger of what must survive, and what it held at the last check.
#[derive(Debug)]
pub struct Folder {
    number: usize,
    seed: u64,
    /// The temporary folder holding everything; taken (kept) on a failure.
    root: Option<tempfile::TempDir>,
    data: PathBuf,
    files: PathBuf,
    runner: Runner,
    /// Runs `muster incident verify` beside the next command after a kill.
    verifier: Runner,
    wal: Wal,
    /// The two plan folders imported in turn, and each one's extended team.
    variants: [PathBuf; 2],
    variant_team: [BTreeSet<String>; 2],
    /// The extended team as set up, before any plan import.
    first_team: BTreeSet<String>,
    /// Writes acknowledged or seen after a kill: each must be there, whole.
    ledger: Vec<Item>,
    last: Observed,
    made: usize,
    steps: usize,
    /// Ada's key is in the OS keychain (else she signs by file, as the others).
    keyed_here: bool,
}

impl Folder {
    /// A new data folder, seeded by the command line, then (not killed):
    /// this profile as Ada, her key made by `muster key init` in `keychain`
    /// (else a fixture key, as the other core members have), a running
    /// exercise, two plan folders exported and marked as variants A and B,
    /// and a first incident.
    pub fn set_up(
        number: usize,
        seed: u64,
        programs: &Programs,
        keychain: Option<&Keychain>,
        tally: &mut Tally,
    ) -> Folder {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let files = root.path().join("files");
        fs::create_dir_all(&files).unwrap();
        let verifier = Runner::new(&data, &root.path().join("verify"), programs);
        let runner = Runner::new(&data, root.path(), programs)
            .with_env(keychain.map(Keychain::env).unwrap_or_default());
        let wal = Wal::File(data.join(format!("{DB_FILE}-wal")));
        let (set_up_runner, set_up_wal) = (runner.clone(), wal.clone());
        let must = move |args: &[&str]| {
            let program = Program::Muster(args.iter().map(|a| (*a).to_owned()).collect());
            let out = set_up_runner.run(&program, Moment::Never, &set_up_wal);
            assert!(
                out.acknowledged(),
                "set-up: muster {args:?}: {}",
                out.describe()
            );
            out
        };
        must(&["plan", "show"]);
        if keychain.is_some() {
            must(&["key", "init", "--as", ME]);
        }
        {
            let mut store = Store::open_in(&data, &SystemClock).unwrap();
            let before = store.plan().unwrap();
            let mut plan = with_keys(before.clone(), None);
            if keychain.is_some() {
                // Ada keeps the key `key init` made in the keychain.
                for (new, old) in plan.core_team.iter_mut().zip(&before.core_team) {
                    if new.id.as_str() == ME {
                        new.public_key.clone_from(&old.public_key);
                    }
                }
            }
            store
                .replace_plan(&plan, "Signing keys for the kill harness", &SystemClock)
                .unwrap();
            store.set_profile_contact(&id(ME)).unwrap();
            store.set_profile_name("Ada Example").unwrap();
            let exercise = store
                .create_exercise(&exercise_setup(), &SystemClock)
                .unwrap()
                .id;
            assert_eq!(exercise.as_str(), EXERCISE);
            let scenario = || SCENARIO.to_owned();
            for action in [
                ExerciseAction::Start,
                ExerciseAction::StartScenario {
                    scenario: scenario(),
                },
                ExerciseAction::RevealSituation {
                    scenario: scenario(),
                },
            ] {
                store
                    .act_on_exercise(&exercise, &action, &SystemClock)
                    .unwrap_or_else(|e| panic!("set-up: {action:?}: {e}"));
            }
        }
        let variants = [root.path().join("plan-a"), root.path().join("plan-b")];
        for (v, dir) in variants.iter().enumerate() {
            must(&["plan", "export", &arg(dir)]);
            mark(dir, v);
        }
        let first = observe(&data).unwrap_or_else(|e| panic!("set-up: {e}"));
        let first_team = first.extended.clone();
        let variant_team = [0, 1].map(|v| {
            let mut team = first_team.clone();
            team.extend((1..=FILLERS).map(|n| filler(v, n).1));
            team
        });
        let mut folder = Folder {
            number,
            seed,
            root: Some(root),
            data,
            files,
            runner,
            verifier,
            wal,
            variants,
            variant_team,
            first_team,
            ledger: Vec::new(),
            last: first,
            made: 0,
            steps: 0,
            keyed_here: keychain.is_some(),
        };
        let token = folder.token();
        let declared = must(&[
            "incident",
            "declare",
            "--issue",
            ISSUE,
            "--severity",
            "S1",
            "--title",
            &format!("Kill harness {token}"),
        ]);
        assert!(declared.stdout.starts_with("INC-"), "{}", declared.stdout);
        tally.acknowledged += 1;
        folder.commit(Item::Incident(token));
        folder.check(None, tally, "set-up");
        folder
    }

    /// A token no other write in this folder holds (delimited, so that no
    /// token is part of another).
    fn token(&mut self) -> String {
        self.made += 1;
        format!("[kill-{}-{:05}]", self.number, self.made)
    }

    /// Adds `item` to the ledger; a plan import replaces the plan, so it
    /// supersedes the plan imports, contacts imports and edits before it; an
    /// edit supersedes the edits before it (they change the same field).
    fn commit(&mut self, item: Item) {
        match item {
            Item::Variant(_) => self
                .ledger
                .retain(|i| !matches!(i, Item::Variant(_) | Item::Batch(_) | Item::Edit(_))),
            Item::Edit(_) => self.ledger.retain(|i| !matches!(i, Item::Edit(_))),
            _ => {}
        }
        self.ledger.push(item);
    }

    /// One write, chosen at random from what the folder holds, killed after
    /// a random delay or in the commit window (or, the first time a command
    /// runs, timed to its end), then the checks.
    pub fn step(&mut self, rng: &mut Rng, tally: &mut Tally) {
        self.steps += 1;
        let op = self.choose(rng);
        let label = op.label();
        let (moment, phase) = match tally.lengths.get(label) {
            None => (Moment::Never, None),
            Some(length) if rng.chance(50) => (delay(rng, *length), Some(Phase::Delay)),
            Some(_) => {
                let (nth, then) = window(rng);
                (Moment::WalGrowth { nth, then }, Some(Phase::CommitWindow))
            }
        };
        let program = op.program(&self.variants);
        let outcome = self.runner.run(&program, moment, &self.wal);
        if outcome.acknowledged() {
            let learnt = tally
                .lengths
                .get(label)
                .map_or(outcome.took, |l| (*l * 3 + outcome.took) / 4);
            tally.lengths.insert(label, learnt);
        }
        match phase {
            None => tally.calibration_runs += 1,
            Some(phase) => tally.count(label, phase, outcome.killed),
        }
        let context = format!(
            "seed {}, folder {}, step {}, kill {}: {label} {:?}, {moment:?}, {}",
            self.seed,
            self.number,
            self.steps,
            tally.kills,
            program,
            outcome.describe()
        );
        if outcome.hung || (!outcome.killed && outcome.code != Some(0)) {
            self.fail(
                tally,
                &context,
                &["the command failed without being killed".to_owned()],
            );
            return;
        }
        self.check(Some((&op, &outcome)), tally, &context);
    }

    /// Records `problems` as failures and keeps the data folder to look at.
    fn fail(&mut self, tally: &mut Tally, context: &str, problems: &[String]) {
        for problem in problems {
            tally.failures.push(format!("{context}: {problem}"));
        }
        if let Some(root) = self.root.take() {
            let kept = root.keep();
            tally.failures.push(format!(
                "the data folder is kept at {}",
                kept.join("data").display()
            ));
        }
    }

    /// The checks after `done` (a write and how it ended): the database is
    /// whole, every write in the ledger is there once and whole, the killed
    /// write is whole or absent, nothing seen before is gone, quorums count
    /// each signature once; then the next command works, the touched chain
    /// verifies with `muster incident verify`, and every chain and quorum
    /// with the store.
    fn check(&mut self, done: Option<(&Op, &Outcome)>, tally: &mut Tally, context: &str) {
        tally.checks += 1;
        let seen = match observe(&self.data) {
            Ok(seen) => seen,
            Err(e) => return self.fail(tally, context, &[e]),
        };
        let mut problems = self.compare(&seen, done, tally);
        // A command that finished by itself left nothing new to recover
        // from: the ledger's check suffices there.
        let killed = done.is_none_or(|(_, outcome)| outcome.killed);
        if problems.is_empty() && killed {
            tally.deep_checks += 1;
            problems.extend(self.next_command_works(
                &seen,
                done.and_then(|(op, _)| op.incident()),
                tally,
            ));
        }
        if problems.is_empty() && killed {
            problems.extend(self.chains_and_quorums(&seen));
        }
        self.last = seen;
        if !problems.is_empty() {
            self.fail(tally, context, &problems);
        }
    }

    /// What `seen` holds against the ledger and the last check.
    fn compare(
        &mut self,
        seen: &Observed,
        done: Option<(&Op, &Outcome)>,
        tally: &mut Tally,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        if seen.integrity != ["ok"] {
            problems.push(format!("PRAGMA integrity_check: {:?}", seen.integrity));
        }
        if seen.broken_keys > 0 {
            problems.push(format!("{} foreign keys point nowhere", seen.broken_keys));
        }
        if seen.seeds != 1 || seen.plans != 1 {
            problems.push(format!(
                "{} seed revisions and {} plans (one of each expected)",
                seen.seeds, seen.plans
            ));
        }
        let variant = seen.variant().unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        // Nothing seen at the last check is gone.
        let last = &self.last;
        if seen.revisions < last.revisions {
            problems.push(format!(
                "revisions went from {} to {}",
                last.revisions, seen.revisions
            ));
        }
        for (id, before) in &last.incidents {
            match seen.incidents.get(id) {
                None => problems.push(format!("{id} is gone")),
                Some(now)
                    if now.event_count < before.event_count
                        || now.events.len() < before.events.len() =>
                {
                    problems.push(format!(
                        "{id} went from {} to {} events",
                        before.event_count, now.event_count
                    ));
                }
                Some(_) => {}
            }
        }
        for (id, before) in &last.decisions {
            match seen.decisions.get(id) {
                None => problems.push(format!("{id} is gone")),
                Some(now)
                    if now.signed.len() < before.signed.len()
                        || now.attested.len() < before.attested.len() =>
                {
                    problems.push(format!("{id} lost signatures or attested approvals"));
                }
                Some(_) => {}
            }
        }
        if seen.log_count < last.log_count || seen.log.len() < last.log.len() {
            problems.push(format!(
                "{EXERCISE}'s log went from {} to {} entries",
                last.log_count, seen.log_count
            ));
        }
        // The write just made: acknowledged, it is there; killed, it is
        // there whole or not at all.
        if let Some((op, outcome)) = done {
            let item = op.item();
            let (found, parts) = item.found(seen);
            if outcome.acknowledged() {
                if found == parts {
                    tally.acknowledged += 1;
                    self.commit(item);
                } else {
                    problems.push(format!(
                        "acknowledged, yet {found} of its {parts} parts are there: {item:?}"
                    ));
                }
            } else if outcome.killed {
                if found == 0 {
                    tally.rolled_back += 1;
                } else if found == parts {
                    tally.landed += 1;
                    self.commit(item);
                } else {
                    problems.push(format!(
                        "killed, it left {found} of its {parts} parts (half made, or doubled): {item:?}"
                    ));
                }
            }
        }
        // Every write acknowledged or seen before is there, once and whole.
        for item in &self.ledger {
            tally.presence_checks += 1;
            let (found, parts) = item.found(seen);
            if found != parts {
                problems.push(format!(
                    "lost or doubled: {found} of {parts} parts of {item:?}"
                ));
            }
        }
        // The extended team is the plan folder's and the contacts imported since.
        let mut team = match variant {
            Some(v) => self.variant_team[v].clone(),
            None => self.first_team.clone(),
        };
        for item in &self.ledger {
            if let Item::Batch(names) = item {
                team.extend(names.iter().cloned());
            }
        }
        if seen.extended != team {
            let missing: Vec<_> = team.difference(&seen.extended).take(5).collect();
            let extra: Vec<_> = seen.extended.difference(&team).take(5).collect();
            problems.push(format!(
                "the extended team is not the plan's and the imports': missing {missing:?}…, extra {extra:?}…"
            ));
        }
        // Each signature and attested approval is on its incident's timeline once.
        for (id, decision) in &seen.decisions {
            let on = |kind| seen.decision_events(&decision.incident, kind, id);
            let (signed, attested, resolved) = (
                on("decisionSigned"),
                on("decisionAttested"),
                on("decisionResolved"),
            );
            if signed != decision.signed.len()
                || attested != decision.attested.len()
                || resolved > 1
            {
                problems.push(format!(
                    "{id}: {} signatures and {} attested approvals stored, but {signed}, {attested} and {resolved} resolutions on {}'s timeline",
                    decision.signed.len(),
                    decision.attested.len(),
                    decision.incident
                ));
            }
        }
        problems
    }

    /// The next commands after a kill, run at once (two processes find the
    /// database as the kill left it): a note on the touched incident (or the
    /// newest) must be written, and `muster incident verify` must find that
    /// incident's chain intact.
    fn next_command_works(
        &mut self,
        seen: &Observed,
        touched: Option<&str>,
        tally: &mut Tally,
    ) -> Vec<String> {
        let newest = seen
            .incidents
            .keys()
            .max_by_key(|id| id.trim_start_matches("INC-").parse::<u64>().unwrap_or(0))
            .cloned()
            .unwrap_or_else(|| "INC-1".to_owned());
        let incident = touched
            .filter(|t| seen.incidents.contains_key(*t))
            .map_or(newest, str::to_owned);
        let token = self.token();
        let note = Program::Muster(vec![
            "incident".into(),
            "note".into(),
            incident.clone(),
            format!("Written after a kill {token}"),
        ]);
        let verify = {
            let (verifier, wal) = (self.verifier.clone(), self.wal.clone());
            let program =
                Program::Muster(vec!["incident".into(), "verify".into(), incident.clone()]);
            std::thread::spawn(move || verifier.run(&program, Moment::Never, &wal))
        };
        let out = self.runner.run(&note, Moment::Never, &self.wal);
        let verified = verify.join().unwrap();
        if !verified.acknowledged() || !verified.stdout.ends_with("chain intact\n") {
            return vec![format!(
                "muster incident verify {incident}: {}",
                verified.describe()
            )];
        }
        if !out.acknowledged() {
            return vec![format!(
                "the next command (a note on {incident}) failed: {}",
                out.describe()
            )];
        }
        tally.acknowledged += 1;
        self.commit(Item::Event {
            incident: incident.clone(),
            token,
        });
        Vec::new()
    }

    /// Through the store: every incident's chain verifies, the exercise log's
    /// chain reads, and each decision's quorum counts exactly the stored
    /// signatures and attested approvals (and is resolved on the timeline
    /// exactly when it is settled).
    fn chains_and_quorums(&self, seen: &Observed) -> Vec<String> {
        let mut problems = Vec::new();
        let mut store = match Store::open_in(&self.data, &SystemClock) {
            Ok(store) => store,
            Err(e) => return vec![format!("the store does not open: {e}")],
        };
        match store.incidents() {
            Ok(incidents) => {
                for summary in incidents {
                    match store.verify_incident(&summary.id) {
                        Ok(v) if v.first_bad.is_none() => {}
                        Ok(v) => problems
                            .push(format!("{}: chain broken at {:?}", summary.id, v.first_bad)),
                        Err(e) => problems.push(format!("{}: {e}", summary.id)),
                    }
                }
            }
            Err(e) => problems.push(format!("the incidents do not read: {e}")),
        }
        if let Err(e) = store.exercise(&ExerciseId(EXERCISE.to_owned())) {
            problems.push(format!("{EXERCISE} does not read: {e}"));
        }
        let statuses = match store.decisions(&SystemClock) {
            Ok(statuses) => statuses,
            Err(e) => {
                problems.push(format!("the decisions do not read: {e}"));
                Vec::new()
            }
        };
        for status in statuses {
            let id = status.request.id.as_str();
            let Some(stored) = seen.decisions.get(id) else {
                problems.push(format!("{id} is in the store but was not seen"));
                continue;
            };
            let standing = |wanted: &[Standing]| {
                status
                    .quorum
                    .approvers
                    .iter()
                    .filter(|a| wanted.contains(&a.standing))
                    .count()
            };
            let signed = standing(&[Standing::Signed, Standing::Rejected]);
            let attested = standing(&[Standing::Attested, Standing::AttestedNotCounted]);
            let settled = matches!(
                status.quorum.state,
                QuorumState::Approved | QuorumState::Rejected
            );
            let resolved = seen.decision_events(&stored.incident, "decisionResolved", id);
            if signed != stored.signed.len()
                || status.signatures.len() != stored.signed.len()
                || attested != stored.attested.len()
                || status.attestations.len() != stored.attested.len()
                || resolved != usize::from(settled)
            {
                problems.push(format!(
                    "{id} ({}): the quorum counts {signed} signatures and {attested} attested approvals, {:?}, with {resolved} resolutions on the timeline; stored: {:?} and {:?}",
                    stored.policy, status.quorum.state, stored.signed, stored.attested
                ));
            }
        }
        problems
    }

    /// A write to make next, chosen at random among those the folder allows.
    fn choose(&mut self, rng: &mut Rng) -> Op {
        let seen = &self.last;
        let incidents: Vec<String> = seen.incidents.keys().cloned().collect();
        // An escalation waits for this profile's person only where the
        // declaration named them: who is on call turns with the week.
        let told_me = format!("\"contact\":\"{ME}\"");
        let unacknowledged: Vec<String> = incidents
            .iter()
            .filter(|i| Item::Ack((*i).clone()).found(seen).0 == 0)
            .filter(|i| {
                seen.incidents.get(*i).is_some_and(|inc| {
                    inc.events
                        .first()
                        .is_some_and(|e| e.kind() == "declared" && e.raw.contains(&told_me))
                })
            })
            .cloned()
            .collect();
        let mut to_sign = Vec::new();
        let mut to_attest = Vec::new();
        for (id, d) in &seen.decisions {
            if d.policy == SIGNED_POLICY {
                for signer in SIGNERS {
                    if !d.signed.iter().any(|(who, _)| who == signer) {
                        to_sign.push((id.clone(), d.incident.clone(), signer));
                    }
                }
            } else if d.policy == ATTESTED_POLICY {
                for approver in ATTESTERS {
                    if !d.attested.iter().any(|who| who == approver) {
                        to_attest.push((id.clone(), d.incident.clone(), approver));
                    }
                }
            }
        }
        // How often each kind of write comes, in the order of the match below.
        let weights = [
            12,                                            // plan import
            12,                                            // contacts import
            if incidents.len() < 10 { 6 } else { 1 },      // incident declare
            12,                                            // incident note
            if unacknowledged.is_empty() { 0 } else { 5 }, // incident ack
            8,                                             // decision request
            if to_sign.is_empty() { 0 } else { 14 },       // a signature
            if to_attest.is_empty() { 0 } else { 6 },      // an attested approval
            7,                                             // step mark
            6,                                             // update
            9,                                             // exercise log entry
            8,                                             // plan edit
        ];
        let mut roll = rng.below(weights.iter().sum());
        let mut kind = 0;
        while roll >= weights[kind] {
            roll -= weights[kind];
            kind += 1;
        }
        let incident = rng.pick(&incidents).clone();
        match kind {
            0 => Op::PlanImport {
                variant: match seen.variant() {
                    Ok(Some(0)) => 1,
                    _ => 0,
                },
            },
            1 => self.contacts_file(),
            2 => Op::Declare {
                token: self.token(),
            },
            3 => Op::Note {
                incident,
                token: self.token(),
            },
            4 => Op::Ack {
                incident: rng.pick(&unacknowledged).clone(),
            },
            5 => {
                let token = self.token();
                let policy = if rng.chance(50) {
                    SIGNED_POLICY
                } else {
                    ATTESTED_POLICY
                };
                Op::Request {
                    incident,
                    policy,
                    out: self.files.join(format!("request-{}.txt", self.made)),
                    token,
                }
            }
            6 => {
                let (decision, incident, signer) = rng.pick(&to_sign).clone();
                if signer == ME && self.keyed_here {
                    self.made += 1;
                    let request = self.files.join(format!("request-{}.txt", self.made));
                    let out = self.files.join(format!("signature-{}.txt", self.made));
                    fs::write(&request, self.request_of(&decision).record).unwrap();
                    return Op::SignHere {
                        decision,
                        incident,
                        request,
                        out,
                    };
                }
                let file = self.signature_file(&decision, signer);
                Op::Sign {
                    decision,
                    incident,
                    signer,
                    file,
                }
            }
            7 => {
                let (decision, incident, approver) = rng.pick(&to_attest).clone();
                Op::Attest {
                    decision,
                    incident,
                    approver,
                }
            }
            8 => Op::Step {
                incident,
                token: self.token(),
            },
            9 => Op::Update {
                incident,
                token: self.token(),
            },
            10 => Op::Log {
                token: self.token(),
            },
            _ => Op::Edit {
                token: self.token(),
            },
        }
    }

    /// A CSV of [`BATCH`] new people (names no other file here has).
    fn contacts_file(&mut self) -> Op {
        self.made += 1;
        let batch = self.made;
        let names: Vec<String> = (1..=BATCH)
            .map(|n| format!("Batch {batch} Person {n}"))
            .collect();
        let mut csv = "Full name,E-mail,Job title\r\n".to_owned();
        for (n, name) in names.iter().enumerate() {
            let _ = write!(
                csv,
                "{name},b{batch}p{n}@example.com,\"Responder, batch {batch}\"\r\n"
            );
        }
        let file = self.files.join(format!("contacts-{batch}.csv"));
        fs::write(&file, csv).unwrap();
        Op::ContactsImport { file, names }
    }

    /// `signer`'s approval of `decision`, as their laptop's `muster decision
    /// sign` would write it (with the fixture key the plan lists for them).
    fn signature_file(&mut self, decision: &str, signer: &str) -> PathBuf {
        let request = self.request_of(decision);
        self.made += 1;
        let file = self.files.join(format!("signature-{}.txt", self.made));
        fs::write(
            &file,
            signature(&key_of(signer), &request, &Answer::Approve),
        )
        .unwrap();
        file
    }

    /// The stored request of `decision` (its `record` is the request file,
    /// which a killed `decision request` may not have written).
    fn request_of(&self, decision: &str) -> DecisionRequest {
        Store::open_in(&self.data, &SystemClock)
            .and_then(|mut store| store.decision_request(&DecisionId(decision.to_owned())))
            .unwrap_or_else(|e| panic!("{decision}: {e}"))
    }

    /// At the end of the folder's run: `muster incident verify` on every incident.
    pub fn finish(self, tally: &mut Tally) {
        if !tally.failures.is_empty() {
            return;
        }
        for incident in self.last.incidents.keys() {
            tally.final_verifies += 1;
            let verify =
                Program::Muster(vec!["incident".into(), "verify".into(), incident.clone()]);
            let out = self.runner.run(&verify, Moment::Never, &self.wal);
            if !out.acknowledged() || !out.stdout.ends_with("chain intact\n") {
                tally.failures.push(format!(
                    "seed {}, folder {}, at the end: muster incident verify {incident}: {}",
                    self.seed,
                    self.number,
                    out.describe()
                ));
            }
        }
    }
}

/// A kill after a random delay of 0 to N ms, N the command's learnt length
/// (the running average of its runs that were not killed): most kills land
/// mid-command; a run quicker than usual finishes first, and its write is
/// then acknowledged.
pub(super) fn delay(rng: &mut Rng, length: Duration) -> Moment {
    Moment::After(rng.duration_below(length + Duration::from_millis(1)))
}

/// Where in the commit window a kill lands: at the `nth` growth of the
/// write-ahead log (its header, then each frame), and `then` after it — at
/// once, or within the few milliseconds in which the frames are written,
/// synced, checkpointed into the database and the log removed.
pub(super) fn window(rng: &mut Rng) -> (u32, Duration) {
    let nth = *rng.pick(&[1, 1, 1, 2, 2, 3, 4]);
    let then = match rng.below(10) {
        0..=3 => Duration::ZERO,
        4..=6 => rng.duration_below(Duration::from_millis(1)),
        _ => rng.duration_below(Duration::from_millis(8)),
    };
    (nth, then)
}

/// An extended contact only variant `v` has, numbered `n`: (id, name).
fn filler(v: usize, n: usize) -> (String, String) {
    let letter = ["A", "B"][v];
    (
        format!("variant-{}-filler-{n}", letter.to_lowercase()),
        format!("Variant {letter} Filler {n}"),
    )
}

/// Makes the exported plan folder `dir` variant `v`: three fields in three
/// files marked, and [`FILLERS`] extended contacts of its own.
fn mark(dir: &Path, v: usize) {
    let plan = starter::plan(today());
    let issue = plan
        .issue(&id("oracle-failure"))
        .map(|i| i.title.clone())
        .unwrap();
    let role = plan
        .core_team
        .iter()
        .find(|m| m.id.as_str() == "ben-sample")
        .map(|m| m.role.clone())
        .unwrap();
    let policy = plan
        .decision(&id("pause-contract"))
        .map(|d| d.title.clone())
        .unwrap();
    let tag = marker(v);
    for (file, field, value) in [
        ("issues.toml", "title", issue),
        ("core-team.toml", "role", role),
        ("decisions.toml", "title", policy),
    ] {
        let path = dir.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let from = format!("{field} = \"{value}\"\n");
        assert!(text.contains(&from), "{file} has no {from:?}");
        fs::write(
            &path,
            text.replacen(&from, &format!("{field} = \"{value}{tag}\"\n"), 1),
        )
        .unwrap();
    }
    let path = dir.join("extended-team.toml");
    let mut text = fs::read_to_string(&path).unwrap();
    for n in 1..=FILLERS {
        let (id, name) = filler(v, n);
        let _ = write!(
            text,
            "\n[[contact]]\nid = \"{id}\"\nname = \"{name}\"\nrole = \"Kill harness filler\"\nemail = \"{id}@example.org\"\n"
        );
    }
    fs::write(&path, text).unwrap();
}

/// A running-ready exercise held today, moderated by Ada.
fn exercise_setup() -> ExerciseSetup {
    serde_json::from_value(json!({
        "title": "Kill harness drill",
        "date": today(),
        "moderator": ME,
        "participants": ["dara-mock"],
        "scope": "Logging under SIGKILL",
        "objectives": [{"key": "obj-1", "text": "Keep the log whole"}],
        "scenarios": [{
            "key": SCENARIO,
            "title": "Funds drained from the pool",
            "issue": ISSUE,
            "category": null,
            "situation": "The outflow alert fires at 03:10",
            "injects": [{"key": "inj-1", "title": "Funds move", "text": "The attacker moves funds"}],
            "expected": [{"key": "exp-1", "text": "Open the war room", "procedure": null, "step": null}],
            "targets": [],
        }],
    }))
    .unwrap_or_else(|e| panic!("exercise set-up: {e}"))
}

/// The writer child's one write (see `writes_through_the_store_for_a_parent_kill_harness`):
/// `step INC-n TOKEN` marks a step of the incident's first procedure done,
/// `update INC-n TOKEN` posts an internal update, `log EX-n TOKEN` logs
/// what was done in the exercise's scenario, `edit ISSUE TOKEN` saves the
/// issue with a new description (one element, as the editor saves it);
/// each text holds the token.
pub fn write_through_the_store(data: &Path, spec: &str) {
    let parts: Vec<&str> = spec.splitn(3, ' ').collect();
    let [kind, target, token] = parts[..] else {
        panic!("a write spec is `KIND TARGET TOKEN`, not {spec:?}");
    };
    let mut store = Store::open_in(data, &SystemClock).unwrap();
    let incident = IncidentId(target.to_owned());
    let action = match kind {
        "step" => {
            let found = store.incident(&incident).unwrap();
            let procedure = found
                .procedures
                .first()
                .unwrap_or_else(|| panic!("{target} follows no procedure"));
            let n = token.bytes().map(usize::from).sum::<usize>() % procedure.steps.len().max(1);
            IncidentAction::MarkStep {
                procedure: procedure.id.clone(),
                step: procedure.steps[n].id.clone(),
                status: StepStatus::Done,
                note: format!("Marked by the kill harness {token}"),
            }
        }
        "update" => IncidentAction::PostUpdate {
            rule: None,
            audience: Audience::Internal,
            channel: "#war-room".to_owned(),
            text: format!("Update from the kill harness {token}"),
        },
        "log" => {
            let action = ExerciseAction::Log {
                scenario: SCENARIO.to_owned(),
                kind: LogKind::Did,
                text: format!("Logged by the kill harness {token}"),
                expected: None,
            };
            store
                .act_on_exercise(&ExerciseId(target.to_owned()), &action, &SystemClock)
                .unwrap_or_else(|e| panic!("{spec}: {e}"));
            return;
        }
        "edit" => {
            let plan = store.plan().unwrap();
            let mut issue = plan
                .issue(&id(target))
                .cloned()
                .unwrap_or_else(|| panic!("the plan has no issue {target}"));
            issue.description = format!("Edited by the kill harness {token}");
            store
                .apply(
                    &PlanEdit::SaveIssue {
                        issue,
                        position: None,
                    },
                    &SystemClock,
                )
                .unwrap_or_else(|e| panic!("{spec}: {e}"));
            return;
        }
        other => panic!("no write of kind {other:?}"),
    };
    store
        .act_on_incident(&incident, &action, &SystemClock)
        .unwrap_or_else(|e| panic!("{spec}: {e}"));
}
