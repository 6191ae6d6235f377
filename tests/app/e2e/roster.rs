//! The team's signed roster on the command line, two laptops and a plain
//! team folder, with a real Secret Service: Ada starts it and reads its
//! fingerprint to Ben, who pins it; a version Ada signs reaches Ben; a
//! version planted in the folder by a key that is no admin's waits with
//! its reason and changes nothing; a malformed roster file is quarantined;
//! Ben rotates his key through the roster (old and new key sign), and his
//! events signed with the new key are taken in on Ada's laptop. Ben trusts
//! the roster in his real window (Settings → Team roster), and Ada's window
//! shows the version in force and the planted version refused.

use std::rc::Rc;

use muster_core::decision::sshsig;
use muster_core::team::{folder, roster};

use super::desktop::Desktop;
use super::harness::App;
use super::team::{declared, Team};

/// The fingerprint `roster start` prints.
fn fingerprint_in(said: &str) -> String {
    said.split_whitespace()
        .find(|w| w.len() == 40 && w.matches('-').count() == 7)
        .map(|w| w.trim_end_matches([':', ',']).to_owned())
        .unwrap_or_else(|| panic!("no fingerprint in: {said}"))
}

#[tokio::test(flavor = "current_thread")]
async fn a_roster_is_started_pinned_changed_and_guards_keys_across_two_laptops() {
    let desktop = Rc::new(Desktop::start(false));
    let root = desktop.root.path().to_owned();
    let root = root.as_path();
    let t = Team { desktop: &desktop };
    let (a, b) = t.two_laptops(root);
    let shared = root.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let dir = shared.to_str().unwrap();
    t.ok(&a, &["team", "join", dir, "--as", "ada-example"]);
    t.ok(&b, &["team", "join", dir, "--as", "ben-sample"]);

    let none = t.ok(&a, &["roster", "show"]);
    assert!(none.starts_with("No roster"), "{none}");
    let started = t.ok(&a, &["roster", "start", "--admin", "ada-example"]);
    let fp = fingerprint_in(&started);
    assert!(started.contains("Wrote 1 roster file(s)"), "{started}");

    // Ben sees it, unpinned, with the fingerprint to compare; a wrong one is refused.
    t.ok(&b, &["team", "sync"]);
    let seen = t.ok(&b, &["roster", "show"]);
    assert!(seen.contains("Not pinned") && seen.contains(&fp), "{seen}");
    let wrong = t.fails(
        &b,
        &["roster", "pin", "0000-0000-0000-0000-0000-0000-0000-0000"],
    );
    assert!(wrong.contains("version-1 roster"), "{wrong}");
    // He trusts it in his window, after reading the same fingerprint there.
    let ben = App::start_on(desktop.clone(), b.clone(), &[]).await;
    ben.go("#/settings").await;
    ben.wait_for_text("[data-testid='roster-candidate-fingerprint']", &fp)
        .await;
    ben.click("[data-testid='roster-pin']").await;
    let asked = ben.texts("[data-testid='confirm']").await.join(" ");
    assert!(asked.contains(&fp), "{asked}");
    ben.click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    ben.wait_for_text("[data-testid='roster-root']", &fp).await;
    ben.wait_for_text(
        "[data-testid='roster-current']",
        "Version 1, signed by Ada Example",
    )
    .await;
    ben.scroll_to("#roster-heading", "start").await;
    ben.screenshot("roster-pinned").await;
    ben.close().await;
    let pinned = t.ok(&b, &["roster", "show"]);
    assert!(pinned.contains(&format!("Pinned roster {fp}")), "{pinned}");

    // Ada makes Ben an admin: one admin's signature is all version 1 needs.
    let two = t.ok(&a, &["roster", "propose", "--admin", "ben-sample"]);
    assert!(two.contains("Roster version 2 is in force"), "{two}");
    t.ok(&b, &["team", "sync"]);
    let shown = t.ok(&b, &["roster", "show"]);
    assert!(
        shown.contains("Version 2 in force") && shown.contains("admins: ada-example, ben-sample"),
        "{shown}"
    );

    // Planted: a version 3 that makes Eve an admin, signed by Eve's key only.
    let current: roster::RosterFile = {
        let (files, _) = folder::roster_files(&shared);
        files
            .into_iter()
            .map(|(_, f)| f)
            .max_by_key(|f| f.roster.version)
            .unwrap()
    };
    let eve = sshsig::generate([77; 32]);
    let mut forged = current.roster.next();
    forged.members.insert(
        muster_core::plan::Id::parse("eve").unwrap(),
        roster::MemberKeys {
            key: sshsig::public_line(eve.public_key()),
            retired: Vec::new(),
        },
    );
    forged
        .admins
        .insert(muster_core::plan::Id::parse("eve").unwrap());
    let planted = roster::RosterFile {
        signatures: vec![forged.sign(&eve).unwrap()],
        roster: forged,
    };
    folder::write_roster(&shared, &planted).unwrap();
    std::fs::write(shared.join("roster").join("junk.json"), b"{ not a roster").unwrap();
    t.ok(&a, &["team", "sync"]);
    let shown = t.ok(&a, &["roster", "show"]);
    assert!(shown.contains("Version 2 in force"), "{shown}");
    assert!(
        shown.contains("Waiting: version 3")
            && shown.contains(
                "signatures of 1 admin(s) of version 2 (ada-example, ben-sample); it has 0 (none)"
            ),
        "{shown}"
    );
    let status = t.ok(&a, &["team", "status"]);
    assert!(status.contains("junk.json"), "{status}");

    // Ben rotates his key: the roster takes it (old and new key signed),
    // and what he writes with the new key is taken in on Ada's laptop.
    let rotated = t.ok(&b, &["key", "init", "--as", "ben-sample", "--rotate"]);
    assert!(
        rotated.contains("roster takes it as version 3"),
        "{rotated}"
    );
    let said = t.ok(
        &b,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
    let id = declared(&said);
    t.ok(&b, &["team", "sync"]);
    let taken = t.ok(&a, &["team", "sync"]);
    assert!(taken.contains(&id), "{taken}");
    let shown = t.ok(&a, &["roster", "show"]);
    assert!(shown.contains("Version 3 in force"), "{shown}");
    // Eve's version 3 lost: refused now, never in force.
    assert!(shown.contains("Refused: version 3"), "{shown}");
    let ada = App::start_on(desktop.clone(), a.clone(), &[]).await;
    ada.go("#/settings").await;
    ada.wait_for_text(
        "[data-testid='roster-current']",
        "Version 3, signed by Ben Sample",
    )
    .await;
    let refused = ada.texts("[data-testid='roster-refused']").await.join(" ");
    assert!(refused.contains("Version 3"), "{refused}");
    ada.wait_for_text("[data-testid='roster-admins']", "Ada Example, Ben Sample")
        .await;
    ada.scroll_to("#roster-heading", "start").await;
    ada.screenshot("roster-in-force").await;
    ada.close().await;
}
