//! Team folder tests: an event written on one laptop verifies on another;
//! every kind of hostile file is quarantined with its reason and nothing of
//! it is merged; a thread's order is causal and the same whatever order the
//! files arrive in; gaps and forks are said; and three laptops exchanging
//! files with delays, duplicates, reordering and partitions converge.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::json;

use super::folder::{self, path_of, scan};
use super::*;
use crate::fixtures::{key, key_of, utc, with_keys};
use crate::plan::{id, Plan};
use crate::starter;
use crate::testing::temp;

fn plan() -> Plan {
    with_keys(
        starter::plan(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
        None,
    )
}

fn writer(person: &str) -> Writer {
    Writer {
        person: id(person),
        device: format!("{person}-laptop"),
        last_seq: 0,
    }
}

/// `who` writes an event of `thread` after what `seen` places.
fn write(who: &mut Writer, seen: &Ordered, thread: &str, text: &str) -> SignedEvent {
    let envelope = who.next(
        seen,
        thread,
        "incident.note",
        json!({ "text": text }),
        utc("2026-11-24T03:00:00Z"),
    );
    SignedEvent::sign(envelope, &key_of(who.person.as_str())).unwrap()
}

#[test]
fn an_event_written_on_one_laptop_verifies_on_another_and_writing_twice_is_a_no_op() {
    let dir = temp();
    let mut ada = writer("ada-example");
    let e = write(
        &mut ada,
        &Ordered::default(),
        "incident/INC-1",
        "Oracle stale",
    );
    let path = folder::write(dir.path(), &e).unwrap();
    assert_eq!(path, path_of(dir.path(), &e.id()));
    assert_eq!(folder::write(dir.path(), &e).unwrap(), path);
    let found = scan(dir.path(), &plan());
    assert_eq!(found.quarantined, []);
    assert_eq!(found.verified.len(), 1);
    assert_eq!(found.verified[&e.id()].event, e);
    // No temporary file is left behind.
    let names: Vec<String> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [format!("{}.json", e.id())]);
}

/// Writes `bytes` as `name` in the events folder.
fn plant(root: &Path, name: &str, bytes: &[u8]) {
    let dir = root.join(folder::EVENTS).join("zz");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn every_hostile_file_is_quarantined_with_its_reason_and_nothing_of_it_is_merged() {
    let dir = temp();
    let root = dir.path();
    let plan = plan();
    let mut ada = writer("ada-example");
    let good = write(&mut ada, &Ordered::default(), "incident/INC-1", "real");
    folder::write(root, &good).unwrap();

    // Signed by a key in nobody's contact entry.
    let mut mallory = writer("ada-example");
    let forged = SignedEvent::sign(
        mallory.next(
            &Ordered::default(),
            "incident/INC-1",
            "incident.note",
            json!({"text": "pay me"}),
            utc("2026-11-24T03:00:00Z"),
        ),
        &key(77),
    )
    .unwrap();
    plant(root, &format!("{}.json", forged.id()), &forged.to_file());

    // Ben's key, claiming to be Ada.
    let mut claims = writer("ada-example");
    let impostor = SignedEvent::sign(
        claims.next(
            &Ordered::default(),
            "incident/INC-1",
            "incident.note",
            json!({"text": "stand down"}),
            utc("2026-11-24T03:00:00Z"),
        ),
        &key_of("ben-sample"),
    )
    .unwrap();
    plant(
        root,
        &format!("{}.json", impostor.id()),
        &impostor.to_file(),
    );

    // Altered after signing, under its old name.
    let mut altered = good.clone();
    altered.event.body = json!({"text": "fake"});
    let altered_name = format!("{}.json", good.id());
    let altered_dir = root.join(folder::EVENTS).join("alt");
    fs::create_dir_all(&altered_dir).unwrap();
    fs::write(altered_dir.join(&altered_name), altered.to_file()).unwrap();

    // Altered, and renamed to its new content's id: the signature tells.
    plant(root, &format!("{}.json", altered.id()), &altered.to_file());

    // Replayed into another incident: the thread is signed, so it is altered.
    let mut replayed = good.clone();
    replayed.event.thread = "incident/INC-2".to_owned();
    plant(
        root,
        &format!("{}.json", replayed.id()),
        &replayed.to_file(),
    );

    // Malformed, oversized, a conflict copy, a stray file, a wrong namespace.
    plant(root, &format!("{}.json", "a".repeat(64)), b"{ not json");
    plant(
        root,
        &format!("{}.json", "b".repeat(64)),
        &vec![b' '; (event::MAX_FILE + 1) as usize],
    );
    plant(
        root,
        &format!("{}.sync-conflict-20261124-030000-ABCDEFG.json", good.id()),
        &good.to_file(),
    );
    plant(root, "notes.txt", b"hello");
    let envelope = writer("ada-example").next(
        &Ordered::default(),
        "incident/INC-1",
        "incident.note",
        json!({"text": "x"}),
        utc("2026-11-24T03:00:00Z"),
    );
    let decision_sig = crate::decision::sshsig::sign(
        &key_of("ada-example"),
        "muster-decision-v1",
        &envelope.canonical(),
    )
    .unwrap();
    let other_namespace = SignedEvent {
        event: envelope,
        signature: decision_sig,
    };
    plant(
        root,
        &format!("{}.json", other_namespace.id()),
        &other_namespace.to_file(),
    );
    // Files being written, skipped without a word.
    plant(root, ".syncthing.x.json.tmp", b"partial");

    let found = scan(root, &plan);
    assert_eq!(found.verified.keys().collect::<Vec<_>>(), [&good.id()]);
    let reasons: Vec<String> = found.quarantined.iter().map(|q| q.reason.clone()).collect();
    let has = |part: &str| {
        assert!(
            reasons.iter().any(|r| r.contains(part)),
            "no reason says {part:?}: {reasons:#?}"
        );
    };
    has("in nobody's contact entry");
    has("signed with Ben Sample's key");
    has("its content is not what its name says");
    has("its signature does not match its content");
    has("not a Muster event");
    has("an event file is at most 65536 bytes");
    has("a Syncthing conflict copy");
    has("not an event file");
    has("signed under the namespace `muster-decision-v1`");
    // The altered file and the replay both fail on their signature.
    assert_eq!(
        reasons
            .iter()
            .filter(|r| r.contains("signature does not match"))
            .count(),
        2,
        "{reasons:#?}"
    );
    assert!(!reasons.iter().any(|r| r.contains("partial")));
}

#[test]
fn a_key_retired_before_the_event_is_refused() {
    let dir = temp();
    let mut plan = plan();
    let ada = plan
        .core_team
        .iter_mut()
        .find(|m| m.id.as_str() == "ada-example")
        .unwrap();
    let current = ada.public_key.take().unwrap();
    ada.retired_keys.push(crate::plan::RetiredKey {
        key: current,
        retired_from: utc("2026-11-24T02:00:00Z"),
    });
    let e = write(&mut writer("ada-example"), &Ordered::default(), "team", "x");
    folder::write(dir.path(), &e).unwrap();
    let found = scan(dir.path(), &plan);
    assert!(found.verified.is_empty());
    assert!(
        found.quarantined[0].reason.contains("retired (from"),
        "{found:?}"
    );
}

#[test]
fn a_thread_is_ordered_causally_with_concurrent_events_side_by_side() {
    let mut ada = writer("ada-example");
    let mut ben = writer("ben-sample");
    let mut all = BTreeMap::new();
    fn add(all: &mut BTreeMap<EventId, Envelope>, e: SignedEvent) -> SignedEvent {
        all.insert(e.id(), e.event.clone());
        e
    }
    let t = "incident/INC-1";
    let declared = add(
        &mut all,
        write(&mut ada, &Ordered::default(), t, "declared"),
    );
    let after_declared = order(t, &all);
    // Ada and Ben both write having seen only the declaration.
    let a1 = add(&mut all, write(&mut ada, &after_declared, t, "ada 1"));
    let b1 = add(&mut all, write(&mut ben, &after_declared, t, "ben 1"));
    let both = order(t, &all);
    assert_eq!(both.order[0], declared.id());
    assert_eq!(both.order.len(), 3);
    assert_eq!(both.heads, {
        let mut h = vec![a1.id(), b1.id()];
        h.sort();
        h
    });
    // A merge names both heads, and comes after both.
    let merge = add(&mut all, write(&mut ben, &both, t, "ben 2"));
    let last = order(t, &all);
    assert_eq!(last.order.last(), Some(&merge.id()));
    assert_eq!(last.heads, [merge.id()]);
    assert_eq!(merge.event.parents.len(), 2);
    assert!(last.waiting.is_empty() && last.refused.is_empty() && last.forks.is_empty());
    // Another thread's events are not placed here.
    add(
        &mut all,
        write(&mut ada, &Ordered::default(), "incident/INC-2", "elsewhere"),
    );
    assert_eq!(order(t, &all).order, last.order);
}

#[test]
fn a_missing_parent_is_waited_for_a_bad_clock_refused_and_a_fork_flagged() {
    let t = "incident/INC-1";
    let mut ada = writer("ada-example");
    let mut all = BTreeMap::new();
    let first = write(&mut ada, &Ordered::default(), t, "one");
    let mut seen = BTreeMap::new();
    seen.insert(first.id(), first.event.clone());
    let second = write(&mut ada, &order(t, &seen), t, "two");
    let third = write(
        &mut ada,
        &order(
            t,
            &seen
                .clone()
                .into_iter()
                .chain([(second.id(), second.event.clone())])
                .collect(),
        ),
        t,
        "three",
    );
    // Only the third (and the first) arrived: the third waits for the second.
    all.insert(first.id(), first.event.clone());
    all.insert(third.id(), third.event.clone());
    let placed = order(t, &all);
    assert_eq!(placed.order, [first.id()]);
    assert_eq!(placed.waiting, [(third.id(), vec![second.id()])]);

    // A clock that does not move past its parent's.
    let mut bad = ada.next(
        &order(t, &seen),
        t,
        "incident.note",
        json!({}),
        utc("2026-11-24T03:00:00Z"),
    );
    bad.lamport = first.event.lamport;
    let bad = SignedEvent::sign(bad, &key_of("ada-example")).unwrap();
    all.insert(bad.id(), bad.event.clone());
    assert!(order(t, &all)
        .refused
        .iter()
        .any(|(i, why)| i == &bad.id() && why.contains("not after its parent")));

    // Ada's laptop writes two different events with one sequence number.
    let mut twin = writer("ada-example");
    twin.last_seq = second.event.seq - 1;
    let fork = write(&mut twin, &order(t, &seen), t, "two, again");
    all.insert(second.id(), second.event.clone());
    all.insert(fork.id(), fork.event.clone());
    let forks = order(t, &all).forks;
    assert_eq!(forks.len(), 1, "{forks:?}");
    assert_eq!(forks[0].seq, second.event.seq);
    let mut both = vec![second.id(), fork.id()];
    both.sort();
    assert_eq!(forks[0].events, both);
}

/// A small deterministic generator (xorshift), so a failing seed replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Three laptops (Ada, Ben, Chloe) write to one thread at random, each
/// having seen only what reached it; files travel with random delays, are
/// delivered twice, out of order, and not at all across a partition until
/// it heals. At every moment each laptop's order is causal; once every file
/// has reached everyone, all three show the same order.
#[test]
fn three_laptops_converge_whatever_the_delays_duplicates_and_partitions() {
    let people = ["ada-example", "ben-sample", "chloe-demo"];
    let t = "incident/INC-1";
    for seed in 1..=60u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut writers: Vec<Writer> = people.iter().map(|p| writer(p)).collect();
        let mut known: Vec<BTreeMap<EventId, Envelope>> = vec![BTreeMap::new(); 3];
        // In flight: (deliver at step, to laptop, event).
        let mut flight: Vec<(u64, usize, SignedEvent)> = Vec::new();
        let partition_until = rng.below(60);
        let cut = rng.below(3) as usize;
        for step in 0..150u64 {
            let who = rng.below(3) as usize;
            if rng.below(3) == 0 {
                let seen = order(t, &known[who]);
                let e = write(&mut writers[who], &seen, t, &format!("{seed}/{step}"));
                known[who].insert(e.id(), e.event.clone());
                for to in 0..3 {
                    if to != who {
                        let mut at = step + 1 + rng.below(15);
                        if step < partition_until && (to == cut || who == cut) {
                            at = at.max(partition_until + rng.below(10));
                        }
                        flight.push((at, to, e.clone()));
                        if rng.below(4) == 0 {
                            flight.push((at + rng.below(20), to, e.clone()));
                        }
                    }
                }
            }
            let (now, later): (Vec<_>, Vec<_>) =
                flight.into_iter().partition(|(at, _, _)| *at <= step);
            flight = later;
            for (_, to, e) in now {
                known[to].insert(e.id(), e.event);
            }
            for laptop in &known {
                assert_causal(t, laptop);
            }
        }
        for (_, to, e) in flight {
            known[to].insert(e.id(), e.event);
        }
        let orders: Vec<Ordered> = known.iter().map(|k| order(t, k)).collect();
        assert_eq!(orders[0], orders[1], "seed {seed}");
        assert_eq!(orders[1], orders[2], "seed {seed}");
        assert!(
            orders[0].waiting.is_empty() && orders[0].refused.is_empty(),
            "seed {seed}"
        );
        assert!(orders[0].forks.is_empty(), "seed {seed}");
        assert_eq!(orders[0].order.len(), known[0].len(), "seed {seed}");
    }
}

/// Every placed event comes after all of its parents.
fn assert_causal(thread: &str, events: &BTreeMap<EventId, Envelope>) {
    let placed = order(thread, events);
    let position: BTreeMap<&EventId, usize> = placed
        .order
        .iter()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    for (i, id) in placed.order.iter().enumerate() {
        for parent in &events[id].parents {
            assert!(
                position[parent] < i,
                "{} before its parent {}",
                id.short(),
                parent.short()
            );
        }
    }
}
