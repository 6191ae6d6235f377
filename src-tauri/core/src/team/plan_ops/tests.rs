//! The team-edited plan, replayed: an edit travels as the fields it
//! changed; concurrent writes to one field are a conflict with both values,
//! to different fields both survive; a later write that saw both settles
//! it; removals never lose a concurrent edit nor break a reference; keys
//! never travel; and three laptops editing at random, with random delivery
//! and partitions, converge on one plan with every collision shown.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::*;
use crate::fixtures::{utc, with_keys};
use crate::plan::{elements, id, Plan, Section};
use crate::starter;
use crate::team::event::MAX_FILE;
use crate::team::{order, Envelope, EventId, SignedEvent, Writer};

fn starter_plan() -> Plan {
    with_keys(
        starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
        None,
    )
}

/// One laptop: who writes there, and the plan events it knows.
struct Laptop {
    writer: Writer,
    known: BTreeMap<EventId, Envelope>,
    local: Plan,
    at: DateTime<Utc>,
}

impl Laptop {
    fn new(person: &str) -> Laptop {
        Laptop {
            writer: Writer {
                person: id(person),
                device: format!("{person}-laptop"),
                last_seq: 0,
            },
            known: BTreeMap::new(),
            local: starter_plan(),
            at: utc("2026-12-01T09:00:00Z"),
        }
    }

    fn changes(&self) -> Vec<Change> {
        let placed = order(PLAN_THREAD, &self.known);
        assert!(placed.waiting.is_empty() && placed.refused.is_empty());
        placed
            .order
            .iter()
            .map(|id| {
                let envelope = self.known[id].clone();
                let body = serde_json::from_value(envelope.body.clone()).unwrap();
                Change {
                    id: id.clone(),
                    envelope,
                    body,
                }
            })
            .collect()
    }

    fn merged(&self) -> Merged {
        replay(self.changes()).materialize(&self.local)
    }

    /// Publishes `ops` as one event after everything this laptop knows.
    fn publish(&mut self, summary: &str, ops: Vec<PlanOp>) -> EventId {
        self.at += Duration::seconds(1);
        let seen = order(PLAN_THREAD, &self.known);
        let body = serde_json::to_value(PlanChangeBody {
            summary: summary.to_owned(),
            ops,
        })
        .unwrap();
        let envelope = self
            .writer
            .next(&seen, PLAN_THREAD, PLAN_CHANGE, body, self.at);
        let id = envelope.id();
        self.known.insert(id.clone(), envelope);
        id
    }

    /// Edits the plan as it stands here, as the editor would, and publishes
    /// what changed.
    fn edit(&mut self, summary: &str, change: impl FnOnce(&mut Plan)) -> EventId {
        let before = self.merged().plan;
        let mut after = before.clone();
        change(&mut after);
        let ops = ops_from(&elements::diff(&before, &after, None));
        self.publish(summary, ops)
    }

    /// Takes in everything `other` knows.
    fn hear(&mut self, other: &Laptop) {
        self.known
            .extend(other.known.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

/// Three laptops that all start from Ada's snapshot of the starter plan.
fn team() -> (Laptop, Laptop, Laptop) {
    let mut ada = Laptop::new("ada-example");
    let snapshot = ops_from(&elements::diff(&Plan::empty(), &starter_plan(), None));
    ada.publish("start", snapshot);
    let mut ben = Laptop::new("ben-sample");
    let mut cleo = Laptop::new("cleo-test");
    ben.hear(&ada);
    cleo.hear(&ada);
    (ada, ben, cleo)
}

fn issue_signal(plan: &Plan, key: &str) -> String {
    plan.issues
        .iter()
        .find(|i| i.id.as_str() == key)
        .unwrap()
        .detection
        .signal
        .clone()
}

#[test]
fn the_snapshot_replays_into_the_plan_it_was_taken_from() {
    let (ada, ben, _) = team();
    assert_eq!(ada.merged().plan, starter_plan());
    assert_eq!(ben.merged().plan, starter_plan());
    assert!(ben.merged().conflicts.is_empty());
}

#[test]
fn an_edit_travels_as_the_fields_it_changed_and_nothing_else() {
    let before = starter_plan();
    let mut after = before.clone();
    let key = after.issues[0].id.to_string();
    after.issues[0].detection.signal = "Price deviates 5% from the median".to_owned();
    let ops = ops_from(&elements::diff(&before, &after, None));
    assert_eq!(
        ops,
        vec![PlanOp::Set {
            section: Section::Issues,
            key,
            field: "/detection/signal".to_owned(),
            value: json!("Price deviates 5% from the median"),
        }]
    );
}

#[test]
fn concurrent_writes_to_one_field_are_a_conflict_and_to_different_fields_both_survive() {
    let (mut ada, mut ben, mut cleo) = team();
    let key = starter_plan().issues[0].id.to_string();
    ada.edit("signal", |p| {
        p.issues[0].detection.signal = "Ada's signal".into()
    });
    ben.edit("signal", |p| {
        p.issues[0].detection.signal = "Ben's signal".into()
    });
    cleo.edit("title", |p| p.issues[0].title = "Cleo's title".into());
    let (a, b, c) = (
        heard_in_any_order(&ada, &ben, &cleo),
        heard_in_any_order(&ben, &ada, &cleo),
        heard_in_any_order(&cleo, &ben, &ada),
    );
    assert_eq!(a.plan, b.plan);
    assert_eq!(b.plan, c.plan);
    assert_eq!(a.conflicts, c.conflicts);
    let issue = a.plan.issues.iter().find(|i| i.id.as_str() == key).unwrap();
    assert_eq!(issue.title, "Cleo's title", "a different field survives");
    assert_eq!(a.conflicts.len(), 1, "{:?}", a.conflicts);
    let conflict = &a.conflicts[0];
    assert_eq!(
        (
            conflict.section,
            conflict.key.as_str(),
            conflict.field.as_str()
        ),
        (Section::Issues, key.as_str(), "/detection/signal")
    );
    assert_eq!(conflict.title, "Cleo's title");
    let values: BTreeSet<(String, String)> = conflict
        .values
        .iter()
        .map(|v| (v.author.to_string(), v.shown.clone()))
        .collect();
    assert_eq!(
        values,
        BTreeSet::from([
            ("ada-example".to_owned(), "Ada's signal".to_owned()),
            ("ben-sample".to_owned(), "Ben's signal".to_owned()),
        ])
    );
    assert_eq!(
        issue.detection.signal, conflict.values[0].shown,
        "the plan shows the first value listed"
    );
}

/// What `me` makes of every event the three laptops wrote (the snapshot
/// again from the first), in whatever order they are taken in.
fn heard_in_any_order(me: &Laptop, x: &Laptop, y: &Laptop) -> Merged {
    let mut all = Laptop::new(me.writer.person.as_str());
    all.local = me.local.clone();
    all.hear(y);
    all.hear(me);
    all.hear(x);
    all.merged()
}

#[test]
fn a_write_that_saw_both_values_settles_the_conflict_everywhere() {
    let (mut ada, mut ben, _) = team();
    let key = starter_plan().issues[1].id.to_string();
    ada.edit("a", |p| p.issues[1].detection.signal = "A".into());
    ben.edit("b", |p| p.issues[1].detection.signal = "B".into());
    ada.hear(&ben);
    ben.hear(&ada);
    assert_eq!(ada.merged().conflicts.len(), 1);
    assert_eq!(ada.merged().plan, ben.merged().plan);
    // Ben keeps Ada's value: a write having seen both.
    ben.publish(
        "settle",
        vec![PlanOp::Set {
            section: Section::Issues,
            key: key.clone(),
            field: "/detection/signal".into(),
            value: json!("A"),
        }],
    );
    ada.hear(&ben);
    for laptop in [&ada, &ben] {
        let merged = laptop.merged();
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        assert_eq!(issue_signal(&merged.plan, &key), "A");
    }
}

#[test]
fn an_element_removed_while_another_laptop_changed_it_stays_as_a_conflict() {
    let (mut ada, mut ben, _) = team();
    let plan = starter_plan();
    // A contact no decision or rule names: removable.
    let contact = plan
        .extended_team
        .iter()
        .find(|c| {
            crate::plan::edit::references(&plan, Section::ExtendedTeam, c.id.as_str()).is_empty()
        })
        .unwrap()
        .id
        .to_string();
    let key = contact.clone();
    ada.edit("remove", |p| {
        p.extended_team.retain(|c| c.id.as_str() != key)
    });
    let key = contact.clone();
    ben.edit("role", |p| {
        p.extended_team
            .iter_mut()
            .find(|c| c.id.as_str() == key)
            .unwrap()
            .role = "Incident counsel".into();
    });
    ada.hear(&ben);
    ben.hear(&ada);
    for laptop in [&ada, &ben] {
        let merged = laptop.merged();
        let kept = merged
            .plan
            .extended_team
            .iter()
            .find(|c| c.id.as_str() == contact)
            .expect("the edit is not lost");
        assert_eq!(kept.role, "Incident counsel");
        assert_eq!(merged.conflicts.len(), 1);
        assert_eq!(merged.conflicts[0].field, "");
        let shown: BTreeSet<&str> = merged.conflicts[0]
            .values
            .iter()
            .map(|v| v.shown.as_str())
            .collect();
        assert_eq!(shown, BTreeSet::from(["removed", "kept, or changed"]));
    }
    // Removing it again, having seen the edit, settles it.
    ada.publish(
        "remove again",
        vec![PlanOp::Remove {
            section: Section::ExtendedTeam,
            key: contact.clone(),
        }],
    );
    let merged = ada.merged();
    assert!(merged.conflicts.is_empty());
    assert!(!merged
        .plan
        .extended_team
        .iter()
        .any(|c| c.id.as_str() == contact));
}

#[test]
fn a_category_removed_while_another_laptop_filed_an_issue_under_it_stays() {
    let (mut ada, mut ben, _) = team();
    // A category of its own, known to both, with nothing in it yet.
    ada.edit("category", |p| {
        p.categories.push(crate::plan::Category {
            id: id("governance"),
            name: "Governance".into(),
            description: String::new(),
        });
    });
    ben.hear(&ada);
    ada.edit("remove it", |p| {
        p.categories.retain(|c| c.id.as_str() != "governance")
    });
    ben.edit("file an issue", |p| {
        let mut issue = p.issues[0].clone();
        issue.id = id("vote-hijack");
        issue.title = "Governance vote hijacked".into();
        // Its own alert, not a copy of the first issue's.
        issue.detection.alerts.clear();
        issue.category = id("governance");
        p.issues.push(issue);
    });
    ada.hear(&ben);
    ben.hear(&ada);
    for laptop in [&ada, &ben] {
        let merged = laptop.merged();
        assert!(merged
            .plan
            .categories
            .iter()
            .any(|c| c.id.as_str() == "governance"));
        assert!(merged
            .plan
            .issues
            .iter()
            .any(|i| i.id.as_str() == "vote-hijack"));
        assert!(crate::plan::validate(&merged.plan).is_empty());
        assert!(merged
            .conflicts
            .iter()
            .any(|c| c.section == Section::Categories
                && c.key == "governance"
                && c.field.is_empty()));
    }
}

#[test]
fn keys_never_travel_as_plan_changes() {
    let before = starter_plan();
    let mut after = before.clone();
    after.core_team[0].public_key = Some("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIForged".into());
    after.core_team[0].role = "Chief".into();
    let ops = ops_from(&elements::diff(&before, &after, None));
    assert_eq!(ops.len(), 1, "only the role travels: {ops:?}");
    // Added whole, a member travels without her key.
    let added = ops_from(&elements::diff(&Plan::empty(), &after, None));
    for op in &added {
        if let PlanOp::Add {
            section: Section::CoreTeam,
            value,
            ..
        } = op
        {
            assert!(value.get("publicKey").is_none() && value.get("retiredKeys").is_none());
        }
    }
    // A teammate's event that names a key is refused, with why.
    let key = before.core_team[0].id.to_string();
    for op in [
        PlanOp::Set {
            section: Section::CoreTeam,
            key: key.clone(),
            field: "/publicKey".into(),
            value: json!("ssh-ed25519 AAAA"),
        },
        PlanOp::Add {
            section: Section::CoreTeam,
            key: key.clone(),
            value: json!({ "id": key, "publicKey": "ssh-ed25519 AAAA" }),
        },
        PlanOp::Set {
            section: Section::CoreTeam,
            key: key.clone(),
            field: "/retiredKeys".into(),
            value: json!([]),
        },
    ] {
        let why = trust_problem(&PlanChangeBody {
            summary: "x".into(),
            ops: vec![op],
        })
        .expect("refused");
        assert!(why.contains("signing key"), "{why}");
    }
    // Replayed, each member keeps the key this laptop has for her.
    let (ada, _, _) = team();
    let mut local = starter_plan();
    local.core_team[0].public_key = Some("ssh-ed25519 AAAAlocal".into());
    let mut mine = Laptop::new("ada-example");
    mine.local = local;
    mine.hear(&ada);
    assert_eq!(
        mine.merged().plan.core_team[0].public_key.as_deref(),
        Some("ssh-ed25519 AAAAlocal")
    );
}

#[test]
fn hostile_text_from_a_teammate_is_refused() {
    for op in [
        PlanOp::Set {
            section: Section::Issues,
            key: "oracle-failure".into(),
            field: "/title".into(),
            value: json!("Oracle \u{202E}eruliaf"),
        },
        PlanOp::Add {
            section: Section::Categories,
            key: "x".into(),
            value: json!({ "id": "x", "name": "a".repeat(500), "description": "" }),
        },
    ] {
        let why = trust_problem(&PlanChangeBody {
            summary: "x".into(),
            ops: vec![op],
        })
        .expect("refused");
        assert!(
            why.starts_with("its title") || why.starts_with("its name"),
            "{why}"
        );
    }
}

#[test]
fn a_big_change_travels_in_events_under_the_file_limit() {
    let mut big = starter_plan();
    let template = big.issues[0].clone();
    for n in 0..2000 {
        let mut issue = template.clone();
        issue.id = id(&format!("issue-{n}"));
        issue.title = format!("Issue number {n}");
        big.issues.push(issue);
    }
    let ops = ops_from(&elements::diff(&Plan::empty(), &big, None));
    let count = ops.len();
    let parts = bodies("start", ops);
    assert!(parts.len() > 1);
    assert_eq!(parts.iter().map(|b| b.ops.len()).sum::<usize>(), count);
    let mut ada = Laptop::new("ada-example");
    for body in &parts {
        ada.publish(&body.summary, body.ops.clone());
    }
    for envelope in ada.known.values() {
        let signed =
            SignedEvent::sign(envelope.clone(), &crate::fixtures::key_of("ada-example")).unwrap();
        assert!((signed.to_file().len() as u64) < MAX_FILE);
    }
    assert_eq!(ada.merged().plan, big);
}

/// A small deterministic generator (no dependency for a test).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The fields the property test edits: (issue index, field pointer).
const FIELDS: [&str; 3] = ["/title", "/description", "/detection/signal"];

fn set_field(plan: &mut Plan, issue: usize, field: &str, value: &str) {
    let i = &mut plan.issues[issue];
    match field {
        "/title" => i.title = value.into(),
        "/description" => i.description = value.into(),
        _ => i.detection.signal = value.into(),
    }
}

#[test]
fn three_laptops_editing_at_random_converge_with_every_collision_shown_and_no_edit_lost() {
    let mut disputed = 0;
    for seed in 1..=30u64 {
        let mut rng = Rng(seed);
        let (ada, ben, cleo) = team();
        let mut laptops = [ada, ben, cleo];
        let mut n = 0;
        for _round in 0..25 {
            let who = rng.below(3) as usize;
            match rng.below(4) {
                // Deliver what one laptop knows to another (a partition heals a little).
                0 => {
                    let from = rng.below(3) as usize;
                    if from != who {
                        let (a, b) = if from < who {
                            let (l, r) = laptops.split_at_mut(who);
                            (&l[from], &mut r[0])
                        } else {
                            let (l, r) = laptops.split_at_mut(from);
                            (&r[0], &mut l[who])
                        };
                        b.hear(a);
                    }
                }
                // Edit one or two fields of a few issues.
                _ => {
                    let edits = 1 + rng.below(2);
                    let picks: Vec<(usize, &str)> = (0..edits)
                        .map(|_| (rng.below(3) as usize, FIELDS[rng.below(3) as usize]))
                        .collect();
                    n += 1;
                    let value = format!("v{n}");
                    laptops[who].edit("edit", |p| {
                        for (issue, field) in &picks {
                            set_field(p, *issue, field, &value);
                        }
                    });
                }
            }
        }
        // Everyone meets.
        let everything: BTreeMap<EventId, Envelope> =
            laptops.iter().flat_map(|l| l.known.clone()).collect();
        for laptop in &mut laptops {
            laptop.known = everything.clone();
        }
        let merged: Vec<Merged> = laptops.iter().map(Laptop::merged).collect();
        assert_eq!(merged[0].plan, merged[1].plan, "seed {seed}");
        assert_eq!(merged[1].plan, merged[2].plan, "seed {seed}");
        assert_eq!(merged[0].conflicts, merged[2].conflicts, "seed {seed}");
        check_against_oracle(&laptops[0].changes(), &merged[0], seed);
        disputed += merged[0].conflicts.len();
    }
    assert!(
        disputed > 10,
        "the schedules made only {disputed} conflicts"
    );
}

/// Works out, independently of the replay, each edited field's writes that
/// no later write to it had seen, and checks the merged plan against them:
/// the value shown is one of them, and when they disagree the conflict
/// lists exactly them — so every edit is shown, disputed, or was seen by
/// the write that replaced it.
fn check_against_oracle(changes: &[Change], merged: &Merged, seed: u64) {
    let mut ancestors: BTreeMap<&EventId, BTreeSet<&EventId>> = BTreeMap::new();
    for c in changes {
        let mut mine = BTreeSet::new();
        for p in &c.envelope.parents {
            mine.insert(p);
            mine.extend(ancestors[p].iter().copied());
        }
        ancestors.insert(&c.id, mine);
    }
    let mut writes: BTreeMap<(String, String), Vec<(&EventId, Value)>> = BTreeMap::new();
    for c in changes {
        for op in &c.body.ops {
            if let PlanOp::Set {
                section: Section::Issues,
                key,
                field,
                value,
            } = op
            {
                writes
                    .entry((key.clone(), field.clone()))
                    .or_default()
                    .push((&c.id, value.clone()));
            }
        }
    }
    for ((key, field), all) in writes {
        let frontier: Vec<&(&EventId, Value)> = all
            .iter()
            .filter(|(id, _)| !all.iter().any(|(later, _)| ancestors[later].contains(id)))
            .collect();
        let values: BTreeSet<String> = frontier.iter().map(|(_, v)| v.to_string()).collect();
        let issue = merged
            .plan
            .issues
            .iter()
            .find(|i| i.id.as_str() == key)
            .unwrap_or_else(|| panic!("seed {seed}: {key} is gone: {:?}", merged.unreadable));
        let shown = elements::get(&merged.plan, Section::Issues, issue.id.as_str()).unwrap();
        let shown = shown.pointer(&field).unwrap().to_string();
        assert!(
            values.contains(&shown),
            "seed {seed}: {key}{field} shows {shown}, not one of {values:?}"
        );
        let conflict = merged
            .conflicts
            .iter()
            .find(|c| c.key == key && c.field == field);
        if values.len() > 1 {
            let conflict = conflict
                .unwrap_or_else(|| panic!("seed {seed}: {key}{field} disputed but not shown"));
            let listed: BTreeSet<String> = conflict
                .values
                .iter()
                .map(|v| v.value.to_string())
                .collect();
            assert_eq!(listed, values, "seed {seed}: {key}{field}");
        } else {
            assert!(
                conflict.is_none(),
                "seed {seed}: {key}{field} is not disputed"
            );
        }
    }
}
