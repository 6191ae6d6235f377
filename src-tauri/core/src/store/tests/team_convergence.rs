//! Three laptops working one incident and its decisions at once, each on its
//! own copy of the team folder: files travel between the copies with random
//! delays, in random order, twice or not at all for a while (a partition),
//! and then everything meets. Every laptop must end with the same incident,
//! the same decisions and quorum, and the same exercise run — whatever the
//! order things came in.

use std::fs;
use std::path::{Path, PathBuf};

use crate::decision::model::{Answer, DecisionStatus};
use crate::exercise::model::{ExerciseAction, ExerciseSetup, LogKind, Objective};
use crate::fixtures::{at, declare, key_of, laptop, ok, request};
use crate::incident::model::{Incident, IncidentAction, IncidentId, StepStatus};
use crate::plan::id;
use crate::store::Store;
use crate::team::folder::{self, scan};
use crate::team::SignedEvent;
use crate::testing::temp;

/// A small deterministic generator (xorshift), so a failing seed replays.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PEOPLE: [&str; 3] = ["ada-example", "ben-sample", "dara-mock"];

pub(super) struct Laptop {
    pub(super) store: Store,
    pub(super) person: &'static str,
    pub(super) folder: PathBuf,
}

impl Laptop {
    /// Signs what waits in the outbox into this laptop's copy of the folder.
    pub(super) fn publish(&mut self) {
        for envelope in ok(self.store.team_outbox()) {
            let signed = SignedEvent::sign(envelope, &key_of(self.person)).unwrap();
            folder::write(&self.folder, &signed).unwrap();
            ok(self.store.team_signed(&signed.id(), &signed.to_file()));
        }
    }

    pub(super) fn take_in(&mut self) {
        let found = scan(&self.folder, &ok(self.store.plan()));
        assert_eq!(found.quarantined, [], "{}", self.person);
        ok(self.store.take_in(&found, &at("2026-11-24T03:30:00Z")));
    }
}

/// Every event file under `root`, by its path inside it.
fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(inside) = path.strip_prefix(root) {
                out.push(inside.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Copies some of `from`'s files that `to` lacks (all when `all`), as a
/// sync engine would deliver them: in any order, some later.
pub(super) fn deliver(from: &Path, to: &Path, rng: &mut Rng, all: bool) {
    let mut missing: Vec<PathBuf> = files(from)
        .into_iter()
        .filter(|f| !to.join(f).exists())
        .collect();
    // A random order; some held back for a later delivery.
    for i in (1..missing.len()).rev() {
        missing.swap(i, rng.below(i + 1));
    }
    let keep = if all || missing.is_empty() {
        missing.len()
    } else {
        rng.below(missing.len() + 1)
    };
    for f in &missing[..keep] {
        if let Some(parent) = to.join(f).parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

/// What must be the same on every laptop: the incident without what each
/// laptop keeps for itself (the reminders it raised, how many lines its own
/// timeline holds), and each decision's requests, answers and quorum.
fn state(
    laptop: &mut Laptop,
    incident: &IncidentId,
    decisions: &[crate::decision::model::DecisionId],
) -> (Incident, Vec<String>, Vec<DecisionStatus>) {
    let mut i = ok(laptop.store.incident(incident));
    i.reminders.clear();
    i.event_count = 0;
    i.last_event_at = i.declared_at;
    let mut notes: Vec<String> = ok(laptop.store.events(incident))
        .into_iter()
        .filter_map(|e| match e.body {
            crate::incident::model::EventBody::Note { text } => Some(text),
            _ => None,
        })
        .collect();
    notes.sort();
    let clock = at("2026-11-24T03:30:00Z");
    let mut statuses = Vec::new();
    for d in decisions {
        let mut s = ok(laptop.store.decision_status(d, &clock));
        s.request.local = false;
        s.signatures
            .iter_mut()
            .for_each(|x| x.imported_at = chrono::DateTime::UNIX_EPOCH);
        statuses.push(s);
    }
    (i, notes, statuses)
}

fn run(seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let dirs: Vec<_> = (0..3).map(|_| temp()).collect();
    let folders: Vec<_> = (0..3).map(|_| temp()).collect();
    let mut laptops: Vec<Laptop> = PEOPLE
        .iter()
        .zip(dirs.iter().zip(&folders))
        .map(|(person, (dir, shared))| {
            let mut store = laptop(dir.path(), person, None);
            ok(store.join_team(shared.path(), &format!("{person}-laptop")));
            Laptop {
                store,
                person,
                folder: shared.path().to_path_buf(),
            }
        })
        .collect();

    // Ada declares and asks for two decisions; everyone has that much.
    let incident = declare(&mut laptops[0].store, false);
    let pause = request(&mut laptops[0].store, &incident, "pause-contract", 1);
    let fund = request(&mut laptops[0].store, &incident, "access-emergency-fund", 2);
    let decisions = [pause.id.clone(), fund.id.clone()];
    // And runs an exercise, which the others follow.
    let exercise = {
        let store = &mut laptops[0].store;
        let scenario = ok(store.draft_scenario(&id("oracle-failure"), "sc-1"));
        let setup = ExerciseSetup {
            title: "Drill".to_owned(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
            moderator: id("ada-example"),
            participants: vec![id("ben-sample"), id("dara-mock")],
            scope: String::new(),
            objectives: vec![Objective {
                key: "obj-1".to_owned(),
                text: "Escalate".to_owned(),
            }],
            scenarios: vec![scenario],
        };
        let ex = ok(store.create_exercise(&setup, &at("2026-11-24T03:00:00Z"))).id;
        for action in [
            ExerciseAction::Start,
            ExerciseAction::StartScenario {
                scenario: "sc-1".to_owned(),
            },
        ] {
            ok(store.act_on_exercise(&ex, &action, &at("2026-11-24T03:00:00Z")));
        }
        ex
    };
    laptops[0].publish();
    for to in 1..3 {
        let (from, dest) = (laptops[0].folder.clone(), laptops[to].folder.clone());
        deliver(&from, &dest, &mut rng, true);
        laptops[to].take_in();
    }
    let steps: Vec<(String, String)> = ok(laptops[0].store.incident(&incident))
        .procedures
        .iter()
        .flat_map(|p| {
            p.steps
                .iter()
                .map(|s| (p.id.to_string(), s.id.to_string()))
                .collect::<Vec<_>>()
        })
        .take(4)
        .collect();

    let mut signed = [[false; 2]; 3];
    let mut partitioned: Option<usize> = None;
    for round in 0..24 {
        let who = rng.below(3);
        let when = at(&format!("2026-11-24T03:{:02}:00Z", 1 + round));
        let laptop = &mut laptops[who];
        match rng.below(5) {
            0 | 1 => {
                let (procedure, step) = &steps[rng.below(steps.len())];
                let status =
                    [StepStatus::Done, StepStatus::Blocked, StepStatus::Skipped][rng.below(3)];
                ok(laptop.store.act_on_incident(
                    &incident,
                    &IncidentAction::MarkStep {
                        procedure: id(procedure),
                        step: id(step),
                        status,
                        note: format!("round {round}"),
                    },
                    &when,
                ));
            }
            2 if laptop.person == "dara-mock"
                && ok(laptop.store.incident(&incident))
                    .escalations
                    .iter()
                    .any(|e| {
                        e.recipient.contact.as_str() == "dara-mock" && e.notified.is_none()
                    }) =>
            {
                // Dara, on call, acknowledges: every laptop must see it.
                ok(laptop.store.acknowledge(&incident, &when));
            }
            2 if laptop.person == "ada-example" && rng.below(2) == 0 => {
                ok(laptop.store.act_on_exercise(
                    &exercise,
                    &ExerciseAction::Log {
                        scenario: "sc-1".to_owned(),
                        kind: LogKind::Said,
                        text: format!("round {round}"),
                        expected: None,
                    },
                    &when,
                ));
            }
            2 => {
                ok(laptop.store.act_on_incident(
                    &incident,
                    &IncidentAction::AddNote {
                        text: format!("{} in round {round}", laptop.person),
                    },
                    &when,
                ));
            }
            _ => {
                let d = rng.below(2);
                if !signed[who][d] {
                    signed[who][d] = true;
                    let answer = if rng.below(4) == 0 {
                        Answer::Reject {
                            reason: "Not yet".to_owned(),
                        }
                    } else {
                        Answer::Approve
                    };
                    // Refused when the decision is settled already: that
                    // is each laptop's own word, and changes nothing.
                    let _ = laptop.store.sign_decision(
                        &decisions[d],
                        &answer,
                        &key_of(laptop.person),
                        &when,
                    );
                }
            }
        }
        laptop.publish();
        // A partition now and then: one laptop hears nothing for a while.
        if rng.below(6) == 0 {
            partitioned = if partitioned.is_some() {
                None
            } else {
                Some(rng.below(3))
            };
        }
        for _ in 0..rng.below(4) {
            let (from, to) = (rng.below(3), rng.below(3));
            if from == to || partitioned == Some(from) || partitioned == Some(to) {
                continue;
            }
            let (src, dest) = (laptops[from].folder.clone(), laptops[to].folder.clone());
            deliver(&src, &dest, &mut rng, false);
            laptops[to].take_in();
        }
    }

    // Everything meets.
    for _ in 0..2 {
        for from in 0..3 {
            for to in 0..3 {
                if from != to {
                    let (src, dest) = (laptops[from].folder.clone(), laptops[to].folder.clone());
                    deliver(&src, &dest, &mut rng, true);
                }
            }
        }
        for laptop in &mut laptops {
            laptop.take_in();
        }
    }
    let first = state(&mut laptops[0], &incident, &decisions);
    let run = ok(laptops[0].store.exercise(&exercise));
    for laptop in &mut laptops[1..] {
        let person = laptop.person;
        let status = ok(laptop.store.team_status());
        assert_eq!(status.waiting, 0, "seed {seed}: {person} waits for events");
        let theirs = state(laptop, &incident, &decisions);
        assert_eq!(
            theirs.0, first.0,
            "seed {seed}: {person}'s incident differs"
        );
        assert_eq!(theirs.1, first.1, "seed {seed}: {person}'s notes differ");
        let followed = ok(laptop.store.exercise(&exercise));
        assert_eq!(
            (&followed.runs, followed.status),
            (&run.runs, run.status),
            "seed {seed}: {person}'s exercise differs"
        );
        for (a, b) in theirs.2.iter().zip(&first.2) {
            assert_eq!(a.quorum, b.quorum, "seed {seed}: {person}'s quorum differs");
            assert_eq!(
                a.signatures.len(),
                b.signatures.len(),
                "seed {seed}: {person}'s signatures differ"
            );
        }
    }
}

#[test]
fn three_laptops_end_with_the_same_incident_and_decisions_whatever_the_delivery() {
    for seed in 1..=12 {
        run(seed);
    }
}
