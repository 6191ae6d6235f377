//! Bad input: each kind of mistake in a hand-edited folder gives a located,
//! clear message, and reading goes on to find the others.

use std::fs;
use std::path::Path;

use super::*;

/// The starter plan's folder after `change`.
fn folder(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = temp();
    export_to(&starter::plan(day()), dir.path());
    change(dir.path());
    dir
}

/// The starter plan with a signing key for each core member (as shipped it
/// has none, which its check says), written as a folder.
fn keyed_folder(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let mut plan = starter::plan(day());
    for (i, m) in plan.core_team.iter_mut().enumerate() {
        m.public_key = Some(crate::plan::keys::tests::key_line(i as u8 + 1, ""));
    }
    let dir = temp();
    export_to(&plan, dir.path());
    change(dir.path());
    dir
}

/// Replaces the one occurrence of `from` in `file` with `to`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(
        text.matches(from).count(),
        1,
        "{file} must hold {from:?} once"
    );
    fs::write(&path, text.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{file}: {e}"));
}

/// What reading the changed starter folder reports, line by line.
fn read_errors(change: impl FnOnce(&Path)) -> Vec<String> {
    let dir = folder(change);
    match read(dir.path()) {
        Ok(_) => Vec::new(),
        Err(ReadError::Invalid(d)) => d.iter().map(ToString::to_string).collect(),
        Err(e) => vec![e.to_string()],
    }
}

/// What checking the changed starter folder reports, line by line.
fn check_output(change: impl FnOnce(&Path)) -> Vec<String> {
    let dir = keyed_folder(change);
    match check(dir.path(), now()) {
        Ok(d) => d.iter().map(ToString::to_string).collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn expect(got: Vec<String>, expected: &[&str]) {
    if got != expected {
        panic!("got:\n{}\n", got.join("\n"));
    }
}

fn insert_byte(dir: &Path, file: &str, after: &str, byte: u8) {
    let path = dir.join(file);
    let mut bytes = fs::read(&path).unwrap_or_default();
    let at = bytes
        .windows(after.len())
        .position(|w| w == after.as_bytes())
        .unwrap_or_else(|| panic!("{file} has no {after:?}"));
    bytes.insert(at + after.len(), byte);
    fs::write(&path, bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    expect(
        read_errors(|d| insert_byte(d, "issues.toml", "title = \"Protocol ", 0xFF)),
        &["issues.toml:6:19: the file is not valid UTF-8 (byte 0xFF here): save it as UTF-8"],
    );
}

#[test]
fn a_toml_syntax_error_is_located_and_stops_only_that_file() {
    expect(
        read_errors(|d| {
            edit(d, "escalation.toml", "category = \"network-problem\"", "category = \"network-problem");
            edit(d, "categories.toml", "name = \"Network problem\"", "name = \"Network problem\"\ncolour = \"red\"");
        }),
        &[
            "categories.toml:12:1: unknown field `colour`, expected one of `id`, `name`, `description`",
            "escalation.toml:11:28: invalid TOML: invalid basic string, expected `\"`",
        ],
    );
}

#[test]
fn unknown_and_missing_fields_are_located_and_each_element_is_read_on_its_own() {
    expect(
        read_errors(|d| {
            edit(d, "issues.toml", "title = \"Gas price spike\"\n", "");
            edit(d, "issues.toml", "id = \"dns-hijack\"\n", "id = \"dns-hijack\"\ntitel = \"DNS hijack\"\n");
            edit(d, "procedures/fail-over-rpc.toml", "id = \"switch-back\"\n", "id = \"switch-back\"\nowner = \"ben-sample\"\n");
        }),
        &[
            "issues.toml:43:1: missing field `title`",
            "issues.toml:129:1: unknown field `titel`, expected one of `id`, `title`, `category`, `severity`, `description`, `signal`, `monitoring`, `source`, `alert`",
            "procedures/fail-over-rpc.toml:51:1: unknown field `owner`, expected one of `id`, `action`, `how`, `tools`, `test`, `expected-minutes`, `decision`, `command`, `automatable`",
        ],
    );
}

#[test]
fn bad_values_say_what_is_allowed() {
    expect(
        read_errors(|d| {
            edit(d, "issues.toml", "severity = \"S3\"", "severity = \"S5\"");
            edit(d, "issues.toml", "monitoring = \"manual\"\nsource = \"security@", "monitoring = \"by hand\"\nsource = \"security@");
            edit(d, "communications.toml", "{ after-resolution-days = 2 }", "{ every-days = 2 }");
            edit(d, "communications.toml", "{ every-hours = 4 }", "\"hourly\"");
            edit(d, "core-team.toml", "last-verified = 2026-01-15\n\n[[member]]\nid = \"ben-sample\"", "last-verified = \"yesterday\"\n\n[[member]]\nid = \"ben-sample\"");
            edit(d, "on-call.toml", "handover-day = \"monday\"\nhandover-time = \"09:00\"\ntime-zone = \"Europe/London\"\nstarts-on = 2026-01-01\n\n[[rotation]]\ncategory = \"network-problem\"", "handover-day = \"monday\"\nhandover-time = \"9 o'clock\"\ntime-zone = \"Europe/London\"\nstarts-on = 2026-01-01\n\n[[rotation]]\ncategory = \"network-problem\"");
            edit(d, "decisions.toml", "additional-needed = 2", "additional-needed = -1");
        }),
        &[
            "issues.toml:47:12: unknown severity `S5`: use `S1`, `S2`, `S3` or `S4`",
            "issues.toml:89:14: unknown monitoring `by hand`: use `manual` or `automated`",
            "core-team.toml:12:17: `yesterday` is not a date like 2026-01-15",
            "on-call.toml:8:17: `9 o'clock` is not a time of day like \"09:00\"",
            "communications.toml:23:10: unknown timing `hourly`: use \"until-completion\", { every-hours = N }, { every-minutes = N } or { after-resolution-days = N }",
            "communications.toml:40:10: unknown timing `every-days`: use \"until-completion\", { every-hours = N }, { every-minutes = N } or { after-resolution-days = N }",
            "decisions.toml:17:21: invalid value: integer `-1`, expected u32",
        ],
    );
}

#[test]
fn duplicate_ids_point_at_the_second_one() {
    let append = |d: &Path, file: &str, text: &str| {
        let path = d.join(file);
        let old = fs::read_to_string(&path).unwrap_or_default();
        fs::write(&path, old + text).unwrap_or_default();
    };
    expect(
        read_errors(|d| {
            append(d, "issues.toml", "\n[[issue]]\nid = \"dns-hijack\"\ntitle = \"DNS hijack, again\"\ncategory = \"operational-problem\"\nseverity = \"S1\"\nmonitoring = \"manual\"\n");
            append(d, "procedures/fail-over-rpc.toml", "\n[[step]]\nid = \"confirm-fault\"\naction = \"Confirm it again\"\n");
            append(d, "extended-team.toml", "\n[[contact]]\nid = \"ben-sample\"\nname = \"Ben's namesake\"\nemail = \"ben@example.org\"\n");
        }),
        &[
            "issues.toml:152:6: Issue “DNS hijack” (dns-hijack), id: `dns-hijack` is used twice",
            "procedures/fail-over-rpc.toml:58:6: Step “Confirm where the fault is” (fail-over-rpc/confirm-fault), id: step id `confirm-fault` is used twice in this procedure",
            "extended-team.toml:48:6: Extended contact “Ben's namesake” (ben-sample), id: `ben-sample` is used twice",
        ],
    );
}

#[test]
fn dangling_references_point_at_the_item_that_dangles() {
    expect(
        read_errors(|d| {
            edit(d, "issues.toml", "category = \"protocol-problem\"\nseverity = \"S1\"", "category = \"orcale-problem\"\nseverity = \"S1\"");
            edit(d, "procedures/contain-exploit.toml", "decision = \"pause-contract\"", "decision = \"pause-contracts\"");
            edit(d, "decisions.toml", "additional = [\"chloe-demo\", \"dara-mock\"]", "additional = [\"chloe-demo\", \"dara-mok\"]");
            edit(d, "core-team.toml", "categories = [\"operational-problem\"]", "categories = [\"operational-problem\", \"operational-problem\"]");
        }),
        &[
            "issues.toml:95:12: Issue “Oracle failure” (oracle-failure), category: no category has the id `orcale-problem`",
            "procedures/contain-exploit.toml:24:12: Step “Pause the lending pool” (contain-exploit/pause-pool), decision: no decision policy has the id `pause-contracts`",
            "core-team.toml:28:38: Core member “Chloe Demo” (chloe-demo), categories: `operational-problem` is listed twice",
            "decisions.toml:9:29: Decision policy “Pause contract” (pause-contract), additional: no contact has the id `dara-mok`",
        ],
    );
}

#[test]
fn signing_keys_must_be_ed25519_lines_each_of_one_person() {
    use crate::plan::keys::tests::key_line;
    let ada = key_line(1, "ada@example");
    let print = crate::plan::keys::fingerprint(&ada).unwrap_or_default();
    expect(
        read_errors(|d| {
            edit(d, "core-team.toml", "id = \"ada-example\"\n", &format!("id = \"ada-example\"\npublic-key = \"{ada}\"\n"));
            edit(d, "core-team.toml", "id = \"ben-sample\"\n", "id = \"ben-sample\"\npublic-key = \"ssh-rsa AAAA ben\"\n");
            edit(d, "core-team.toml", "id = \"chloe-demo\"\n", &format!("id = \"chloe-demo\"\nretired-keys = [\n  {{ key = \"{ada}\", retired-from = 2026-01-01T00:00:00Z }},\n]\n"));
            edit(d, "core-team.toml", "id = \"dara-mock\"\n", "id = \"dara-mock\"\nretired-keys = [{ key = \"dara's old key\", retired-from = 2026-01-01T00:00:00Z }]\n");
        }),
        &[
            "core-team.toml:17:14: Core member “Ben Sample” (ben-sample), public-key: is not an OpenSSH ed25519 public key line, `ssh-ed25519 AAAA… [comment]` (it does not parse)",
            &format!("core-team.toml:28:16: Core member “Chloe Demo” (chloe-demo), retired-keys: the key {print} is also `ada-example`'s: a key belongs to one person"),
            "core-team.toml:41:16: Core member “Dara Mock” (dara-mock), retired-keys: is not an OpenSSH ed25519 public key line, `ssh-ed25519 AAAA… [comment]` (it does not parse)",
        ],
    );
    expect(
        read_errors(|d| {
            edit(d, "core-team.toml", "id = \"dara-mock\"\n", "id = \"dara-mock\"\nretired-keys = [{ key = \"x\", retired-from = \"last week\" }]\n");
            edit(d, "decisions.toml", "attested-allowed = true", "attested-allowed = \"yes\"");
        }),
        &[
            "core-team.toml:36:45: `last week` is not a date and time with an offset, like 2026-01-20T09:00:00Z",
            "decisions.toml:30:20: invalid type: string \"yes\", expected a boolean",
        ],
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    expect(
        read_errors(|d| {
            let big = "#".repeat(MAX_FILE_BYTES as usize + 1);
            fs::write(d.join("on-call.toml"), big).unwrap_or_default();
        }),
        &[
            "on-call.toml:1:1: the file is 134217729 bytes, more than the 128 MiB a plan file may have: check that it is the right file",
        ],
    );
}

#[test]
fn missing_section_files_are_named_and_what_follows_from_them_is_not_reported() {
    expect(
        read_errors(|d| {
            fs::remove_file(d.join("decisions.toml")).unwrap_or_default();
            fs::remove_file(d.join("categories.toml")).unwrap_or_default();
            fs::remove_file(d.join("on-call.toml")).unwrap_or_default();
        }),
        &[
            "categories.toml:1:1: missing file: a plan folder needs categories.toml (the categories); create it, with no tables if the section is empty",
            "decisions.toml:1:1: missing file: a plan folder needs decisions.toml (section 7, decisions); create it, with no tables if the section is empty",
        ],
    );
    expect(
        read_errors(|d| fs::remove_file(d.join("plan.toml")).unwrap_or_default()),
        &["plan.toml:1:1: missing file: a plan folder needs plan.toml, with the plan's name, the order of its procedures and its exercise policy; `muster plan export` writes one"],
    );
}

#[test]
fn stray_files_and_unexpected_tables_are_reported() {
    expect(
        read_errors(|d| {
            fs::write(d.join("isues.toml"), "").unwrap_or_default();
            fs::write(d.join("README.md"), "Not a plan file, and that is fine").unwrap_or_default();
            edit(d, "escalation.toml", "[[rule]]\ncategory = \"network-problem\"", "[[rules]]\ncategory = \"network-problem\"");
            edit(d, "plan.toml", "session-hours = 2", "session-hours = 2\n\n[extras]\nx = 1");
        }),
        &[
            "plan.toml:28:2: unknown field `extras`, expected one of `format`, `name`, `organisation`, `summary`, `example`, `procedures`, `exercise-policy`",
            "escalation.toml:10:3: unexpected `rules`: escalation.toml holds only [[rule]] tables",
            "isues.toml:1:1: `isues.toml` is not a plan file: rename it to plan.toml, categories.toml, issues.toml, escalation.toml, core-team.toml, extended-team.toml, on-call.toml, communications.toml, decisions.toml, or move it out of the folder",
        ],
    );
}

#[test]
fn procedure_files_must_match_their_ids_and_the_plan_s_list() {
    expect(
        read_errors(|d| {
            edit(d, "procedures/patch-and-upgrade.toml", "id = \"patch-and-upgrade\"", "id = \"patch-upgrade\"");
            fs::rename(d.join("procedures/restore-front-end.toml"), d.join("procedures/restore-frontend.toml")).unwrap_or_default();
            fs::write(d.join("procedures/Notes.toml"), "").unwrap_or_default();
            edit(d, "plan.toml", "  \"fail-over-rpc\",\n", "  \"fail-over-rpc\",\n  \"contain-exploit\",\n");
        }),
        &[
            "plan.toml:17:3: procedure `contain-exploit` is listed twice: remove one",
            "plan.toml:20:3: procedure `restore-front-end` is listed, but there is no procedures/restore-front-end.toml: add the file or take `restore-front-end` off the list",
            "procedures/Notes.toml:1:1: the file name must be the procedure's id, but id `Notes` has `N`; use lowercase letters, digits and hyphens: rename the file",
            "procedures/patch-and-upgrade.toml:4:6: id `patch-upgrade` does not match the file name procedures/patch-and-upgrade.toml: rename the file to procedures/patch-upgrade.toml or set id = \"patch-and-upgrade\"",
            "procedures/restore-frontend.toml:1:1: procedure `restore-frontend` is not listed in plan.toml's `procedures`: add it to the list where it belongs, or delete this file",
            "procedures/restore-frontend.toml:4:6: id `restore-front-end` does not match the file name procedures/restore-frontend.toml: rename the file to procedures/restore-front-end.toml or set id = \"restore-frontend\"",
        ],
    );
}

#[test]
fn a_newer_format_is_refused() {
    expect(
        read_errors(|d| edit(d, "plan.toml", "format = 1", "format = 2")),
        &[
            "plan.toml:4:10: this folder is in plan format 2, newer than this Muster reads (1): update Muster",
        ],
    );
}

#[test]
fn a_missing_or_non_folder_is_unreadable() {
    let dir = temp();
    let missing = dir.path().join("nope");
    let err = check(&missing, now())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err(format!(
            "cannot read the plan folder {}: it does not exist",
            missing.display()
        ))
    );
    let file = dir.path().join("file");
    fs::write(&file, "").unwrap_or_default();
    let err = read(&file).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err(format!(
            "cannot read the plan folder {}: it is not a folder",
            file.display()
        ))
    );
}

#[test]
fn check_reports_gaps_at_their_elements_and_warnings_as_such() {
    expect(check_output(|_| {}), &[]);
    expect(
        check_output(|d| {
            edit(d, "procedures/keep-transactions-flowing.toml", "issues = [\"gas-price-spike\", ", "issues = [");
            edit(d, "extended-team.toml", "last-verified = 2026-01-15\n\n[[contact]]\nid = \"eli-forum\"", "last-verified = 2025-01-15\n\n[[contact]]\nid = \"eli-forum\"");
            edit(d, "decisions.toml", "required = [\"dara-mock\"]", "required = [\"dara-mok\"]");
            edit(d, "communications.toml", "responsible = \"eli-forum\"\n", "");
            edit(d, "on-call.toml", "time-zone = \"Europe/London\"\nstarts-on = 2026-01-01\n\n[[rotation]]", "time-zone = \"Europe/Londres\"\nstarts-on = 2026-01-01\n\n[[rotation]]");
            edit(d, "plan.toml", "session-hours = 2", "session-hours = 0");
            edit(
                d,
                "escalation.toml",
                "[[rule]]\ncategory = \"network-problem\"\ncore = \"detection\"\nextended = \"resolution\"\n\n",
                "",
            );
        }),
        &[
            "plan.toml:26:17: Exercise policy, session-hours: 0 is out of range 1 to 24",
            "issues.toml:43:1: Issue “Gas price spike” (gas-price-spike) has no response procedure: add one or map an existing procedure to it",
            "escalation.toml:1:1: Category “Network problem” (network-problem) has no escalation rule: say when the core and extended teams are notified",
            "extended-team.toml:11:17: warning: Extended contact “Brightline Security (example)” (brightline-security) was last verified on 2025-01-15, 365 days ago: confirm their details with them, then choose Mark verified",
            "on-call.toml:9:13: On-call rotation for “Hacker attack” (hacker-attack) uses `Europe/Londres`, which is not a known time zone, so nobody is on call: use an IANA name such as Europe/Berlin",
            "communications.toml:20:1: Communication rule “Users, every 4 hours” (user-updates) has nobody responsible: name the contact who sends it",
            "decisions.toml:15:13: Decision policy “Upgrade contract” (upgrade-contract) names `dara-mok` as required approver, but nobody on the core or extended team has that id: add them to a team or choose another approver",
        ],
    );
}

/// Mangles the files of a folder at random (seeded): flipped bytes, cuts,
/// copies, stray TOML punctuation, deleted files. Reading and checking must
/// report, never panic.
#[test]
fn mangled_folders_never_panic() {
    let base = temp();
    export_to(&super::awkward_plan(), base.path());
    let originals = files(base.path());
    let names: Vec<&String> = originals.keys().collect();
    let mut state = 12_345_u64;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n.max(1)
    };
    const NOISE: [&[u8]; 12] = [
        b"\"",
        b"[[",
        b"]",
        b"=",
        b"\n",
        b"{",
        b"'''",
        b"\"\"\"",
        b"\\",
        b"-1",
        b"2026-13-40",
        b"99999999999999999999",
    ];
    for _ in 0..150 {
        let dir = temp();
        for (name, bytes) in &originals {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap_or(dir.path())).unwrap_or_default();
            fs::write(path, bytes).unwrap_or_default();
        }
        for _ in 0..=next(4) {
            let path = dir.path().join(names[next(names.len())]);
            let mut b = fs::read(&path).unwrap_or_default();
            let at = next(b.len());
            match next(7) {
                0 => b.insert(at, next(256) as u8),
                1 => b.truncate(at),
                2 => drop(b.drain(at..(at + next(200)).min(b.len()))),
                3 => {
                    let copy = b[at..(at + next(300)).min(b.len())].to_vec();
                    let to = next(b.len());
                    b.splice(to..to, copy);
                }
                4 => drop(b.splice(at..at, NOISE[next(NOISE.len())].iter().copied())),
                5 => b.insert(at, b'\n'),
                _ => {
                    fs::remove_file(&path).unwrap_or_default();
                    continue;
                }
            }
            fs::write(&path, b).unwrap_or_default();
        }
        let checked = check(dir.path(), now());
        assert!(checked.is_ok());
        let _ = read(dir.path());
    }
}
