//! Signed decisions on a private desktop with a real Secret Service: two
//! profiles (two data folders, one plan) complete a 2-of-2 approval by
//! files, checked by `muster decision verify` and by the real `ssh-keygen -Y
//! verify`, with the private keys found nowhere outside the keychain;
//! attested (unsigned) approvals count only where the policy allows them; a
//! required approver's rejection blocks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use muster_core::decision::PrivateKey;

use super::desktop::Desktop;
use super::keychain::{member, refusal, secret_of, success};
use crate::text;

/// Every file under `dir` (recursively), except those under `skip`.
pub(super) fn files(dir: &Path, skip: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.starts_with(skip) {
            continue;
        }
        if path.is_dir() {
            files(&path, skip, found);
        } else if path.is_file() {
            found.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The forms a leaked private key could take: the PEM, each line of its
/// base64 body, and the 32-byte Ed25519 seed raw, in hex and in base64.
fn leak_patterns(pem: &str) -> Vec<(String, Vec<u8>)> {
    let key = PrivateKey::from_openssh(pem).unwrap();
    let seed = key
        .key_data()
        .ed25519()
        .unwrap_or_else(|| panic!("not an Ed25519 key"))
        .private
        .to_bytes();
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let mut patterns = vec![
        ("the PEM".to_owned(), pem.as_bytes().to_vec()),
        ("the seed".to_owned(), seed.to_vec()),
        ("the seed in hex".to_owned(), hex.into_bytes()),
        ("the seed in base64".to_owned(), base64(&seed).into_bytes()),
    ];
    for (n, line) in pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .enumerate()
    {
        patterns.push((format!("PEM line {}", n + 1), line.as_bytes().to_vec()));
    }
    patterns
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Runs muster and keeps everything it printed, to search for key material.
struct Session<'a> {
    desktop: &'a Desktop,
    printed: Vec<u8>,
}

impl Session<'_> {
    fn run(&mut self, data: &Path, args: &[&str]) -> Output {
        let out = self.desktop.run_muster(data, args);
        self.printed.extend_from_slice(&out.stdout);
        self.printed.extend_from_slice(&out.stderr);
        out
    }

    fn ok(&mut self, data: &Path, args: &[&str]) -> String {
        let out = self.run(data, args);
        success(&out, &args.join(" "))
    }
}

#[test]
fn two_profiles_complete_a_two_of_two_approval_by_files_that_ssh_keygen_verifies() {
    let desktop = Desktop::start(false);
    let root = desktop.root.path();
    let (a, b) = (root.join("ada"), root.join("ben"));
    let exchanged = root.join("exchanged");
    std::fs::create_dir_all(&exchanged).unwrap();
    let at = |name: &str| exchanged.join(name).display().to_string();
    let mut s = Session {
        desktop: &desktop,
        printed: Vec::new(),
    };

    // One plan in both folders, with "pause contract" needing exactly Ada and Ben.
    s.ok(&a, &["plan", "export", &at("plan-a")]);
    let decisions = exchanged.join("plan-a/decisions.toml");
    let toml = std::fs::read_to_string(&decisions).unwrap();
    let pool = "required = [\"ada-example\", \"ben-sample\"]\nadditional = [\"chloe-demo\", \"dara-mock\"]\n";
    assert!(toml.contains(pool), "{toml}");
    let two_of_two = toml.replacen(pool, "required = [\"ada-example\", \"ben-sample\"]\n", 1);
    std::fs::write(&decisions, two_of_two).unwrap();
    s.ok(&a, &["plan", "import", &at("plan-a")]);
    s.ok(&b, &["plan", "import", &at("plan-a")]);

    // Each profile sets up its own key; the plans are shared again so that
    // both hold both public keys.
    s.ok(&a, &["key", "init", "--as", "ada-example"]);
    s.ok(&a, &["plan", "export", &at("plan-a")]);
    s.ok(&b, &["plan", "import", &at("plan-a")]);
    s.ok(&b, &["key", "init", "--as", "ben-sample"]);
    s.ok(&b, &["plan", "export", &at("plan-b")]);
    s.ok(&a, &["plan", "import", &at("plan-b")]);
    for data in [&a, &b] {
        for who in ["ada-example", "ben-sample"] {
            assert!(member(data, who).public_key.is_some(), "{who} in {data:?}");
        }
    }

    // Ada declares an incident and requests the pause.
    let declared = s.ok(
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
    let incident = declared.lines().next().unwrap_or_default().to_owned();
    let request = at("request.txt");
    let requested = s.ok(
        &a,
        &[
            "decision",
            "request",
            "--policy",
            "pause-contract",
            "--incident",
            &incident,
            "--statement",
            "Pause the Vault contract on mainnet",
            "--out",
            &request,
        ],
    );
    let id = requested.trim().to_owned();
    assert!(id.starts_with("DEC-") && id.len() == 20, "{requested}");
    let record = std::fs::read_to_string(&request).unwrap();
    assert!(record.starts_with("Muster decision request v1\nnamespace: muster-decision-v1\n"));
    assert!(record.contains(&format!(
        "decision: {id}\nincident: {incident}\npolicy: pause-contract\n"
    )));

    // Ben, on his laptop, approves from the file; Ada approves on hers.
    let started = Instant::now();
    s.ok(
        &b,
        &[
            "decision",
            "sign",
            &request,
            "--approve",
            "--out",
            &at("ben.sig"),
        ],
    );
    let sign_time = started.elapsed();
    let status = s.ok(&a, &["decision", "status", &id]);
    assert!(status.contains("\nPending: waiting for "), "{status}");
    s.ok(
        &a,
        &[
            "decision",
            "sign",
            &request,
            "--approve",
            "--out",
            &at("ada.sig"),
        ],
    );
    let status = s.ok(&a, &["decision", "status", &id]);
    assert!(
        status.contains("Ben Sample (ben-sample), required: waiting"),
        "{status}"
    );
    let imported = s.ok(&a, &["decision", "import", &at("ben.sig")]);
    assert!(imported.contains("\nApproved: "), "{imported}");

    let status = s.ok(&a, &["decision", "status", &id]);
    for line in [
        "Approved: ",
        "Ada Example (ada-example), required: approved (signed)",
        "Ben Sample (ben-sample), required: approved (signed)",
    ] {
        assert!(status.contains(line), "{line:?} in:\n{status}");
    }
    assert!(!status.contains("Chloe Demo"), "a 2-of-2 policy: {status}");

    // The bundle proves it, to Muster and to ssh-keygen.
    let bundle = exchanged.join("bundle");
    let bundle_arg = bundle.display().to_string();
    s.ok(&a, &["decision", "bundle", &id, "--out", &bundle_arg]);
    let started = Instant::now();
    let verified = s.run(&a, &["decision", "verify", &bundle_arg]);
    let verify_time = started.elapsed();
    let said = success(&verified, "decision verify");
    assert!(
        said.contains("verified 01-ada-example.sig") && said.contains("verified 02-ben-sample.sig"),
        "{said}"
    );
    eprintln!(
        "decision sign took {sign_time:?}, decision verify {verify_time:?} (whole command runs)"
    );

    let record_file = bundle.join("record.txt");
    assert_eq!(
        std::fs::read_to_string(&record_file).unwrap_or_default(),
        record,
        "the bundle holds the exact request bytes"
    );
    let ssh_verify = |record: &Path, principal: &str, sig: &str| {
        Command::new("ssh-keygen")
            .current_dir(&bundle)
            .args(["-Y", "verify", "-f", "allowed_signers", "-I", principal])
            .args(["-n", "muster-decision-v1", "-s", sig])
            .stdin(std::fs::File::open(record).unwrap())
            .output()
            .unwrap_or_else(|e| panic!("cannot run ssh-keygen: {e}"))
    };
    let tampered = exchanged.join("record-tampered.txt");
    std::fs::write(
        &tampered,
        record.replacen("Pause the Vault", "Drain the Vault", 1),
    )
    .unwrap();
    for (principal, sig) in [
        ("ada-example", "01-ada-example.sig"),
        ("ben-sample", "02-ben-sample.sig"),
    ] {
        let good = ssh_verify(&record_file, principal, sig);
        let said = success(&good, "ssh-keygen -Y verify");
        assert!(
            said.starts_with(&format!(
                "Good \"muster-decision-v1\" signature for {principal} with ED25519 key SHA256:"
            )),
            "{said}"
        );
        let bad = ssh_verify(&tampered, principal, sig);
        assert!(
            !bad.status.success(),
            "ssh-keygen accepted a tampered record for {principal}"
        );
    }
    let readme = std::fs::read_to_string(bundle.join("README.md")).unwrap_or_default();
    assert!(readme.contains("ssh-keygen -Y verify -f allowed_signers -I ada-example -n muster-decision-v1 -s 01-ada-example.sig < record.txt"), "{readme}");

    // Muster refuses a tampered copy of the bundle too.
    let copy = exchanged.join("bundle-tampered");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&bundle).unwrap().flatten() {
        std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
    }
    std::fs::copy(&tampered, copy.join("record.txt")).unwrap();
    let refused = s.run(&a, &["decision", "verify", &copy.display().to_string()]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stdout));

    // The private keys are in the keychain and nowhere else: not in either
    // data folder, the exchanged files, or anything Muster printed.
    let keyrings = desktop.root.path().join("home/.local/share/keyrings");
    let mut everything = Vec::new();
    files(root, &keyrings, &mut everything);
    assert!(
        everything.iter().any(|f| f.starts_with(&a))
            && everything.iter().any(|f| f.starts_with(&b))
    );
    for (data, who) in [(&a, "Ada"), (&b, "Ben")] {
        let pem = secret_of(&desktop, data);
        for (what, pattern) in leak_patterns(&pem) {
            assert!(
                !contains(&s.printed, &pattern),
                "{what} of {who}'s key was printed"
            );
            for file in &everything {
                let bytes = std::fs::read(file).unwrap_or_default();
                assert!(
                    !contains(&bytes, &pattern),
                    "{what} of {who}'s key is in {}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_leak_patterns_find_a_key_wherever_it_is_written() {
    // A check of the check: a key written in any of its forms is found.
    let key = muster_core::decision::sshsig::generate([7u8; 32]);
    let pem = key.to_openssh(Default::default()).unwrap().to_string();
    let patterns = leak_patterns(&pem);
    let mut seeded = b"prefix".to_vec();
    seeded.extend_from_slice(&[7u8; 32]);
    assert!(patterns.iter().any(|(_, p)| contains(&seeded, p)));
    assert!(patterns.iter().any(|(_, p)| contains(
        b"0707070707070707070707070707070707070707070707070707070707070707",
        p
    )));
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE");
}

#[test]
fn attested_approvals_count_only_where_the_policy_allows_and_a_rejection_blocks() {
    let desktop = Desktop::start(false);
    let root = desktop.root.path();
    let data = root.join("data");
    let file = |name: &str| root.join(name).display().to_string();
    let mut s = Session {
        desktop: &desktop,
        printed: Vec::new(),
    };
    s.ok(&data, &["key", "init", "--as", "ada-example"]);
    let declared = s.ok(
        &data,
        &[
            "incident",
            "declare",
            "--issue",
            "stolen-user-funds",
            "--severity",
            "S1",
        ],
    );
    let incident = declared.lines().next().unwrap_or_default().to_owned();
    let mut request = |policy: &str, statement: &str| {
        let out = file(&format!("{policy}.txt"));
        let id = s.ok(
            &data,
            &[
                "decision",
                "request",
                "--policy",
                policy,
                "--incident",
                &incident,
                "--statement",
                statement,
                "--out",
                &out,
            ],
        );
        (id.trim().to_owned(), out)
    };
    let (law, law_file) = request("notify-law-enforcement", "Report the theft to the police");
    let (pause, pause_file) = request("pause-contract", "Pause the Vault contract on mainnet");
    let (fund, fund_file) = request("access-emergency-fund", "Refund the drained users");
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let attest = |id: &str| {
        [
            "decision",
            "attest",
            id,
            "--approver",
            "ben-sample",
            "--channel",
            "phone",
            "--at",
            &now,
            "--witness",
            "chloe-demo",
        ]
        .map(str::to_owned)
    };

    // Notify law enforcement allows an approval given by phone.
    s.ok(
        &data,
        &[
            "decision",
            "sign",
            &law_file,
            "--approve",
            "--out",
            &file("law.sig"),
        ],
    );
    let args = attest(&law);
    let said = s.ok(&data, &args.each_ref().map(String::as_str));
    assert!(
        said.starts_with(&format!(
            "Recorded an UNSIGNED approval of {law} by `ben-sample` (phone, "
        )) && said.contains("it counts toward the quorum under this policy\nApproved: "),
        "{said}"
    );
    let status = s.ok(&data, &["decision", "status", &law]);
    assert!(
        status.contains("Ben Sample (ben-sample), required: approved (attested, UNSIGNED)"),
        "{status}"
    );
    assert!(
        status
            .contains("Attested approvals (UNSIGNED):\n  01 Ben Sample (ben-sample) by phone at "),
        "{status}"
    );
    let bundle = file("law-bundle");
    s.ok(&data, &["decision", "bundle", &law, "--out", &bundle]);
    let attested =
        std::fs::read_to_string(root.join("law-bundle/attested.txt")).unwrap_or_default();
    assert!(attested.contains("UNSIGNED"), "{attested}");
    let verified = s.ok(&data, &["decision", "verify", &bundle]);
    assert!(
        verified.contains("counted an UNSIGNED attested approval by `ben-sample`"),
        "{verified}"
    );

    // Pausing the contract does not count it: still pending, and its bundle proves nothing.
    s.ok(
        &data,
        &[
            "decision",
            "sign",
            &pause_file,
            "--approve",
            "--out",
            &file("pause.sig"),
        ],
    );
    let args = attest(&pause);
    let said = s.ok(&data, &args.each_ref().map(String::as_str));
    assert!(
        said.contains("this policy does not count attested approvals toward its quorum\nPending: "),
        "{said}"
    );
    let status = s.ok(&data, &["decision", "status", &pause]);
    assert!(
        status.contains(
            "Ben Sample (ben-sample), required: attested (UNSIGNED), not counted under this policy"
        ),
        "{status}"
    );
    let bundle = file("pause-bundle");
    s.ok(&data, &["decision", "bundle", &pause, "--out", &bundle]);
    let out = s.run(&data, &["decision", "verify", &bundle]);
    let why = refusal(&out, "verifying a pending decision");
    assert!(
        why.starts_with("muster: the bundle does not prove an approved decision: "),
        "{why}"
    );

    // A required approver's rejection blocks.
    let signed = s.ok(
        &data,
        &[
            "decision",
            "sign",
            &fund_file,
            "--reject",
            "Amounts not confirmed",
            "--out",
            &file("fund.sig"),
        ],
    );
    assert_eq!(signed, "", "the signature file is named on standard error");
    let status = s.ok(&data, &["decision", "status", &fund]);
    assert!(status.contains("\nRejected: "), "{status}");
    assert!(
        status.contains("Ada Example (ada-example), required: rejected"),
        "{status}"
    );
    let bundle = file("fund-bundle");
    s.ok(&data, &["decision", "bundle", &fund, "--out", &bundle]);
    let why = refusal(
        &s.run(&data, &["decision", "verify", &bundle]),
        "verifying a rejection",
    );
    assert!(why.contains("(rejected)"), "{why}");
}
