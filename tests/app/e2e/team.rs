//! Two laptops and a team folder, through the command line with a real
//! Secret Service: each person's key (in one keychain, two profiles) signs
//! their events; what Ada declares reaches Ben and what Ben notes reaches
//! Ada, through a plain shared folder and through git (a bare repository
//! and two clones). A remote that cannot be reached is a clear message and
//! loses nothing; a forged file in the folder is quarantined, never merged.

use std::path::{Path, PathBuf};
use std::process::Command;

use muster_core::team::folder;

use super::desktop::Desktop;
use super::keychain::{refusal, success};
use crate::text;

pub(super) struct Team<'a> {
    pub(super) desktop: &'a Desktop,
}

impl Team<'_> {
    pub(super) fn ok(&self, data: &Path, args: &[&str]) -> String {
        success(&self.desktop.run_muster(data, args), &args.join(" "))
    }

    pub(super) fn fails(&self, data: &Path, args: &[&str]) -> String {
        refusal(&self.desktop.run_muster(data, args), &args.join(" "))
    }

    /// Two profiles holding one plan with both public keys.
    pub(super) fn two_laptops(&self, root: &Path) -> (PathBuf, PathBuf) {
        let (a, b) = (root.join("ada"), root.join("ben"));
        let plan = root.join("plan");
        let plan = plan.to_str().unwrap();
        self.ok(&a, &["key", "init", "--as", "ada-example"]);
        self.ok(&a, &["plan", "export", plan]);
        self.ok(&b, &["plan", "import", plan]);
        self.ok(&b, &["key", "init", "--as", "ben-sample"]);
        self.ok(&b, &["plan", "export", plan]);
        self.ok(&a, &["plan", "import", plan]);
        (a, b)
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// The id on the first line of `incident declare`'s answer.
pub(super) fn declared(said: &str) -> String {
    said.split_whitespace()
        .find(|w| w.starts_with("INC-"))
        .unwrap_or_default()
        .trim_end_matches([':', ','])
        .to_owned()
}

#[test]
fn what_one_laptop_declares_reaches_the_other_through_a_plain_folder_and_through_git() {
    let desktop = Desktop::start(false);
    let root = desktop.root.path();
    let t = Team { desktop: &desktop };
    let (a, b) = t.two_laptops(root);

    // A plain shared folder.
    let shared = root.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let dir = shared.to_str().unwrap();
    let joined = t.ok(
        &a,
        &[
            "team",
            "join",
            dir,
            "--as",
            "ada-example",
            "--device",
            "ada-laptop",
        ],
    );
    assert!(joined.contains("a plain folder"), "{joined}");
    // Joining as someone whose key this profile does not hold is refused.
    let wrong = t.fails(&b, &["team", "join", dir, "--as", "ada-example"]);
    assert!(wrong.contains("signs as `ben-sample`"), "{wrong}");
    t.ok(
        &b,
        &[
            "team",
            "join",
            dir,
            "--as",
            "ben-sample",
            "--device",
            "ben-laptop",
        ],
    );

    let said = t.ok(
        &a,
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
    assert!(id.len() == 9, "a team id, not INC-1: {said}");
    let published = t.ok(&a, &["team", "sync"]);
    assert!(published.starts_with("Published 1 event(s)"), "{published}");
    let taken = t.ok(&b, &["team", "sync"]);
    assert!(
        taken.contains(&format!("took in 1 new event(s) ({id})")),
        "{taken}"
    );
    let listed = t.ok(&b, &["incident", "list"]);
    assert!(listed.contains(&id), "{listed}");

    t.ok(&b, &["incident", "note", &id, "Contract paused by Ben"]);
    t.ok(&b, &["team", "sync"]);
    t.ok(&a, &["team", "sync"]);
    let timeline = t.ok(
        &a,
        &["incident", "export", &id, "--format", "json", "--out", "-"],
    );
    assert!(timeline.contains("Contract paused by Ben"), "{timeline}");
    let verified = t.ok(&a, &["incident", "verify", &id]);
    assert!(
        verified.contains("2 team event(s), 2 signed by their authors' keys in the plan"),
        "{verified}"
    );

    // A forged file (a key in nobody's contact entry) is quarantined, never merged.
    let forged = muster_core::team::SignedEvent::sign(
        muster_core::team::Envelope {
            author: muster_core::plan::Id::parse("ada-example").unwrap(),
            device: "ada-laptop".to_owned(),
            seq: 99,
            lamport: 99,
            at: chrono::Utc::now(),
            thread: format!("incident/{id}"),
            parents: Vec::new(),
            kind: "incident.event".to_owned(),
            body: serde_json::json!({"incident": id, "event": {"note": {"text": "stand down"}}}),
        },
        &muster_core::decision::sshsig::generate([42; 32]),
    )
    .unwrap();
    folder::write(&shared, &forged).unwrap();
    t.ok(&b, &["team", "sync"]);
    let status = t.ok(&b, &["team", "status"]);
    assert!(status.contains("Quarantined (1), never merged"), "{status}");
    assert!(status.contains("in nobody's contact entry"), "{status}");
    assert!(
        status.contains("Ada Example (ada-example) on ada-laptop: 1 event(s)"),
        "{status}"
    );
    let timeline = t.ok(
        &b,
        &["incident", "export", &id, "--format", "json", "--out", "-"],
    );
    assert!(!timeline.contains("stand down"), "{timeline}");

    // git: a bare repository and a clone for each laptop.
    let bare = root.join("team.git");
    git(root, &["init", "--quiet", "--bare", bare.to_str().unwrap()]);
    let (ca, cb) = (root.join("clone-a"), root.join("clone-b"));
    for clone in [&ca, &cb] {
        git(
            root,
            &[
                "clone",
                "--quiet",
                bare.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
        git(clone, &["config", "user.name", "Responder"]);
        git(
            clone,
            &["config", "user.email", "responder@example.invalid"],
        );
    }
    t.ok(
        &a,
        &[
            "team",
            "join",
            ca.to_str().unwrap(),
            "--as",
            "ada-example",
            "--device",
            "ada-laptop",
        ],
    );
    t.ok(
        &b,
        &[
            "team",
            "join",
            cb.to_str().unwrap(),
            "--as",
            "ben-sample",
            "--device",
            "ben-laptop",
        ],
    );
    let status = t.ok(&a, &["team", "status"]);
    assert!(status.contains("a git working copy"), "{status}");
    let said = t.ok(
        &a,
        &[
            "incident",
            "declare",
            "--issue",
            "oracle-failure",
            "--severity",
            "S2",
        ],
    );
    let second = declared(&said);
    t.ok(&a, &["team", "sync"]);
    let log = git(&bare, &["log", "--oneline"]);
    assert!(log.contains("Muster: events from ada-laptop"), "{log}");
    let taken = t.ok(&b, &["team", "sync"]);
    assert!(taken.contains(&second), "{taken}");
    t.ok(&b, &["incident", "note", &second, "Fallback feed on"]);
    t.ok(&b, &["team", "sync"]);
    t.ok(&a, &["team", "sync"]);
    let timeline = t.ok(
        &a,
        &[
            "incident", "export", &second, "--format", "json", "--out", "-",
        ],
    );
    assert!(timeline.contains("Fallback feed on"), "{timeline}");

    // A decision through git: Ada requests and approves on her laptop, Ben
    // approves on his, and both laptops count the same quorum.
    let request = root.join("pause-request.txt");
    let request = request.to_str().unwrap();
    let decision = t
        .ok(
            &a,
            &[
                "decision",
                "request",
                "--policy",
                "pause-contract",
                "--incident",
                &second,
                "--statement",
                "Pause the Vault contract",
                "--out",
                request,
            ],
        )
        .trim()
        .to_owned();
    let sig_a = root.join("ada.sig");
    t.ok(
        &a,
        &[
            "decision",
            "sign",
            request,
            "--approve",
            "--out",
            sig_a.to_str().unwrap(),
        ],
    );
    t.ok(&a, &["team", "sync"]);
    t.ok(&b, &["team", "sync"]);
    let sig_b = root.join("ben.sig");
    t.ok(
        &b,
        &[
            "decision",
            "sign",
            request,
            "--approve",
            "--out",
            sig_b.to_str().unwrap(),
        ],
    );
    t.ok(&b, &["team", "sync"]);
    t.ok(&a, &["team", "sync"]);
    for data in [&a, &b] {
        let status = t.ok(data, &["decision", "status", &decision]);
        assert!(status.to_lowercase().contains("approved"), "{status}");
    }

    // The remote goes away: a clear message, exit 1, and nothing is lost.
    git(
        &ca,
        &[
            "remote",
            "set-url",
            "origin",
            "ssh://127.0.0.1:1/nowhere.git",
        ],
    );
    t.ok(&a, &["incident", "note", &second, "Written offline"]);
    let offline = t.fails(&a, &["team", "sync"]);
    assert!(offline.contains("cannot be reached"), "{offline}");
    let files = std::fs::read_dir(ca.join("events")).unwrap().count();
    assert!(files > 0);
    // Back online: it goes out, and Ben takes it in.
    git(
        &ca,
        &["remote", "set-url", "origin", bare.to_str().unwrap()],
    );
    t.ok(&a, &["team", "sync"]);
    t.ok(&b, &["team", "sync"]);
    let timeline = t.ok(
        &b,
        &[
            "incident", "export", &second, "--format", "json", "--out", "-",
        ],
    );
    assert!(timeline.contains("Written offline"), "{timeline}");

    // A remote that wants credentials Ada has not given: said as such (git
    // never prompts), and her events wait for the next sync.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in listener.incoming().flatten().take(8) {
            let mut stream = stream;
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"team\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    git(
        &ca,
        &[
            "remote",
            "set-url",
            "origin",
            &format!("http://127.0.0.1:{port}/team.git"),
        ],
    );
    t.ok(
        &a,
        &["incident", "note", &second, "Written while locked out"],
    );
    let refused = t.fails(&a, &["team", "sync"]);
    assert!(refused.contains("refused your credentials"), "{refused}");
    git(
        &ca,
        &["remote", "set-url", "origin", bare.to_str().unwrap()],
    );
    t.ok(&a, &["team", "sync"]);
    t.ok(&b, &["team", "sync"]);
    let timeline = t.ok(
        &b,
        &[
            "incident", "export", &second, "--format", "json", "--out", "-",
        ],
    );
    assert!(timeline.contains("Written while locked out"), "{timeline}");
}

/// Runs muster on `desktop` to its end and asserts it succeeded.
fn ok_on(desktop: &Desktop, data: &Path, args: &[&str]) -> String {
    success(&desktop.run_muster(data, args), &args.join(" "))
}

/// Two laptops (two desktops, each with its own Secret Service and
/// notification service), two real Syncthing instances on loopback, two
/// running Muster apps. Ada declares on her laptop; Ben's laptop pops up
/// and his window shows the incident; Ben marks a step done and posts an
/// update in his window; Ada's laptop has both.
#[tokio::test(flavor = "current_thread")]
// The machine's guard is held on purpose for the whole test; one thread
// runs it, and no task of this runtime waits for that lock.
#[allow(clippy::await_holding_lock)]
async fn through_syncthing_a_declaration_pops_up_on_the_other_laptop_and_its_work_comes_back() {
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    use super::harness::App;
    use super::syncthing;

    // Two laptops at once: no other test's desktop shares the machine.
    let _alone = super::desktop::alone();
    let lab = tempfile::tempdir().unwrap();
    let (fa, fb) = (lab.path().join("team-a"), lab.path().join("team-b"));
    let (st_a, st_b) = syncthing::pair(lab.path(), &fa, &fb);
    let cfg_a = st_a.home.join("config.xml").display().to_string();
    let cfg_b = st_b.home.join("config.xml").display().to_string();

    let desk_a = Desktop::start(false);
    let desk_b = Rc::new(Desktop::start(true));
    let (a, b) = (
        desk_a.root.path().join("ada"),
        desk_b.root.path().join("ben"),
    );
    let plan = lab.path().join("plan");
    let plan = plan.to_str().unwrap();
    ok_on(&desk_a, &a, &["key", "init", "--as", "ada-example"]);
    ok_on(&desk_a, &a, &["plan", "export", plan]);
    ok_on(&desk_b, &b, &["plan", "import", plan]);
    ok_on(&desk_b, &b, &["key", "init", "--as", "ben-sample"]);
    ok_on(&desk_b, &b, &["plan", "export", plan]);
    ok_on(&desk_a, &a, &["plan", "import", plan]);
    let joined = success(
        &desk_a
            .muster(
                &a,
                &[
                    "team",
                    "join",
                    fa.to_str().unwrap(),
                    "--as",
                    "ada-example",
                    "--device",
                    "ada-laptop",
                ],
            )
            .env("MUSTER_SYNCTHING_CONFIG", &cfg_a)
            .output()
            .unwrap(),
        "team join",
    );
    assert!(
        joined.contains("Syncthing, folder `muster-team`"),
        "{joined}"
    );
    assert!(joined.contains("new files are sent at once"), "{joined}");
    ok_on(
        &desk_b,
        &b,
        &[
            "team",
            "join",
            fb.to_str().unwrap(),
            "--as",
            "ben-sample",
            "--device",
            "ben-laptop",
        ],
    );

    let _app_a = desk_a.start_app_with(&a, &[("MUSTER_SYNCTHING_CONFIG", &cfg_a)]);
    let app_b = App::start_on(
        desk_b.clone(),
        b.clone(),
        &[("MUSTER_SYNCTHING_CONFIG", &cfg_b)],
    )
    .await;
    app_b.find("[data-section='overview']").await;

    // Ada declares (a script on her laptop; her running app signs and sends it).
    let said = ok_on(
        &desk_a,
        &a,
        &[
            "incident",
            "declare",
            "--issue",
            "oracle-failure",
            "--severity",
            "S1",
            "--lead",
            "ada-example",
        ],
    );
    let id = declared(&said);
    let declared_at = Instant::now();

    // Ben's laptop pops up, and his window shows the incident.
    let deadline = Instant::now() + Duration::from_secs(30);
    let popup = loop {
        if let Some(n) = desk_b
            .notifications()
            .into_iter()
            .find(|n| n.summary.contains(&id) || n.body.contains(&id))
        {
            break n;
        }
        assert!(
            Instant::now() < deadline,
            "no pop-up on Ben's laptop for {id}: {:#?}",
            desk_b.notifications()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    eprintln!(
        "declaration on A → pop-up on B: {:.0} ms",
        declared_at.elapsed().as_secs_f64() * 1e3
    );
    // It is Ben's to act on (he is responsible for the responders' channel),
    // with the plan's text shown as written, not read as markup.
    assert!(
        popup.summary.contains("open the responders channel"),
        "{popup:#?}"
    );
    assert!(
        popup.body.contains("ir-&lt;date&gt;-&lt;short-name&gt;"),
        "{popup:#?}"
    );
    // Telling people is Ada's (she leads it): none of it pops up on Ben's laptop.
    app_b.scheduler_passed(0).await;
    let on_b = desk_b.notifications();
    assert!(
        on_b.iter().all(|n| !n.summary.contains("people now")),
        "Ben was asked to do the lead's job: {on_b:#?}"
    );
    app_b.screenshot("team-popup-on-ben").await;
    app_b.go(&format!("#/incidents/{id}")).await;
    app_b.find("[data-testid='incident-console']").await;

    // Ben works it in his window.
    app_b
        .click("[data-testid='step'] [data-action='step-done']")
        .await;
    app_b.find("[data-testid='step'][data-status='done']").await;
    app_b
        .click("[data-testid='cadence-line'][data-rule='internal-hourly-update'] [data-action='post-update']")
        .await;
    app_b
        .fill(
            "[data-testid='update-text']",
            "Fallback feed on; borrowing paused.",
        )
        .await;
    app_b.click("[data-testid='update-submit']").await;
    app_b.screenshot("team-ben-console").await;

    // Ada's laptop has both.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let timeline = ok_on(
            &desk_a,
            &a,
            &["incident", "export", &id, "--format", "json", "--out", "-"],
        );
        if timeline.contains("Fallback feed on") && timeline.contains("\"done\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Ada's laptop never got Ben's work: {timeline}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    ok_on(&desk_a, &a, &["incident", "verify", &id]);

    // Ada requests "pause contract" and approves it on her laptop; the
    // request reaches Ben's window, he approves there, and Ada's laptop
    // sees it approved. Both bundles verify against the plan.
    let request = lab.path().join("request.txt");
    let request = request.to_str().unwrap();
    let decision = ok_on(
        &desk_a,
        &a,
        &[
            "decision",
            "request",
            "--policy",
            "pause-contract",
            "--incident",
            &id,
            "--statement",
            "Pause the Vault contract",
            "--out",
            request,
        ],
    );
    let decision = decision.trim().to_owned();
    let ada_sig = lab.path().join("ada.sig");
    ok_on(
        &desk_a,
        &a,
        &[
            "decision",
            "sign",
            request,
            "--approve",
            "--out",
            ada_sig.to_str().unwrap(),
        ],
    );
    app_b.go("#/decisions-log").await;
    app_b
        .find(&format!(
            "[data-testid='decision-card'][data-decision='{decision}']"
        ))
        .await;
    app_b
        .click(&format!(
            "[data-testid='decision-card'][data-decision='{decision}'] [data-testid='approve']"
        ))
        .await;
    app_b
        .click("[data-testid='confirm'] [data-action='confirm']")
        .await;
    app_b
        .find(&format!(
            "[data-testid='decision-card'][data-decision='{decision}'][data-state='approved']"
        ))
        .await;
    app_b.screenshot("team-ben-approved").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = ok_on(&desk_a, &a, &["decision", "status", &decision]);
        if status.to_lowercase().contains("approved") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Ada's laptop never saw it approved: {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for (desk, data, name) in [(&desk_a, &a, "bundle-a"), (&*desk_b, &b, "bundle-b")] {
        let bundle = lab.path().join(name);
        let bundle = bundle.to_str().unwrap();
        ok_on(
            desk,
            data,
            &["decision", "bundle", &decision, "--out", bundle],
        );
        let verified = ok_on(desk, data, &["decision", "verify", bundle, "--plan", plan]);
        assert!(verified.to_lowercase().contains("approved"), "{verified}");
    }

    let status = ok_on(&desk_a, &a, &["team", "status"]);
    assert!(
        status.contains("Ben Sample (ben-sample) on ben-laptop"),
        "{status}"
    );
    assert!(status.contains("Quarantined: nothing"), "{status}");
    assert!(!status.contains("Not applied"), "{status}");

    // Ben's Settings say which transport carries the folder and whom it heard from.
    app_b.go("#/settings").await;
    app_b
        .find("[data-testid='team-folder'][data-state='joined']")
        .await;
    let transport = app_b
        .texts("[data-testid='team-transport']")
        .await
        .join(" ");
    assert!(transport.contains("muster-team"), "{transport}");
    let teammates = app_b
        .texts("[data-testid='team-teammate']")
        .await
        .join("\n");
    assert!(teammates.contains("Ada Example"), "{teammates}");
    app_b
        .client
        .execute(
            "document.querySelector(\"[data-testid='team-folder']\").scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    app_b.screenshot("team-settings").await;
}

/// Paging, on three laptops over a plain shared folder: Dara is on call for
/// network problems; the plan pages after 1 minute. Ada declares and leads.
/// Dara's laptop pops up "you are called", and she does not answer; after
/// twice the minute Ben — the rotation's backup — is paged on his laptop;
/// he acknowledges from the pop-up, and Ada's laptop sees that he has it.
#[test]
fn unanswered_the_escalation_pages_the_backup_who_acknowledges_from_the_pop_up() {
    use std::time::{Duration, Instant};

    // Two laptops at once: no other test's desktop shares the machine.
    let _alone = super::desktop::alone();
    let lab = tempfile::tempdir().unwrap();
    let shared = lab.path().join("team");
    std::fs::create_dir_all(&shared).unwrap();
    let desk_a = Desktop::start(false);
    let desk_b = Desktop::start(true);
    let desk_c = Desktop::start(true);
    let (a, b, c) = (
        desk_a.root.path().join("ada"),
        desk_b.root.path().join("ben"),
        desk_c.root.path().join("dara"),
    );
    let plan = lab.path().join("plan");
    let plan_dir = plan.clone();
    let plan = plan.to_str().unwrap();
    ok_on(&desk_a, &a, &["key", "init", "--as", "ada-example"]);
    ok_on(&desk_a, &a, &["plan", "export", plan]);
    ok_on(&desk_b, &b, &["plan", "import", plan]);
    ok_on(&desk_b, &b, &["key", "init", "--as", "ben-sample"]);
    ok_on(&desk_b, &b, &["plan", "export", plan]);
    ok_on(&desk_c, &c, &["plan", "import", plan]);
    ok_on(&desk_c, &c, &["key", "init", "--as", "dara-mock"]);
    ok_on(&desk_c, &c, &["plan", "export", plan]);
    // The plan every laptop holds: network problems page after 1 minute, and
    // Dara is on call today.
    let edit = |file: &str, from: &str, to: &str| {
        let path = plan_dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}:\n{text}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "escalation.toml",
        "category = \"network-problem\"\n",
        "category = \"network-problem\"\npage-after-minutes = 1\n",
    );
    let now = chrono::Utc::now();
    let instant = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    // An override table belongs to the rotation above it: the network
    // rotation is the file's last.
    let rotations = std::fs::read_to_string(plan_dir.join("on-call.toml")).unwrap();
    let last = rotations.rsplit("[[rotation]]").next().unwrap_or_default();
    assert!(
        last.contains("category = \"network-problem\""),
        "{rotations}"
    );
    std::fs::write(
        plan_dir.join("on-call.toml"),
        format!(
            "{rotations}\n[[rotation.override]]\nmember = \"dara-mock\"\nfrom = {}\nuntil = {}\nnote = \"Dara covers today\"\n",
            instant(now - chrono::Duration::hours(1)),
            instant(now + chrono::Duration::days(1)),
        ),
    )
    .unwrap();
    ok_on(&desk_a, &a, &["plan", "import", plan]);
    ok_on(&desk_b, &b, &["plan", "import", plan]);
    ok_on(&desk_c, &c, &["plan", "import", plan]);
    for (desk, data, who, device) in [
        (&desk_a, &a, "ada-example", "ada-laptop"),
        (&desk_b, &b, "ben-sample", "ben-laptop"),
        (&desk_c, &c, "dara-mock", "dara-laptop"),
    ] {
        ok_on(
            desk,
            data,
            &[
                "team",
                "join",
                shared.to_str().unwrap(),
                "--as",
                who,
                "--device",
                device,
            ],
        );
    }
    let _app_a = desk_a.start_app_with(&a, &[]);
    let _app_b = desk_b.start_app_with(&b, &[]);
    let _app_c = desk_c.start_app_with(&c, &[]);

    let said = ok_on(
        &desk_a,
        &a,
        &[
            "incident",
            "declare",
            "--issue",
            "rpc-provider-outage",
            "--severity",
            "S1",
            "--lead",
            "ada-example",
        ],
    );
    let id = declared(&said);
    let declared_at = Instant::now();

    // Dara's laptop calls her; she does not answer.
    let deadline = declared_at + Duration::from_secs(60);
    loop {
        let shown = desk_c.notifications();
        if shown
            .iter()
            .any(|n| n.summary.contains(&id) && n.summary.contains("you are called"))
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Dara was never called for {id}: {shown:#?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Nothing for Ben at first: the call is Dara's.
    let paged = |n: &super::desktop::Notification| {
        n.summary.contains(&id) && n.summary.contains("you are paged")
    };
    let deadline = declared_at + Duration::from_secs(190);
    // The call and the service's answer (its id) reach the bus log apart:
    // wait for both.
    let popup = loop {
        let shown = desk_b.notifications();
        if let Some(n) = shown.iter().find(|n| paged(n) && n.id.is_some()) {
            break n.clone();
        }
        assert!(
            Instant::now() < deadline,
            "Ben was never paged for {id}: {shown:#?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    let after = declared_at.elapsed();
    assert!(
        after >= Duration::from_secs(100),
        "Ben was paged after {after:?}, before twice the plan's minute"
    );
    assert!(popup.body.contains("Dara Mock was called at"), "{popup:#?}");
    assert!(
        popup.actions.iter().any(|a| a == "acknowledge"),
        "the page offers Acknowledge: {popup:#?}"
    );
    assert_eq!(popup.urgency, Some(2), "a page is critical: {popup:#?}");
    let _ = std::process::Command::new("import")
        .args(["-display", &desk_b.display, "-window", "root"])
        .arg(super::harness::shots_dir().join("team-paged-on-ben-screen.png"))
        .status();

    // Ben acknowledges from the pop-up; Ada's laptop sees that he has it.
    let popup_id = popup
        .id
        .expect("the notification service answered with an id");
    desk_b.invoke_action(popup_id, "acknowledge");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let timeline = ok_on(
            &desk_a,
            &a,
            &["incident", "export", &id, "--format", "json", "--out", "-"],
        );
        if timeline.contains("acknowledged in Muster") && timeline.contains("ben-sample") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "Ada's laptop never saw Ben acknowledge: {timeline}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    ok_on(&desk_a, &a, &["incident", "verify", &id]);
}

/// The benchmark of the team folder's latency: 50 declarations on Ada's
/// laptop, each timed from the declaration's commit (its time in Ada's
/// database) to the `Notify` call on Ben's laptop's session bus, over two
/// real Syncthing instances on loopback with both apps running. Not a timed
/// test: run it by hand, it prints p50 and p99 and writes them to
/// `target/e2e/team-latency.txt` (figures go to docs/BENCHMARKS.md).
#[test]
#[ignore = "a benchmark: cargo test -p muster --features e2e --test app bench_team_latency -- --ignored --nocapture"]
fn bench_team_latency_from_a_declaration_to_the_pop_up_on_a_teammates_laptop() {
    use std::time::{Duration, Instant};

    use muster_core::clock::SystemClock;
    use muster_core::incident::IncidentId;
    use muster_core::store::Store;

    use super::syncthing;

    const RUNS: usize = 50;
    // Two laptops at once: no other test's desktop shares the machine.
    let _alone = super::desktop::alone();
    let lab = tempfile::tempdir().unwrap();
    let (fa, fb) = (lab.path().join("team-a"), lab.path().join("team-b"));
    let (st_a, st_b) = syncthing::pair(lab.path(), &fa, &fb);
    let cfg_a = st_a.home.join("config.xml").display().to_string();
    let cfg_b = st_b.home.join("config.xml").display().to_string();
    let desk_a = Desktop::start(false);
    let desk_b = Desktop::start(true);
    let (a, b) = (
        desk_a.root.path().join("ada"),
        desk_b.root.path().join("ben"),
    );
    let plan = lab.path().join("plan");
    let plan = plan.to_str().unwrap();
    ok_on(&desk_a, &a, &["key", "init", "--as", "ada-example"]);
    ok_on(&desk_a, &a, &["plan", "export", plan]);
    ok_on(&desk_b, &b, &["plan", "import", plan]);
    ok_on(&desk_b, &b, &["key", "init", "--as", "ben-sample"]);
    ok_on(&desk_b, &b, &["plan", "export", plan]);
    ok_on(&desk_a, &a, &["plan", "import", plan]);
    ok_on(
        &desk_a,
        &a,
        &["team", "join", fa.to_str().unwrap(), "--as", "ada-example"],
    );
    ok_on(
        &desk_b,
        &b,
        &["team", "join", fb.to_str().unwrap(), "--as", "ben-sample"],
    );
    let _app_a = desk_a.start_app_with(&a, &[("MUSTER_SYNCTHING_CONFIG", &cfg_a)]);
    let _app_b = desk_b.start_app_with(&b, &[("MUSTER_SYNCTHING_CONFIG", &cfg_b)]);

    let mut latencies = Vec::new();
    for run in 0..RUNS {
        let said = ok_on(
            &desk_a,
            &a,
            &[
                "incident",
                "declare",
                "--issue",
                "oracle-failure",
                "--severity",
                "S1",
                "--lead",
                "ada-example",
            ],
        );
        let id = declared(&said);
        let committed = {
            let mut store = Store::open_in(&a, &SystemClock).unwrap();
            let incident = store.incident(&IncidentId(id.clone())).unwrap();
            incident.declared_at.timestamp_micros() as f64 / 1e6
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let shown = loop {
            if let Some(n) = desk_b
                .notifications()
                .into_iter()
                .find(|n| n.summary.contains(&id))
            {
                break n.time;
            }
            assert!(Instant::now() < deadline, "run {run}: no pop-up for {id}");
            std::thread::sleep(Duration::from_millis(5));
        };
        latencies.push((shown - committed) * 1e3);
    }
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    let report = format!(
        "team folder latency over {RUNS} declarations (Syncthing 1.19 on loopback, both apps running): \
         p50 {:.0} ms, p99 {:.0} ms, min {:.0} ms, max {:.0} ms\n",
        at(0.5),
        at(0.99),
        latencies[0],
        latencies[latencies.len() - 1]
    );
    eprint!("{report}");
    let out = super::harness::shots_dir().join("team-latency.txt");
    std::fs::write(out, &report).unwrap();
}

/// Copies every file of `from`'s team folder that `to` lacks: two laptops
/// that were apart meeting again (as Syncthing would, once they see each
/// other).
fn meet(from: &Path, to: &Path) -> usize {
    let mut copied = 0;
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let inside = path.strip_prefix(from).unwrap();
            if path.is_dir() {
                std::fs::create_dir_all(to.join(inside)).unwrap();
                stack.push(path);
            } else if !to.join(inside).exists() {
                std::fs::copy(&path, to.join(inside)).unwrap();
                copied += 1;
            }
        }
    }
    copied
}

/// How many event files a team folder holds.
fn event_files(dir: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                count += 1;
            }
        }
    }
    count
}

#[tokio::test(flavor = "current_thread")]
// The machine's guard is held on purpose for the whole test; one thread
// runs it, and no task of this runtime waits for that lock.
#[allow(clippy::await_holding_lock)]
async fn two_windows_edit_one_signal_apart_both_show_the_conflict_and_one_settles_it() {
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    use super::harness::{App, PATIENCE};

    let _alone = super::desktop::alone();
    let lab = tempfile::tempdir().unwrap();
    // Each laptop its own copy of the team folder: apart until they meet.
    let (fa, fb) = (lab.path().join("team-a"), lab.path().join("team-b"));
    std::fs::create_dir_all(&fa).unwrap();
    std::fs::create_dir_all(&fb).unwrap();
    let desk_a = Rc::new(Desktop::start(false));
    let desk_b = Rc::new(Desktop::start(false));
    let (a, b) = (
        desk_a.root.path().join("ada"),
        desk_b.root.path().join("ben"),
    );
    let plan = lab.path().join("plan");
    let plan = plan.to_str().unwrap();
    ok_on(&desk_a, &a, &["key", "init", "--as", "ada-example"]);
    ok_on(&desk_a, &a, &["plan", "export", plan]);
    ok_on(&desk_b, &b, &["plan", "import", plan]);
    ok_on(&desk_b, &b, &["key", "init", "--as", "ben-sample"]);
    ok_on(&desk_b, &b, &["plan", "export", plan]);
    ok_on(&desk_a, &a, &["plan", "import", plan]);
    for (desk, data, dir, who) in [
        (&desk_a, &a, &fa, "ada-example"),
        (&desk_b, &b, &fb, "ben-sample"),
    ] {
        ok_on(
            desk,
            data,
            &["team", "join", dir.to_str().unwrap(), "--as", who],
        );
    }
    let app_a = App::start_on(desk_a.clone(), a.clone(), &[]).await;
    let app_b = App::start_on(desk_b.clone(), b.clone(), &[]).await;

    // Apart, each changes the oracle failure's detection signal in the editor.
    let issue = "#/issues/oracle-failure";
    let ada_says = "Feed more than 10 minutes late (Ada)";
    let ben_says = "Feed more than 5 minutes late (Ben)";
    for (app, signal) in [(&app_a, ada_says), (&app_b, ben_says)] {
        app.go(issue).await;
        app.click("[data-testid='issue-page'] [data-action='edit']")
            .await;
        app.fill("[name='signal']", signal).await;
        app.click("[data-action='save']").await;
        app.wait_for_text("[data-testid='detection-signal']", signal)
            .await;
    }
    // Each laptop's app signs what it wrote into its own folder.
    let deadline = Instant::now() + PATIENCE;
    while event_files(&fa) < 2 || event_files(&fb) < 2 {
        assert!(
            Instant::now() < deadline,
            "the edits were never published: {} and {} files",
            event_files(&fa),
            event_files(&fb)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // They meet: both windows show the conflict, with both values and who wrote each.
    meet(&fa, &fb);
    meet(&fb, &fa);
    let conflict = "[data-testid='conflict'][data-field='/detection/signal']";
    for app in [&app_a, &app_b] {
        app.find(conflict).await;
        app.wait_for_count(&format!("{conflict} [data-testid='conflict-value']"), 2)
            .await;
        let values = app
            .texts(&format!("{conflict} [data-testid='conflict-value']"))
            .await
            .join("\n");
        assert!(
            values.contains(ada_says) && values.contains("Ada Example"),
            "{values}"
        );
        assert!(
            values.contains(ben_says) && values.contains("Ben Sample"),
            "{values}"
        );
    }
    // Both show the same value meanwhile.
    let shown_a = app_a.texts("[data-testid='detection-signal']").await;
    let shown_b = app_b.texts("[data-testid='detection-signal']").await;
    assert_eq!(shown_a, shown_b);
    app_b.screenshot("team-plan-conflict").await;

    // Ben keeps Ada's value; his window settles at once, Ada's once the file reaches her.
    app_b
        .click(&format!(
            "{conflict} [data-testid='conflict-value'][data-author='ada-example'] [data-action='keep-value']"
        ))
        .await;
    app_b.wait_for_count("[data-testid='conflict']", 0).await;
    app_b
        .wait_for_text("[data-testid='detection-signal']", ada_says)
        .await;
    let deadline = Instant::now() + PATIENCE;
    while meet(&fb, &fa) == 0 {
        assert!(
            Instant::now() < deadline,
            "the settling was never published"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app_a.wait_for_count("[data-testid='conflict']", 0).await;
    app_a
        .wait_for_text("[data-testid='detection-signal']", ada_says)
        .await;
    app_a.screenshot("team-plan-settled").await;
    app_a.close().await;
    app_b.close().await;
}

/// The first event id (8 digits) on the line of `text` that names `value`.
fn event_of(listing: &str, value: &str) -> String {
    listing
        .lines()
        .find(|l| l.contains(value))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no line names {value}: {listing}"))
        .to_owned()
}

#[test]
fn hand_edits_to_toml_on_two_laptops_travel_collide_and_are_settled_on_the_command_line() {
    let desktop = Desktop::start(false);
    let root = desktop.root.path();
    let t = Team { desktop: &desktop };
    let (a, b) = t.two_laptops(root);
    let shared = root.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let dir = shared.to_str().unwrap();
    t.ok(&a, &["team", "join", dir, "--as", "ada-example"]);
    t.ok(&b, &["team", "join", dir, "--as", "ben-sample"]);

    // Each exports the plan, changes the oracle's signal by hand, imports it.
    let old = "A feed not updated within its heartbeat plus 10 minutes";
    for (data, who, new) in [
        (&a, "ada", "Feed 10 minutes late, said Ada"),
        (&b, "ben", "Feed 5 minutes late, said Ben"),
    ] {
        let folder = root.join(format!("{who}-plan"));
        let folder = folder.to_str().unwrap();
        t.ok(data, &["plan", "export", folder]);
        let file = Path::new(folder).join("issues.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(old));
        std::fs::write(&file, text.replace(old, new)).unwrap();
        t.ok(data, &["plan", "import", folder]);
    }
    for data in [&a, &b, &a] {
        t.ok(data, &["team", "sync"]);
    }
    // Both laptops list the conflict, with both values and who wrote each.
    let mut listings = Vec::new();
    for data in [&a, &b] {
        let out = desktop.run_muster(data, &["team", "conflicts"]);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let listing = crate::text(&out.stdout);
        assert!(
            listing
                .contains("issue “Oracle failure” (issues oracle-failure \"/detection/signal\")"),
            "{listing}"
        );
        assert!(
            listing.contains("Ada Example") && listing.contains("said Ada"),
            "{listing}"
        );
        assert!(
            listing.contains("Ben Sample") && listing.contains("said Ben"),
            "{listing}"
        );
        listings.push(listing);
    }
    // Ben keeps Ada's; after the next sync both agree, with no conflict.
    let adas = event_of(&listings[1], "said Ada");
    let settled = t.ok(
        &b,
        &[
            "team",
            "settle",
            "issues",
            "oracle-failure",
            "/detection/signal",
            "--keep",
            &adas,
        ],
    );
    assert!(settled.contains("0 conflict(s) left"), "{settled}");
    t.ok(&a, &["team", "sync"]);
    for data in [&a, &b] {
        let out = t.ok(data, &["team", "conflicts"]);
        assert!(out.starts_with("No conflicts"), "{out}");
        let shown = t.ok(data, &["plan", "show"]);
        assert!(shown.contains("Feed 10 minutes late, said Ada"), "{shown}");
    }
    // A value nobody wrote cannot be kept.
    let refused = t.fails(
        &b,
        &[
            "team",
            "settle",
            "issues",
            "oracle-failure",
            "/detection/signal",
            "--keep",
            "00000000",
        ],
    );
    assert!(refused.contains("plan conflict"), "{refused}");
}
