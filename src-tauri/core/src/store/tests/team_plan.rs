//! The plan edited on many laptops, through real stores and a real team
//! folder: an edit made in one store reaches the others with its author in
//! their history; two laptops writing one field while apart both see the
//! conflict, with both values, until one settles it; a key changed by a
//! plan change is refused and changes nothing; and three laptops editing at
//! random, with random delivery and partitions, converge on one plan.

use std::path::PathBuf;

use serde_json::json;

use super::team_convergence::{deliver, Laptop, Rng};
use crate::fixtures::{at, key_of, laptop, ok};
use crate::plan::Section;
use crate::store::PlanEdit;
use crate::team::plan_ops::{PlanChangeBody, PlanOp, PLAN_CHANGE, PLAN_THREAD};
use crate::team::{folder, order, SignedEvent, Writer};
use crate::testing::temp;

fn join(dir: &std::path::Path, shared: &std::path::Path, person: &'static str) -> Laptop {
    let mut store = laptop(dir, person, None);
    ok(store.join_team(shared, &format!("{person}-laptop")));
    Laptop {
        store,
        person,
        folder: shared.to_path_buf(),
    }
}

/// Sets issue `key`'s detection signal on `laptop`, as the editor saves it.
fn set_signal(laptop: &mut Laptop, key: &str, signal: &str, when: &str) {
    let mut issue = ok(laptop.store.plan())
        .issues
        .into_iter()
        .find(|i| i.id.as_str() == key)
        .unwrap();
    issue.detection.signal = signal.to_owned();
    ok(laptop.store.apply(
        &PlanEdit::SaveIssue {
            issue,
            position: None,
        },
        &at(when),
    ));
}

fn signal(laptop: &mut Laptop, key: &str) -> String {
    ok(laptop.store.plan())
        .issues
        .into_iter()
        .find(|i| i.id.as_str() == key)
        .unwrap()
        .detection
        .signal
}

/// A plan change with `body`, signed by Ben as his laptop's first plan event
/// (no snapshot, no parents): what a hand-made or foreign event looks like.
fn bens_first_plan_event(body: serde_json::Value) -> SignedEvent {
    let mut writer = Writer {
        person: crate::plan::id("ben-sample"),
        device: "ben-sample-laptop".to_owned(),
        last_seq: 0,
    };
    let envelope = writer.next(
        &order(PLAN_THREAD, &Default::default()),
        PLAN_THREAD,
        PLAN_CHANGE,
        body,
        chrono::Utc::now(),
    );
    SignedEvent::sign(envelope, &key_of("ben-sample")).unwrap()
}

/// Publishes what `from` wrote and takes it in on `to`.
fn carry(laptops: &mut [Laptop], from: usize, to: usize) {
    laptops[from].publish();
    let mut rng = Rng(7);
    let (a, b) = (laptops[from].folder.clone(), laptops[to].folder.clone());
    deliver(&a, &b, &mut rng, true);
    laptops[to].take_in();
}

#[test]
fn an_edit_reaches_the_team_and_a_collision_is_shown_on_both_laptops_until_settled() {
    let dirs = [temp(), temp()];
    let shared = [temp(), temp()];
    let mut laptops = [
        join(dirs[0].path(), shared[0].path(), "ada-example"),
        join(dirs[1].path(), shared[1].path(), "ben-sample"),
    ];
    // Ada renames an issue; Ben's laptop takes the change, with her as its author.
    let mut issue = ok(laptops[0].store.plan()).issues[0].clone();
    let key = issue.id.to_string();
    issue.title = "Oracle price stale".to_owned();
    ok(laptops[0].store.apply(
        &PlanEdit::SaveIssue {
            issue,
            position: None,
        },
        &at("2026-11-24T10:00:00Z"),
    ));
    carry(&mut laptops, 0, 1);
    assert_eq!(ok(laptops[1].store.plan()), ok(laptops[0].store.plan()));
    let newest = &ok(laptops[1].store.revisions(1))[0];
    assert_eq!(newest.author, "Ada Example", "{newest:?}");
    // Her snapshot and her edit arrived together: the edit names the revision.
    assert!(
        newest
            .summary
            .starts_with("Edited issue “Oracle price stale”, and ")
            && newest.summary.contains(" earlier change")
            && newest.summary.ends_with("(from Ada Example's laptop)"),
        "{newest:?}"
    );

    // Apart, both change the same signal; Ben also changes the title.
    set_signal(
        &mut laptops[0],
        &key,
        "Ada: feed 10 minutes late",
        "2026-11-24T10:01:00Z",
    );
    set_signal(
        &mut laptops[1],
        &key,
        "Ben: feed 5 minutes late",
        "2026-11-24T10:02:00Z",
    );
    carry(&mut laptops, 0, 1);
    carry(&mut laptops, 1, 0);
    let plans = [ok(laptops[0].store.plan()), ok(laptops[1].store.plan())];
    assert_eq!(plans[0], plans[1], "the same plan on both laptops");
    for laptop in &mut laptops {
        let conflicts = ok(laptop.store.plan_conflicts());
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let c = &conflicts[0];
        assert_eq!(
            (c.section, c.key.as_str(), c.field.as_str()),
            (Section::Issues, key.as_str(), "/detection/signal")
        );
        let values: Vec<(String, String)> = c
            .values
            .iter()
            .map(|v| (v.author.to_string(), v.shown.clone()))
            .collect();
        assert!(
            values.contains(&("ada-example".into(), "Ada: feed 10 minutes late".into())),
            "{values:?}"
        );
        assert!(
            values.contains(&("ben-sample".into(), "Ben: feed 5 minutes late".into())),
            "{values:?}"
        );
    }

    // The plan check says it, naming both writers.
    let gaps = ok(laptops[0].store.plan_check(chrono::Utc::now()));
    let gap = gaps
        .iter()
        .find(|g| g.kind == crate::plan::check::GapKind::Conflict)
        .expect("a conflict gap");
    assert_eq!(gap.element, key);
    assert!(
        gap.message.contains("detection signal")
            && gap
                .message
                .contains("Ada Example wrote “Ada: feed 10 minutes late”")
            && gap
                .message
                .contains("Ben Sample wrote “Ben: feed 5 minutes late”"),
        "{}",
        gap.message
    );

    // Ben keeps the value the plan shows now (whoever wrote it): nothing in
    // the plan changes on his laptop, yet the window must hear of it, or
    // its conflict banner would stay.
    let shown = ok(laptops[1].store.plan_conflicts())[0].values[0].clone();
    assert_eq!(signal(&mut laptops[1], &key), shown.shown);
    laptops[1].store.take_changes();
    ok(laptops[1].store.settle_conflict(
        Section::Issues,
        &key,
        "/detection/signal",
        &shown.event[..8],
        &at("2026-11-24T10:03:00Z"),
    ));
    assert!(
        laptops[1].store.take_changes().plan(),
        "settling is reported"
    );
    carry(&mut laptops, 1, 0);
    for laptop in &mut laptops {
        assert_eq!(ok(laptop.store.plan_conflicts()), []);
        assert_eq!(signal(laptop, &key), shown.shown);
    }
    // Settling what is not disputed is refused.
    let again = laptops[0].store.settle_conflict(
        Section::Issues,
        &key,
        "/detection/signal",
        &shown.event,
        &at("2026-11-24T10:04:00Z"),
    );
    assert!(again.is_err());
}

#[test]
fn a_key_changed_by_a_plan_change_is_refused_and_changes_nothing() {
    let dirs = [temp(), temp()];
    let shared = [temp(), temp()];
    let mut laptops = [
        join(dirs[0].path(), shared[0].path(), "ada-example"),
        join(dirs[1].path(), shared[1].path(), "ben-sample"),
    ];
    let before = ok(laptops[0].store.plan());
    // Ben's laptop, or anyone with his key and the folder, writes a plan
    // change that gives Ada another key.
    let forged_key =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIForgedForgedForgedForgedForgedForgedForge mallory";
    let body = serde_json::to_value(PlanChangeBody {
        summary: "Rotated Ada's key".to_owned(),
        ops: vec![PlanOp::Set {
            section: Section::CoreTeam,
            key: "ada-example".to_owned(),
            field: "/publicKey".to_owned(),
            value: json!(forged_key),
        }],
    })
    .unwrap();
    let signed = bens_first_plan_event(body);
    folder::write(&laptops[0].folder, &signed).unwrap();
    laptops[0].take_in();
    assert_eq!(ok(laptops[0].store.plan()), before, "nothing changed");
    let status = ok(laptops[0].store.team_status());
    assert!(
        status
            .not_applied
            .iter()
            .any(|why| why.contains("signing key of core member `ada-example`")),
        "{:?}",
        status.not_applied
    );
}

#[test]
fn a_teammates_change_the_plan_cannot_take_is_said_in_the_team_status() {
    let dirs = [temp()];
    let shared = [temp()];
    let mut ada = join(dirs[0].path(), shared[0].path(), "ada-example");
    // Ada's first change in the team carries her plan (a snapshot).
    set_signal(
        &mut ada,
        "oracle-failure",
        "Feed late",
        "2026-11-24T03:00:00Z",
    );
    let before = ok(ada.store.plan());
    // Ben's laptop writes a field of an issue nobody ever added.
    let body = serde_json::to_value(PlanChangeBody {
        summary: "Retitled a ghost".to_owned(),
        ops: vec![PlanOp::Set {
            section: Section::Issues,
            key: "ghost".to_owned(),
            field: "/title".to_owned(),
            value: json!("Nobody added me"),
        }],
    })
    .unwrap();
    let signed = bens_first_plan_event(body);
    folder::write(&ada.folder, &signed).unwrap();
    ada.take_in();
    let after = ok(ada.store.plan());
    assert!(after.issues.iter().all(|i| i.id.as_str() != "ghost"));
    assert_eq!(after.issues, before.issues);
    let status = ok(ada.store.team_status());
    assert!(
        status.not_applied.iter().any(|why| why
            .starts_with("the team's plan could not take a change")
            && why.contains("ghost")),
        "{:?}",
        status.not_applied
    );
}

/// Two edits each sound where it was made can merge into an unsound plan:
/// the merge is checked whole, so the stored plan stays sound (the editor's
/// check of one save relies on it), and the team status says why.
#[test]
fn a_merge_that_would_leave_the_plan_unsound_is_not_written_and_is_said() {
    let dirs = [temp(), temp()];
    let shared = [temp(), temp()];
    let mut laptops = [
        join(dirs[0].path(), shared[0].path(), "ada-example"),
        join(dirs[1].path(), shared[1].path(), "ben-sample"),
    ];
    // Both laptops start from one plan.
    set_signal(
        &mut laptops[0],
        "oracle-failure",
        "Feed late",
        "2026-11-24T03:00:00Z",
    );
    carry(&mut laptops, 0, 1);
    // Apart, Ada adds Zed to the extended team and Ben adds a Zed to the
    // core team: one id in both teams, which neither editor saw.
    let plan = ok(laptops[0].store.plan());
    let mut contact = plan.extended_team[0].clone();
    contact.id = crate::plan::id("zed-helper");
    contact.name = "Zed Helper".to_owned();
    ok(laptops[0].store.apply(
        &PlanEdit::SaveExtendedContact {
            contact,
            position: None,
        },
        &at("2026-11-24T03:01:00Z"),
    ));
    let mut member = plan.core_team[0].clone();
    member.id = crate::plan::id("zed-helper");
    member.name = "Zed Core".to_owned();
    member.public_key = None;
    ok(laptops[1].store.apply(
        &PlanEdit::SaveCoreMember {
            member,
            position: None,
        },
        &at("2026-11-24T03:02:00Z"),
    ));
    let before = ok(laptops[0].store.plan());
    carry(&mut laptops, 1, 0);
    let after = ok(laptops[0].store.plan());
    assert!(after == before, "Ben's change was written over Ada's plan");
    assert!(crate::plan::validate(&after).is_empty());
    let status = ok(laptops[0].store.team_status());
    assert!(
        status
            .not_applied
            .iter()
            .any(|why| why.contains("the merged plan would not be sound")
                && why.contains("zed-helper")),
        "{:?}",
        status.not_applied
    );
    // Ada's next save is checked and written as before.
    set_signal(
        &mut laptops[0],
        "oracle-failure",
        "Feed late twice",
        "2026-11-24T03:05:00Z",
    );
    assert_eq!(signal(&mut laptops[0], "oracle-failure"), "Feed late twice");
}

/// Three laptops edit random fields of three issues, publishing and taking
/// in at random with partial deliveries (a partition heals a little at a
/// time), then meet: the same plan and the same conflicts everywhere, and
/// each laptop's own edits never silently reverted while it was alone.
#[test]
fn three_laptops_editing_fields_at_random_converge_on_one_plan() {
    const PEOPLE: [&str; 3] = ["ada-example", "ben-sample", "dara-mock"];
    let mut disputed = 0;
    for seed in 1..=3u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let dirs: Vec<_> = (0..3).map(|_| temp()).collect();
        let shared: Vec<_> = (0..3).map(|_| temp()).collect();
        let mut laptops: Vec<Laptop> = (0..3)
            .map(|i| join(dirs[i].path(), shared[i].path(), PEOPLE[i]))
            .collect();
        // Ada's first edit carries the plan everyone starts from.
        set_signal(
            &mut laptops[0],
            "oracle-failure",
            "start",
            "2026-11-24T10:00:00Z",
        );
        for to in 1..3 {
            carry(&mut laptops, 0, to);
        }
        let keys = ["oracle-failure", "dns-hijack", "gas-price-spike"];
        for round in 0..14 {
            let who = rng.below(3);
            let when = format!("2026-11-24T10:{:02}:00Z", 1 + round);
            match rng.below(3) {
                0 => {
                    let from = rng.below(3);
                    if from != who {
                        laptops[from].publish();
                        let (a, b): (PathBuf, PathBuf) =
                            (laptops[from].folder.clone(), laptops[who].folder.clone());
                        deliver(&a, &b, &mut rng, false);
                        laptops[who].take_in();
                    }
                }
                _ => {
                    let key = keys[rng.below(3)];
                    let value = format!("{} round {round}", PEOPLE[who]);
                    set_signal(&mut laptops[who], key, &value, &when);
                    assert_eq!(
                        signal(&mut laptops[who], key),
                        value,
                        "an edit shows where it was made"
                    );
                }
            }
        }
        for laptop in &mut laptops {
            laptop.publish();
        }
        for _ in 0..2 {
            for from in 0..3 {
                for to in 0..3 {
                    if from != to {
                        let (a, b) = (laptops[from].folder.clone(), laptops[to].folder.clone());
                        deliver(&a, &b, &mut rng, true);
                    }
                }
            }
        }
        for laptop in &mut laptops {
            laptop.take_in();
        }
        let plans: Vec<_> = laptops.iter_mut().map(|l| ok(l.store.plan())).collect();
        assert_eq!(plans[0], plans[1], "seed {seed}");
        assert_eq!(plans[1], plans[2], "seed {seed}");
        let conflicts: Vec<_> = laptops
            .iter()
            .map(|l| ok(l.store.plan_conflicts()))
            .collect();
        assert_eq!(conflicts[0], conflicts[1], "seed {seed}");
        assert_eq!(conflicts[1], conflicts[2], "seed {seed}");
        disputed += conflicts[0].len();
        for laptop in &mut laptops {
            let status = ok(laptop.store.team_status());
            assert_eq!(status.not_applied, Vec::<String>::new(), "seed {seed}");
            assert_eq!(status.waiting, 0, "seed {seed}");
        }
    }
    assert!(disputed > 0, "the schedules made no conflict to check");
}

#[test]
fn editing_a_disputed_field_again_settles_it_and_other_edits_leave_it() {
    let dirs = [temp(), temp()];
    let shared = [temp(), temp()];
    let mut laptops = [
        join(dirs[0].path(), shared[0].path(), "ada-example"),
        join(dirs[1].path(), shared[1].path(), "ben-sample"),
    ];
    set_signal(
        &mut laptops[0],
        "dns-hijack",
        "start",
        "2026-11-24T10:00:00Z",
    );
    carry(&mut laptops, 0, 1);
    set_signal(
        &mut laptops[0],
        "dns-hijack",
        "Ada's",
        "2026-11-24T10:01:00Z",
    );
    set_signal(
        &mut laptops[1],
        "dns-hijack",
        "Ben's",
        "2026-11-24T10:01:00Z",
    );
    carry(&mut laptops, 0, 1);
    carry(&mut laptops, 1, 0);
    assert_eq!(ok(laptops[0].store.plan_conflicts()).len(), 1);
    // Another element's edit leaves the conflict as it is.
    set_signal(
        &mut laptops[0],
        "gas-price-spike",
        "Other",
        "2026-11-24T10:02:00Z",
    );
    assert_eq!(ok(laptops[0].store.plan_conflicts()).len(), 1);
    // Writing the field again, having seen both, settles it everywhere.
    set_signal(
        &mut laptops[0],
        "dns-hijack",
        "Agreed on the call",
        "2026-11-24T10:03:00Z",
    );
    assert_eq!(ok(laptops[0].store.plan_conflicts()), []);
    carry(&mut laptops, 0, 1);
    assert_eq!(ok(laptops[1].store.plan_conflicts()), []);
    assert_eq!(signal(&mut laptops[1], "dns-hijack"), "Agreed on the call");
}

/// #18: what automation writes travels like the rest. An incident an alert
/// opened on Ada's laptop reaches Ben's with the alert on its timeline; a
/// command Ada wrote in her editor is trusted on her laptop only: on Ben's it
/// arrives untrusted, and cannot run there until he trusts it.
#[test]
fn an_alert_s_incident_travels_and_a_teammate_s_command_arrives_untrusted() {
    let dirs = [temp(), temp()];
    let shared = [temp(), temp()];
    let mut laptops = [
        join(dirs[0].path(), shared[0].path(), "ada-example"),
        join(dirs[1].path(), shared[1].path(), "ben-sample"),
    ];
    let delivery = ok(crate::alert::parse(
        br#"{"labels":{"alertname":"OracleStale"},"summary":"ETH/USD feed stale"}"#,
    )
    .map_err(crate::error::Error::Refused));
    let taken = ok(laptops[0]
        .store
        .take_alerts(&delivery, &at("2026-11-24T10:00:00Z")));
    let [crate::alert::Taken::Opened { incident, .. }] = taken.as_slice() else {
        panic!("{taken:?}")
    };
    // Ada writes the first step's command in her editor.
    let mut procedure = ok(laptops[0].store.plan())
        .procedures
        .into_iter()
        .find(|p| p.issues.iter().any(|i| i.as_str() == "oracle-failure"))
        .unwrap();
    procedure.steps[0].command = Some(crate::plan::StepCommand {
        argv: vec!["scripts/check-feed.sh".to_owned()],
        dir: String::new(),
        timeout_seconds: 30,
        env: Vec::new(),
    });
    let (p, s) = (procedure.id.clone(), procedure.steps[0].id.clone());
    ok(laptops[0].store.apply(
        &PlanEdit::SaveProcedure {
            procedure,
            position: None,
        },
        &at("2026-11-24T10:01:00Z"),
    ));
    carry(&mut laptops, 0, 1);

    let events = ok(laptops[1].store.events(incident));
    assert!(
        events.iter().any(|e| matches!(
            &e.body,
            crate::incident::model::EventBody::AlertReceived { summary, .. } if summary == "ETH/USD feed stale"
        )),
        "{events:?}"
    );
    let trusted = |laptop: &mut Laptop| {
        ok(laptop.store.command_statuses())
            .into_iter()
            .find(|c| c.procedure == p && c.step == s)
            .map(|c| c.trusted)
    };
    assert_eq!(trusted(&mut laptops[0]), Some(true), "hers, written here");
    assert_eq!(
        trusted(&mut laptops[1]),
        Some(false),
        "a teammate's, on Ben's laptop"
    );
    assert!(laptops[1].store.command_to_run(incident, &p, &s).is_err());
}
