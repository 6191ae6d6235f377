//! The headless command line, run as a user would run it.

use muster_core::plan::SECTION_TITLES;
use muster_core::starter;

use super::{muster, text, today};

#[test]
fn version_prints_the_package_version() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = muster(dir.path(), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        format!("muster {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn plan_show_on_a_new_data_folder_prints_all_seven_sections_of_the_starter_plan() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("fresh");

    let out = muster(&data, &["plan", "show"]);

    let stdout = text(&out.stdout);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let plan = starter::plan(today());
    for (n, title) in SECTION_TITLES.iter().enumerate() {
        assert!(
            stdout.contains(&format!("{}. {title} (", n + 1)),
            "no section {title}:\n{stdout}"
        );
    }
    let mut ids: Vec<String> = Vec::new();
    ids.extend(plan.categories.iter().map(|c| c.id.to_string()));
    ids.extend(plan.issues.iter().map(|i| i.id.to_string()));
    ids.extend(plan.procedures.iter().map(|p| p.id.to_string()));
    ids.extend(
        plan.procedures
            .iter()
            .flat_map(|p| p.steps.iter().map(|s| s.id.to_string())),
    );
    ids.extend(plan.core_team.iter().map(|m| m.id.to_string()));
    ids.extend(plan.extended_team.iter().map(|c| c.id.to_string()));
    ids.extend(plan.communications.iter().map(|r| r.id.to_string()));
    ids.extend(plan.decisions.iter().map(|d| d.id.to_string()));
    for id in ids {
        assert!(
            stdout.contains(&format!("[{id}]")),
            "id {id} missing:\n{stdout}"
        );
    }
    assert!(data.join(muster_core::store::DB_FILE).is_file());
}

#[test]
fn plan_show_refuses_a_database_from_a_newer_muster_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join(muster_core::store::DB_FILE);
    let mut bytes = vec![0u8; 4096];
    bytes[..16].copy_from_slice(b"SQLite format 3\0");
    bytes[60..64].copy_from_slice(&42i32.to_be_bytes());
    std::fs::write(&db, &bytes).unwrap_or_else(|e| panic!("{e}"));

    let out = muster(dir.path(), &["plan", "show"]);

    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("newer Muster") && stderr.contains("schema version 42"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(&db).ok(), Some(bytes));
}

#[test]
fn an_unknown_command_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = muster(dir.path(), &["plan", "shwo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unrecognized subcommand 'shwo'"));
    assert!(
        !dir.path().join(muster_core::store::DB_FILE).exists(),
        "a usage error must not create a database"
    );
}

// Plan folders (plan as code): export, import, check, diff.

mod plan_folder {
    use std::collections::BTreeMap;
    use std::fs;
    use std::path::{Path, PathBuf};

    use muster_core::folder::MAX_FILE_BYTES;
    use muster_core::plan::id;
    use muster_core::starter;

    use super::super::{muster, text, today};

    /// A fresh data folder and the starter plan exported from it by the CLI.
    fn exported() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
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
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
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
        fs::write(&path, old.replacen(from, to, 1)).unwrap_or_else(|e| panic!("{e}"));
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
            .unwrap_or_else(|e| panic!("{e}"))
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
        fs::write(&path, changed).unwrap_or_else(|e| panic!("{e}"));
        // 6. A step that needs a decision no policy defines.
        let step_at = edit(
            &dir,
            "procedures/contain-exploit.toml",
            "decision = \"pause-contract\"",
            "decision = \"pause-contracts\"",
        ) + "decision = ".len();
        // 7. A missing section file.
        fs::remove_file(dir.join("escalation.toml")).unwrap_or_else(|e| panic!("{e}"));
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
        fs::write(&core, bytes).unwrap_or_else(|e| panic!("{e}"));
        // 10. A file over the size limit.
        let big = dir.join("procedures/recover-and-reimburse.toml");
        let padded = read(&big) + &"# padding\n".repeat(MAX_FILE_BYTES as usize / 10 + 1);
        fs::write(&big, &padded).unwrap_or_else(|e| panic!("{e}"));

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
                "the file is {} bytes, more than the 16 MiB a plan file may have: check that it is the right file",
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
        assert!(out.stdout.is_empty());
        assert_eq!(
            text(&out.stderr).trim(),
            format!("{}: 0 problems, 0 warnings", dir.display())
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
        let change = format!(
            "~ issue “Oracle outage” (oracle-failure) title: \"{old}\" → \"Oracle outage\"\n"
        );

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
            "unknown field `titel`, expected one of `id`, `title`, `category`, `severity`, `description`, `signal`, `monitoring`, `source`",
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
        let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = root.path().join("mine");
        fs::create_dir(&target).unwrap_or_else(|e| panic!("{e}"));
        fs::write(target.join("notes.txt"), "keep me").unwrap_or_else(|e| panic!("{e}"));
        let out = muster(
            &root.path().join("data"),
            &["plan", "export", &arg(&target)],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains("is not empty and is not a plan folder"));
        assert_eq!(read(&target.join("notes.txt")), "keep me");
        assert_eq!(fs::read_dir(&target).map(|d| d.count()).ok(), Some(1));
    }
}

// Exports people use (binder, calendar, contacts) and the contacts import.

mod exports {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::fs;
    use std::io::Write as _;
    use std::path::Path;
    use std::process::{Command, Stdio};

    use muster_core::clock::SystemClock;
    use muster_core::store::Store;

    use super::super::{muster, text};

    fn arg(path: &Path) -> String {
        path.display().to_string()
    }

    fn temp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    /// Every file in `dir`, with its bytes.
    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name, fs::read(e.path()).unwrap_or_default())
            })
            .collect()
    }

    /// The summaries of every revision in the data folder, newest first.
    fn revisions(data: &Path) -> Vec<String> {
        let store = Store::open_in(data, &SystemClock).unwrap_or_else(|e| panic!("{e}"));
        store
            .revisions(10_000)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|r| r.summary)
            .collect()
    }

    #[test]
    fn binder_writes_a_file_atomically_or_to_standard_output() {
        let root = temp();
        let data = root.path().join("data");
        let out_dir = root.path().join("out");
        fs::create_dir(&out_dir).unwrap_or_else(|e| panic!("{e}"));
        let file = out_dir.join("plan.md");

        let out = muster(&data, &["plan", "binder", "--out", &arg(&file)]);
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        let written = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        assert!(written.starts_with("# Harbor Protocol emergency response plan (example)\n"));
        for heading in [
            "## 1. Potential issues",
            "## 7. Decision process",
            "## Contact sheet",
        ] {
            assert!(written.contains(heading), "{heading} missing");
        }
        assert_eq!(
            snapshot(&out_dir).len(),
            1,
            "a temporary file was left behind"
        );

        let out = muster(&data, &["plan", "binder", "--out", "-"]);
        assert!(out.status.success());
        let printed = |t: &str| -> String {
            t.lines()
                .filter(|l| !l.starts_with("Printed "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(printed(&text(&out.stdout)), printed(&written));

        let missing = root.path().join("no-such-folder").join("plan.md");
        let out = muster(&data, &["plan", "binder", "--out", &arg(&missing)]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).starts_with(&format!("muster: cannot write {}: ", missing.display())),
            "{}",
            text(&out.stderr)
        );
    }

    #[test]
    fn calendar_is_crlf_icalendar_that_an_independent_parser_reads() {
        let root = temp();
        let data = root.path().join("data");
        let out = muster(
            &data,
            &["plan", "calendar", "--from", "2026-03-02", "--out", "-"],
        );
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        let ics = text(&out.stdout);
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{ics}"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nUID:exercise-20260302@muster.invalid\r\n"));
        assert!(ics.contains("\r\nUID:verify-ada-example@muster.invalid\r\n"));

        // Ten exercises over two years, and one deadline per starter contact (nine).
        let script = "import icalendar, sys\n\
                      cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())\n\
                      events = [c for c in cal.walk() if c.name == 'VEVENT']\n\
                      print(len(events), sum('EXERCISE' in str(c.get('categories').to_ical()) for c in events))\n";
        let mut child = Command::new("/usr/bin/python3")
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run /usr/bin/python3 ({e}): install python3-icalendar (scripts/dev.sh installs it)"));
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(ics.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let parsed = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            parsed.status.success(),
            "the parser failed; is python3-icalendar installed (scripts/dev.sh installs it)? {}",
            text(&parsed.stderr)
        );
        assert_eq!(text(&parsed.stdout).trim(), "19 10");

        let file = root.path().join("muster.ics");
        let out = muster(&data, &["plan", "calendar", "--out", &arg(&file)]);
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        assert!(fs::read_to_string(&file).is_ok_and(|t| t.starts_with("BEGIN:VCALENDAR\r\n")));

        let out = muster(
            &data,
            &["plan", "calendar", "--from", "2026-02-30", "--out", "-"],
        );
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            text(&out.stderr),
            "muster: --from: `2026-02-30` is not a date: write it as YYYY-MM-DD, e.g. 2026-03-02\n"
        );
    }

    #[test]
    fn contacts_export_as_csv_and_vcard() {
        let root = temp();
        let data = root.path().join("data");
        let out = muster(
            &data,
            &["contacts", "export", "--format", "csv", "--out", "-"],
        );
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        let csv = text(&out.stdout);
        let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
        assert_eq!(
            lines[0],
            "team,id,name,role,email,chat,phone,categories,last_verified"
        );
        assert_eq!(lines.len(), 1 + 4 + 5);
        assert!(lines[1].starts_with("core,ada-example,Ada Example,CEO,ada@example.com,"));

        let file = root.path().join("team.vcf");
        let out = muster(
            &data,
            &[
                "contacts",
                "export",
                "--format",
                "vcard",
                "--out",
                &arg(&file),
            ],
        );
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        let cards = fs::read_to_string(&file).unwrap_or_default();
        assert_eq!(cards.matches("BEGIN:VCARD\r\nVERSION:4.0\r\n").count(), 9);
        assert!(cards.contains("UID:urn:muster:contact:ada-example\r\n"));
    }

    /// A contacts CSV of `n` rows: names with commas, quotes and accents,
    /// optional fields often empty, a column to ignore.
    fn people_csv(n: usize) -> (String, Vec<String>) {
        let given = [
            "Zoë", "Jürgen", "Ngozi", "Conor", "Mei", "Priya", "Lars", "Ana",
        ];
        let family = [
            "O'Brien",
            "Smith, Jr.",
            "\"Sparky\" Jones",
            "Ångström",
            "李",
            "Okafor",
        ];
        let mut csv = "Full name,E-mail,Mobile,Slack,Job title,Notes\r\n".to_owned();
        let mut names = Vec::new();
        for i in 0..n {
            let name = format!(
                "{} {} {}",
                given[i % given.len()],
                family[i % family.len()],
                i + 1
            );
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            let email = if i % 3 == 0 {
                String::new()
            } else {
                format!("p{i}@example.com")
            };
            let phone = if i % 4 == 0 {
                String::new()
            } else {
                format!("+44 20 7946 {i:04}")
            };
            let chat = if i % 5 == 0 {
                format!("@p{i}")
            } else {
                String::new()
            };
            let _ = write!(
                csv,
                "{quoted},{email},{phone},{chat},\"Responder, shift {}\",\r\n",
                i % 3
            );
            names.push(name);
        }
        (csv, names)
    }

    #[test]
    fn a_500_row_csv_is_previewed_then_imported_as_one_revision() {
        let root = temp();
        let data = root.path().join("data");
        let file = root.path().join("people.csv");
        let (csv, names) = people_csv(500);
        fs::write(&file, &csv).unwrap_or_else(|e| panic!("{e}"));
        assert!(muster(&data, &["plan", "show"]).status.success());
        let before = revisions(&data);
        let bytes = snapshot(&data);

        let out = muster(&data, &["contacts", "import", "--dry-run", &arg(&file)]);
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        let expected_head = format!(
            "{}: 500 rows, columns read as:\n  Full name → name\n  E-mail → email\n  Mobile → phone\n  Slack → chat\n  Job title → role\n  Notes → ignored\nFirst rows:\n  Zoë O'Brien 1 |  |  | @p0 | Responder, shift 0 | \n",
            file.display()
        );
        assert!(stdout.starts_with(&expected_head), "{stdout}");
        assert!(stdout.contains("Would add 500 contacts to the extended team:\n+ Zoë O'Brien 1 (zoe-obrien-1) — Responder, shift 0; @p0\n"), "{stdout}");
        assert!(stdout.ends_with("Dry run: nothing was changed\n"));
        assert_eq!(snapshot(&data), bytes, "a dry run changed the database");

        let out = muster(&data, &["contacts", "import", &arg(&file)]);
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains("Added 500 contacts to the extended team as revision"),
            "{stdout}"
        );

        let after = revisions(&data);
        assert_eq!(after.len(), before.len() + 1);
        assert_eq!(
            after[0],
            format!("Imported 500 contacts from {}", file.display())
        );
        let shown = text(&muster(&data, &["plan", "show"]).stdout);
        assert!(shown.contains("5. Extended response team (505)"), "{shown}");
        for name in &names {
            assert!(shown.contains(&format!("  - {name} [")), "{name} missing");
        }
        assert!(shown.contains("  - Jürgen Smith, Jr. 2 [jurgen-smith-jr-2] — Responder, shift 1; p1@example.com, +44 20 7946 0001"));

        // The same file again: everyone is already there, and nothing changes.
        let bytes = snapshot(&data);
        let out = muster(&data, &["contacts", "import", &arg(&file)]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with(&format!(
            "{}:2:1: `Zoë O'Brien 1` is already on the extended team (`zoe-obrien-1`): leave them out of the file, or edit that contact in Muster\n",
            file.display()
        )), "{stderr}");
        assert!(
            stderr.ends_with(&format!(
                "muster: 500 problems in {}: nothing was imported, the stored plan is unchanged\n",
                file.display()
            )),
            "{stderr}"
        );
        assert_eq!(snapshot(&data), bytes);
    }

    #[test]
    fn a_bad_csv_prints_located_errors_and_leaves_the_database_bytes_unchanged() {
        let root = temp();
        let data = root.path().join("data");
        assert!(muster(&data, &["plan", "show"]).status.success());
        let bytes = snapshot(&data);
        let check = |name: &str, content: &[u8], args: &[&str], expected: &[&str]| {
            let file = root.path().join(name);
            fs::write(&file, content).unwrap_or_else(|e| panic!("{e}"));
            let mut all = vec!["contacts", "import"];
            all.extend_from_slice(args);
            let path = arg(&file);
            all.push(&path);
            let out = muster(&data, &all);
            assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
            let mut want: String = expected.iter().map(|e| format!("{path}:{e}\n")).collect();
            want.push_str(&format!(
                "muster: {} in {path}: nothing was imported, the stored plan is unchanged\n",
                if expected.len() == 1 {
                    "1 problem".to_owned()
                } else {
                    format!("{} problems", expected.len())
                }
            ));
            assert_eq!(text(&out.stderr), want);
            assert_eq!(snapshot(&data), bytes, "the database changed");
        };
        check(
            "rows.csv",
            b"Name,Email,Phone\r\nAda Two,a@example.com\r\n,b@example.com,+1 555 0100\r\nDoe, Jane,j@example.com,+1\r\nAda Two,c@example.com,\r\n",
            &[],
            &[
                "2:1: this row has 2 fields but the header has 3: put a field that holds a comma in quotes (\"Doe, Jane\"), or fix the row",
                "3:1: this contact has no name: fill it in, or delete the row",
                "4:25: this row has 4 fields but the header has 3: put a field that holds a comma in quotes (\"Doe, Jane\"), or fix the row",
            ],
        );
        check(
            "quotes.csv",
            b"Name,Email\n\"Ada Two,a@example.com\n",
            &[],
            &["2:1: this quoted field never ends: add the closing `\"`, and write a quote inside a quoted field as `\"\"`"],
        );
        check(
            "latin1.csv",
            b"Name,Email\nJ\xFCrgen,j@example.com\n",
            &[],
            &["2:2: the file is not valid UTF-8 (byte 0xFC here): save or export it as UTF-8"],
        );
        check(
            "mapped.csv",
            b"Name,Email\nAda Two,a@example.com\n",
            &["--map", "Mobile=phone"],
            &["1:1: the mapping reads the column `Mobile` as phone, but the header has no such column (it has `Name`, `Email`): map a column the file has"],
        );
        check(
            "twice.csv",
            b"Name\nAda Two\nada two\n",
            &[],
            &["3:1: `ada two` is in the file twice (first on line 2): remove one, or tell them apart in the name"],
        );
        check(
            "cards.vcf",
            b"BEGIN:VCARD\nVERSION:4.0\nEMAIL:x@example.com\nEND:VCARD\n",
            &[],
            &["1:1: the card on lines 1–4 has no name (FN or N): add FN:<full name> to it"],
        );
        let big = vec![b'x'; 5 * 1024 * 1024 + 1];
        check(
            "big.csv",
            &big,
            &[],
            &["1:1: the file is 5242881 bytes, more than the 5 MiB a contacts file may have: split it into smaller files, or check that it is the right file"],
        );

        let out = muster(
            &data,
            &["contacts", "import", &arg(&root.path().join("people.txt"))],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains("pass --format csv or --format vcard"));
        assert_eq!(snapshot(&data), bytes);
    }

    #[test]
    fn a_vcard_file_is_imported_into_the_core_team() {
        let root = temp();
        let data = root.path().join("data");
        let file = root.path().join("new.vcf");
        fs::write(
            &file,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Ngozi;;;\r\nTITLE:Security engineer\r\nEMAIL;TYPE=INTERNET:ngozi@example.com\r\nTEL;TYPE=CELL:+234 1 555 0100\r\nEND:VCARD\r\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let out = muster(
            &data,
            &["contacts", "import", "--team", "core", &arg(&file)],
        );
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("+ Ngozi Okafor (ngozi-okafor) — Security engineer; ngozi@example.com, +234 1 555 0100\n"));
        let shown = text(&muster(&data, &["plan", "show"]).stdout);
        assert!(
            shown.contains("  - Ngozi Okafor [ngozi-okafor] — Security engineer; owns: none; ngozi@example.com, +234 1 555 0100"),
            "{shown}"
        );
    }
}
