//! The signing key and the OS keychain on a private desktop with a real
//! Secret Service (gnome-keyring on a private bus): `key init` keeps the
//! private key in the keychain and only its public half in the plan; an
//! existing key is never replaced without `--rotate`; a locked or missing
//! keychain is refused with guidance and changes nothing. The helpers here
//! (running muster, reading the keychain) serve `decisions.rs` too.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use muster_app::keychain::{KeyStore, Keychain};
use muster_core::clock::SystemClock;
use muster_core::decision::PrivateKey;
use muster_core::plan::CoreMember;
use muster_core::store::Store;

use super::desktop::{spawn, wait_until, Desktop, Service, PATIENCE};
use crate::text;

const PASSWORD: &str = "e2e-password";

/// The variable that makes [`reads_the_keychain_for_a_parent_test`] read a
/// profile's secret (it names the profile).
const READ_PROFILE: &str = "MUSTER_E2E_READ_PROFILE";

pub(super) fn success(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Asserts that the command failed with exit code 1 and returns what it said.
pub(super) fn refusal(out: &Output, what: &str) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what} should have been refused:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr)
}

/// Runs `command` to its end, at most [`PATIENCE`].
pub(super) fn finish(mut command: Command) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let deadline = Instant::now() + PATIENCE;
    while !matches!(child.try_wait(), Ok(Some(_))) {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{command:?} did not exit within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"))
}

pub(super) fn open(data: &Path) -> Store {
    Store::open_in(data, &SystemClock).unwrap()
}

pub(super) fn setting(data: &Path, key: &str) -> Option<String> {
    open(data).setting(key).unwrap()
}

pub(super) fn member(data: &Path, id: &str) -> CoreMember {
    let plan = open(data).plan().unwrap();
    plan.core_team
        .into_iter()
        .find(|m| m.id.as_str() == id)
        .unwrap_or_else(|| panic!("no core member {id}"))
}

/// What a refusal must leave as it was: the plan's revisions, the member's
/// keys and the profile's settings.
pub(super) fn snapshot(
    data: &Path,
    id: &str,
) -> (usize, CoreMember, Option<String>, Option<String>) {
    let revisions = open(data).revisions(10_000).unwrap().len();
    (
        revisions,
        member(data, id),
        setting(data, "profile.id"),
        setting(data, "profile.contact"),
    )
}

/// `ssh-keygen -l` on a public key line: the `SHA256:…` it prints.
pub(super) fn ssh_keygen_fingerprint(dir: &Path, line: &str) -> String {
    let file = dir.join("key.pub");
    std::fs::write(&file, format!("{line}\n")).unwrap();
    let out = Command::new("ssh-keygen")
        .arg("-l")
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run ssh-keygen ({e}): `bash scripts/dev.sh test` installs openssh-client"
            )
        });
    let said = success(&out, "ssh-keygen -l");
    said.split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("ssh-keygen -l printed {said}"))
        .to_owned()
}

/// The value after `label` on its line of `said`.
fn field<'a>(said: &'a str, label: &str) -> &'a str {
    said.lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} in:\n{said}"))
        .trim()
}

/// The OpenSSH private key (PEM) the keychain holds for `data`'s profile,
/// read through the app's own keychain adapter in a child process on the
/// desktop's bus: keyring connects to the session bus once per process, from
/// the environment, so the read runs where that environment is the desktop's.
pub(super) fn secret_of(desktop: &Desktop, data: &Path) -> String {
    let profile = setting(data, "profile.id").unwrap_or_else(|| panic!("no profile id"));
    let exe = std::env::current_exe().unwrap();
    let mut child = desktop.command(exe);
    child
        .args([
            "e2e::keychain::reads_the_keychain_for_a_parent_test",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(READ_PROFILE, &profile);
    let out = finish(child);
    // Not `success`: its message would show the secret.
    assert!(
        out.status.success(),
        "reading the keychain failed: {}",
        text(&out.stderr)
    );
    let said = text(&out.stdout);
    let hex = said
        .lines()
        .find_map(|l| {
            l.split_once("SECRET=")
                .map(|(_, hex)| hex.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("the child printed no secret: {}", text(&out.stderr)));
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    String::from_utf8(bytes).unwrap()
}

/// Not a test of its own: run by [`secret_of`] as a child process, it prints
/// the secret of the profile named in [`READ_PROFILE`]; otherwise it does
/// nothing.
#[test]
fn reads_the_keychain_for_a_parent_test() {
    let Ok(profile) = std::env::var(READ_PROFILE) else {
        return;
    };
    let keys = Keychain::os().unwrap();
    let pem = keys.get(&profile).unwrap();
    let hex: String = pem.expose().bytes().map(|b| format!("{b:02x}")).collect();
    println!("SECRET={hex}");
}

/// Locks the keychain's login collection, as a screen lock or timeout would.
fn lock(desktop: &Desktop) {
    let mut call = desktop.command("gdbus");
    call.args([
        "call",
        "--session",
        "--dest",
        "org.freedesktop.secrets",
        "--object-path",
        "/org/freedesktop/secrets",
        "--method",
        "org.freedesktop.Secret.Service.Lock",
        "['/org/freedesktop/secrets/collection/login']",
    ]);
    success(&finish(call), "locking the keychain");
    assert_eq!(
        locked(desktop),
        Some(true),
        "the login collection is still unlocked"
    );
}

/// Whether the login collection is locked; `None` while nobody answers.
fn locked(desktop: &Desktop) -> Option<bool> {
    let mut call = desktop.command("gdbus");
    call.args([
        "call",
        "--session",
        "--dest",
        "org.freedesktop.secrets",
        "--object-path",
        "/org/freedesktop/secrets/collection/login",
        "--method",
        "org.freedesktop.DBus.Properties.Get",
        "org.freedesktop.Secret.Collection",
        "Locked",
    ]);
    match text(&finish(call).stdout).trim() {
        "(<true>,)" => Some(true),
        "(<false>,)" => Some(false),
        _ => None,
    }
}

/// Unlocks the keychain as logging in again would: a new gnome-keyring
/// daemon replaces the running one, unlocked with the password.
fn unlock(desktop: &Desktop) -> Service {
    let mut daemon = desktop.command("gnome-keyring-daemon");
    daemon
        .args([
            "--replace",
            "--unlock",
            "--components=secrets",
            "--foreground",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut daemon = spawn("gnome-keyring-daemon", &mut daemon);
    if let Some(mut stdin) = daemon.child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(PASSWORD.as_bytes());
    }
    // Ask nothing of the Secret Service before the new daemon owns its name:
    // a call in between would have the bus start yet another daemon.
    let pid = daemon.child.id();
    let mut owner = desktop.command("gdbus");
    owner.args([
        "call",
        "--session",
        "--dest",
        "org.freedesktop.DBus",
        "--object-path",
        "/org/freedesktop/DBus",
        "--method",
        "org.freedesktop.DBus.GetConnectionUnixProcessID",
        "org.freedesktop.secrets",
    ]);
    wait_until("the new keyring daemon to own the Secret Service", || {
        owner
            .output()
            .is_ok_and(|o| text(&o.stdout).trim() == format!("(uint32 {pid},)"))
    });
    assert_eq!(locked(desktop), Some(false), "the keychain is still locked");
    daemon
}

#[test]
fn key_init_keeps_the_private_key_in_the_keychain_and_puts_the_public_key_on_the_contact() {
    let desktop = Desktop::start(false);
    let data = desktop.root.path().join("data");
    let before = snapshot(&data, "ada-example");
    assert_eq!(before.1.public_key, None);

    let init = desktop.run_muster(&data, &["key", "init", "--as", "ada-example"]);
    let said = success(&init, "key init");
    let first = said.lines().next().unwrap_or_default().to_owned();
    let fingerprint = first
        .strip_prefix("Signing key for Ada Example: ")
        .unwrap_or_else(|| panic!("{said}"))
        .to_owned();

    // One revision, holding the public key on the contact.
    let after = snapshot(&data, "ada-example");
    assert_eq!(after.0, before.0 + 1, "one revision");
    let public = after
        .1
        .public_key
        .clone()
        .unwrap_or_else(|| panic!("no key in the plan"));
    assert!(public.starts_with("ssh-ed25519 AAAA"), "{public}");
    assert!(after.1.retired_keys.is_empty());
    assert_eq!(after.3.as_deref(), Some("ada-example"));
    let profile = after.2.clone().unwrap_or_else(|| panic!("no profile id"));
    assert_eq!(profile.len(), 32);

    // The fingerprint is OpenSSH's, and `key show` agrees.
    assert_eq!(
        ssh_keygen_fingerprint(desktop.root.path(), &public),
        fingerprint
    );
    let show = desktop.run_muster(&data, &["key", "show"]);
    let shown = success(&show, "key show");
    assert_eq!(field(&shown, "Signs as:"), "Ada Example (ada-example)");
    assert_eq!(field(&shown, "Fingerprint:"), fingerprint);
    assert_eq!(field(&shown, "Public key:"), public);
    assert_eq!(
        field(&shown, "In the plan:"),
        "the plan lists it as Ada Example's current key"
    );

    // The keychain holds the matching private key.
    let pem = secret_of(&desktop, &data);
    let key = PrivateKey::from_openssh(&pem).unwrap();
    assert_eq!(
        key.public_key().fingerprint(Default::default()).to_string(),
        fingerprint
    );
    for out in [&init, &show] {
        for stream in [&out.stdout, &out.stderr] {
            assert!(!text(stream).contains("PRIVATE KEY"), "{}", text(stream));
        }
    }
}

#[test]
fn an_existing_key_is_never_replaced_without_rotate_and_rotation_retires_the_old_key() {
    let desktop = Desktop::start(false);
    let data = desktop.root.path().join("data");
    success(
        &desktop.run_muster(&data, &["key", "init", "--as", "ben-sample"]),
        "key init",
    );
    let first = snapshot(&data, "ben-sample");
    let old_public = first.1.public_key.clone().unwrap_or_default();
    let old_pem = secret_of(&desktop, &data);

    let again = desktop.run_muster(&data, &["key", "init", "--as", "ben-sample"]);
    let why = refusal(&again, "a second key init");
    assert!(
        why.starts_with("muster: this profile already has a signing key for `ben-sample` (SHA256:")
            && why.contains("Muster never replaces one silently")
            && why.contains("`muster key init --as ben-sample --rotate`"),
        "{why}"
    );
    assert_eq!(snapshot(&data, "ben-sample"), first, "nothing changed");
    assert_eq!(
        secret_of(&desktop, &data),
        old_pem,
        "the keychain kept the key"
    );

    let started = chrono::Utc::now() - chrono::Duration::seconds(1);
    let rotate = desktop.run_muster(&data, &["key", "init", "--as", "ben-sample", "--rotate"]);
    let said = success(&rotate, "key init --rotate");
    let rotated = snapshot(&data, "ben-sample");
    assert_eq!(rotated.0, first.0 + 1, "one revision");
    assert_eq!(rotated.2, first.2, "the same profile");
    let new_public = rotated.1.public_key.clone().unwrap_or_default();
    assert_ne!(new_public, old_public);
    assert_eq!(rotated.1.retired_keys.len(), 1);
    let retired = &rotated.1.retired_keys[0];
    assert_eq!(retired.key, old_public);
    assert!(
        retired.retired_from >= started && retired.retired_from <= chrono::Utc::now(),
        "retired from {}",
        retired.retired_from
    );
    let old_fingerprint = ssh_keygen_fingerprint(desktop.root.path(), &old_public);
    let new_fingerprint = ssh_keygen_fingerprint(desktop.root.path(), &new_public);
    assert!(
        said.starts_with(&format!(
            "Signing key for Ben Sample: {new_fingerprint}\nThe old key {old_fingerprint} is retired from "
        )),
        "{said}"
    );
    let new_pem = secret_of(&desktop, &data);
    assert_ne!(new_pem, old_pem);

    // Another contact cannot take this profile's key over by rotating.
    let other = desktop.run_muster(&data, &["key", "init", "--as", "ada-example", "--rotate"]);
    let why = refusal(&other, "rotating as someone else");
    assert!(
        why.contains("this profile signs as `ben-sample`, not `ada-example`"),
        "{why}"
    );
    assert_eq!(snapshot(&data, "ben-sample"), rotated);
    assert_eq!(member(&data, "ada-example").public_key, None);
}

#[test]
fn a_locked_keychain_is_refused_with_guidance_and_nothing_changes() {
    let desktop = Desktop::start(false);
    let data = desktop.root.path().join("data");
    let fresh = desktop.root.path().join("fresh");
    success(
        &desktop.run_muster(&data, &["key", "init", "--as", "ada-example"]),
        "key init",
    );
    let shown = success(&desktop.run_muster(&data, &["key", "show"]), "key show");
    let before = snapshot(&data, "ada-example");
    let fresh_before = snapshot(&fresh, "ben-sample");

    lock(&desktop);
    let locked_message = "muster: the keychain is locked (";
    let guidance = "): unlock it and try again\n";
    for (folder, args) in [
        (&data, &["key", "show"][..]),
        (&data, &["key", "init", "--as", "ada-example"][..]),
        (
            &data,
            &["key", "init", "--as", "ada-example", "--rotate"][..],
        ),
        (&fresh, &["key", "init", "--as", "ben-sample"][..]),
    ] {
        let started = Instant::now();
        let out = desktop.run_muster(folder, args);
        let why = refusal(&out, &args.join(" "));
        assert!(
            why.starts_with(locked_message) && why.ends_with(guidance),
            "{args:?}: {why}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{args:?} waited"
        );
    }
    assert_eq!(snapshot(&data, "ada-example"), before, "nothing changed");
    assert_eq!(
        snapshot(&fresh, "ben-sample"),
        fresh_before,
        "nothing changed"
    );

    // Unlocked again, the same key is there.
    let _daemon = unlock(&desktop);
    let again = success(&desktop.run_muster(&data, &["key", "show"]), "key show");
    assert_eq!(again, shown);
}

#[test]
fn without_a_keychain_key_commands_refuse_with_guidance_and_change_nothing() {
    let desktop = Desktop::start(false);
    let data = desktop.root.path().join("data");
    let nowhere = format!("unix:path={}", desktop.root.path().join("no-bus").display());
    let before = snapshot(&data, "ada-example");
    for args in [
        &["key", "init", "--as", "ada-example"][..],
        &["key", "show"][..],
    ] {
        let mut command = desktop.muster(&data, args);
        command.env("DBUS_SESSION_BUS_ADDRESS", &nowhere);
        let out = finish(command);
        let why = refusal(&out, &args.join(" "));
        assert!(
            why.starts_with("muster: no keychain is available (")
                && why.contains("no-bus")
                && why.ends_with(
                    "): start your desktop's keyring (gnome-keyring or KWallet) and try again\n"
                ),
            "{args:?}: {why}"
        );
    }
    assert_eq!(snapshot(&data, "ada-example"), before, "nothing changed");
}
