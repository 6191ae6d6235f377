//! The CLI on plan folders (plan as code): export, import, check and diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use muster_core::folder::MAX_FILE_BYTES;
use muster_core::plan::id;
use muster_core::starter;

use super::super::{muster, text, today};

/// A fresh data folder and the starter plan exported from it by the CLI.
fn exported() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let plan = root.path().join("plan");
    let out = muster(&data, &["plan", "export", &arg(&plan)]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    (root, data, plan)
}

#[test]
fn check_needs_no_data_folder_and_works_without_a_home() {
    let (_root, _data, plan) = exported();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(["plan", "check", &arg(&plan)])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    only_key_warnings(&text(&out.stdout));
}

/// The starter plan's people have no signing keys yet (each sets one up on
/// their own laptop): its check warns of that, and of nothing else.
fn only_key_warnings(stdout: &str) -> usize {
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(!lines.is_empty(), "the missing keys are said");
    for line in &lines {
        assert!(
            line.contains(": warning: Decision policy ")
                && (line.contains("who has no signing key")
                    || line.contains("a signing key (none for ")),
            "{stdout}"
        );
    }
    lines.len()
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Replaces the first `from` in `file` with `to`; the byte offset where `to` starts.
fn edit(dir: &Path, file: &str, from: &str, to: &str) -> usize {
    let path = dir.join(file);
    let old = read(&path);
    let at = old
        .find(from)
        .unwrap_or_else(|| panic!("{file} has no {from:?}"));
    fs::write(&path, old.replacen(from, to, 1)).unwrap();
    at
}

/// `DIR/file:line:column: message` for byte `offset` of the file as it is now.
fn located(dir: &Path, file: &str, offset: usize, message: &str) -> String {
    let bytes = fs::read(dir.join(file)).unwrap_or_default();
    let before = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]).into_owned();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{}:{line}:{column}: {message}", dir.join(file).display())
}

/// Every file in the data folder, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read(e.path()).unwrap_or_default())
        })
        .collect()
}

#[test]
fn plan_check_prints_ten_located_errors_for_ten_mistakes_and_exits_1() {
    let (_root, data, dir) = exported();
    let starter = starter::plan(today());
    let mut expected = Vec::new();

    // 1. A TOML syntax error: a string left open.
    let from = "time-zone = \"Europe/London\"";
    let at = edit(&dir, "on-call.toml", from, "time-zone = \"Europe/London");
    let syntax = (
        at + from.len() - 1,
        "invalid TOML: invalid basic string, expected `\"`",
    );
    // 2. An unknown field.
    let at = edit(
        &dir,
        "extended-team.toml",
        "id = \"eli-forum\"\n",
        "id = \"eli-forum\"\nfax = \"+1 555 0199\"\n",
    );
    let unknown = (
        at + "id = \"eli-forum\"\n".len(),
        "unknown field `fax`, expected one of `id`, `name`, `role`, `email`, `chat`, `phone`, `last-verified`",
    );
    // 3. A value that is not one of the allowed ones.
    let enum_at = edit(
        &dir,
        "issues.toml",
        "severity = \"S3\"",
        "severity = \"S5\"",
    ) + "severity = ".len();
    // 4. A duplicate id.
    let dup_at = edit(
        &dir,
        "communications.toml",
        "id = \"user-updates\"",
        "id = \"internal-hourly-update\"",
    ) + "id = ".len();
    // 5. A reference to a category that does not exist.
    let path = dir.join("issues.toml");
    let issues = read(&path);
    let oracle = issues.find("id = \"oracle-failure\"").unwrap_or_default();
    let cat_at =
        oracle + issues[oracle..].find("category = ").unwrap_or_default() + "category = ".len();
    let end = cat_at + issues[cat_at..].find('\n').unwrap_or_default();
    let changed = format!("{}\"orcale-problem\"{}", &issues[..cat_at], &issues[end..]);
    fs::write(&path, changed).unwrap();
    // 6. A step that needs a decision no policy defines.
    let step_at = edit(
        &dir,
        "procedures/contain-exploit.toml",
        "decision = \"pause-contract\"",
        "decision = \"pause-contracts\"",
    ) + "decision = ".len();
    // 7. A missing section file.
    fs::remove_file(dir.join("escalation.toml")).unwrap();
    // 8. A procedure file whose id is not its name.
    let id_at = edit(
        &dir,
        "procedures/patch-and-upgrade.toml",
        "id = \"patch-and-upgrade\"",
        "id = \"patch-upgrade\"",
    ) + "id = ".len();
    // 9. A byte that is not UTF-8.
    let core = dir.join("core-team.toml");
    let mut bytes = fs::read(&core).unwrap_or_default();
    let utf8_at = read(&core).find("name = \"").unwrap_or_default() + "name = \"".len();
    bytes.insert(utf8_at, 0xFF);
    fs::write(&core, bytes).unwrap();
    // 10. A file over the size limit.
    let big = dir.join("procedures/recover-and-reimburse.toml");
    let padded = read(&big) + &"# padding\n".repeat(MAX_FILE_BYTES as usize / 10 + 1);
    fs::write(&big, &padded).unwrap();

    let title = |n: &str| {
        starter
            .issue(&id(n))
            .map(|i| i.title.clone())
            .unwrap_or_default()
    };
    let channel = starter
        .communications
        .iter()
        .find(|r| r.id.as_str() == "internal-hourly-update")
        .map(|r| r.channel.clone())
        .unwrap_or_default();
    let step = starter.procedures[0]
        .steps
        .iter()
        .find(|s| {
            s.decision
                .as_ref()
                .is_some_and(|d| d.as_str() == "pause-contract")
        })
        .map(|s| (s.id.to_string(), s.action.clone()))
        .unwrap_or_default();
    expected.extend([
        located(&dir, "issues.toml", enum_at, "unknown severity `S5`: use `S1`, `S2`, `S3` or `S4`"),
        located(&dir, "issues.toml", cat_at, &format!(
            "Issue “{}” (oracle-failure), category: no category has the id `orcale-problem`",
            title("oracle-failure")
        )),
        located(&dir, "procedures/contain-exploit.toml", step_at, &format!(
            "Step “{}” (contain-exploit/{}) needs the decision `pause-contracts`, but no decision policy has that id: add the policy or choose an existing one",
            step.1, step.0
        )),
        located(&dir, "procedures/patch-and-upgrade.toml", id_at,
            "id `patch-upgrade` does not match the file name procedures/patch-and-upgrade.toml: rename the file to procedures/patch-upgrade.toml or set id = \"patch-and-upgrade\""),
        located(&dir, "procedures/recover-and-reimburse.toml", 0, &format!(
            "the file is {} bytes, more than the 128 MiB a plan file may have: check that it is the right file",
            padded.len()
        )),
        format!("{}:1:1: missing file: a plan folder needs escalation.toml (section 3, escalation); create it, with no tables if the section is empty",
            dir.join("escalation.toml").display()),
        located(&dir, "core-team.toml", utf8_at, "the file is not valid UTF-8 (byte 0xFF here): save it as UTF-8"),
        located(&dir, "extended-team.toml", unknown.0, unknown.1),
        located(&dir, "on-call.toml", syntax.0, syntax.1),
        located(&dir, "communications.toml", dup_at, &format!(
            "Communication rule “{channel}” (internal-hourly-update), id: `internal-hourly-update` is used twice"
        )),
    ]);

    let out = muster(&data, &["plan", "check", &arg(&dir)]);

    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected, "stdout:\n{stdout}");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("10 problems, 0 warnings"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn plan_check_exits_0_on_a_clean_folder_and_2_on_a_missing_one() {
    let (root, data, dir) = exported();
    let out = muster(&data, &["plan", "check", &arg(&dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let warnings = only_key_warnings(&text(&out.stdout));
    assert_eq!(
        text(&out.stderr).trim(),
        format!("{}: 0 problems, {warnings} warnings", dir.display())
    );

    let missing = root.path().join("nope");
    let out = muster(&data, &["plan", "check", &arg(&missing)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        format!(
            "muster: cannot read the plan folder {}: it does not exist",
            missing.display()
        )
    );
}

#[test]
fn export_then_import_on_a_fresh_data_folder_changes_nothing() {
    let (_root, data, dir) = exported();
    let before = snapshot(&data);
    let out = muster(&data, &["plan", "import", &arg(&dir)]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "No changes\n");
    assert_eq!(snapshot(&data), before);
    let out = muster(&data, &["plan", "diff", &arg(&dir)]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "No changes\n");
}

#[test]
fn diff_after_editing_one_field_shows_that_change_and_import_applies_it() {
    let (_root, data, dir) = exported();
    let old = starter::plan(today())
        .issue(&id("oracle-failure"))
        .map(|i| i.title.clone())
        .unwrap_or_default();
    edit(
        &dir,
        "issues.toml",
        &format!("title = \"{old}\""),
        "title = \"Oracle outage\"",
    );
    let change =
        format!("~ issue “Oracle outage” (oracle-failure) title: \"{old}\" → \"Oracle outage\"\n");

    let out = muster(&data, &["plan", "diff", &arg(&dir)]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), change);

    let out = muster(&data, &["plan", "import", "--dry-run", &arg(&dir)]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("{change}Dry run: nothing was changed\n")
    );
    assert_eq!(
        muster(&data, &["plan", "diff", &arg(&dir)]).status.code(),
        Some(1)
    );

    let out = muster(&data, &["plan", "import", &arg(&dir)]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(&change) && stdout.contains("Imported as revision"),
        "{stdout}"
    );
    assert!(text(&muster(&data, &["plan", "show"]).stdout).contains("Oracle outage"));
    let out = muster(&data, &["plan", "diff", &arg(&dir)]);
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), "No changes\n".to_owned())
    );
}

#[test]
fn a_failed_import_prints_located_errors_and_leaves_the_database_unchanged() {
    let (_root, data, dir) = exported();
    let shown = text(&muster(&data, &["plan", "show"]).stdout);
    let before = snapshot(&data);
    let at = edit(
        &dir,
        "issues.toml",
        "title = ",
        "title = \"New title\"\ntitel = ",
    );
    edit(
        &dir,
        "decisions.toml",
        "required = [\"",
        "required = [\"nobody\", \"",
    );

    let out = muster(&data, &["plan", "import", &arg(&dir)]);

    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    let typo = located(
        &dir,
        "issues.toml",
        at + "title = \"New title\"\n".len(),
        "unknown field `titel`, expected one of `id`, `title`, `category`, `severity`, `description`, `signal`, `monitoring`, `source`, `alert`",
    );
    assert!(stderr.starts_with(&format!("{typo}\n")), "{stderr}");
    assert!(
        stderr.contains("no contact has the id `nobody`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(&format!(
            "muster: 2 problems in {}: nothing was imported, the stored plan is unchanged\n",
            dir.display()
        )),
        "{stderr}"
    );
    assert_eq!(snapshot(&data), before, "the database changed");
    assert_eq!(text(&muster(&data, &["plan", "show"]).stdout), shown);
}

#[test]
fn export_refuses_a_folder_that_is_not_a_plan_folder() {
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("mine");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("notes.txt"), "keep me").unwrap();
    let out = muster(
        &root.path().join("data"),
        &["plan", "export", &arg(&target)],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("is not empty and is not a plan folder"));
    assert_eq!(read(&target.join("notes.txt")), "keep me");
    assert_eq!(fs::read_dir(&target).map(|d| d.count()).ok(), Some(1));
}

#[test]
fn generate_writes_a_plan_of_the_size_asked_that_checks_and_imports() {
    let root = tempfile::tempdir().unwrap();
    let (plan, data) = (root.path().join("big"), root.path().join("data"));
    let sizes = [
        "--issues",
        "60",
        "--procedures",
        "60",
        "--steps",
        "3",
        "--contacts",
        "45",
    ];
    let mut args = vec!["plan", "generate", plan.to_str().unwrap()];
    args.extend(sizes);
    let out = muster(&data, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let checked = muster(&data, &["plan", "check", &arg(&plan)]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));
    assert!(
        text(&checked.stderr).contains(": 0 problems"),
        "{}",
        text(&checked.stderr)
    );
    let imported = muster(&data, &["plan", "import", &arg(&plan)]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let shown = text(&muster(&data, &["plan", "show"]).stdout);
    assert!(shown.contains("1. Potential issues (60)"), "{shown}");
    assert!(shown.contains("2. Response procedures (60)"), "{shown}");
    // The same seed writes the same plan: nothing differs from what was imported.
    let again = root.path().join("again");
    let mut args = vec!["plan", "generate", again.to_str().unwrap()];
    args.extend(sizes);
    assert!(muster(&data, &args).status.success());
    assert_eq!(
        muster(&data, &["plan", "diff", &arg(&again)]).status.code(),
        Some(0)
    );
}
