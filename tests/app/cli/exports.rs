//! The CLI exports people use (binder, calendar, contacts) and the contacts import.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use muster_core::clock::SystemClock;
use muster_core::store::Store;

use super::super::{muster, text};
use super::temp;

fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// Every file in `dir`, with its bytes.
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

/// The summaries of every revision in the data folder, newest first.
fn revisions(data: &Path) -> Vec<String> {
    let store = Store::open_in(data, &SystemClock).unwrap();
    store
        .revisions(10_000)
        .unwrap()
        .into_iter()
        .map(|r| r.summary)
        .collect()
}

#[test]
fn binder_writes_a_file_atomically_or_to_standard_output() {
    let root = temp();
    let data = root.path().join("data");
    let out_dir = root.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let file = out_dir.join("plan.md");

    let out = muster(&data, &["plan", "binder", "--out", &arg(&file)]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let written = fs::read_to_string(&file).unwrap();
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
        stdin.write_all(ics.as_bytes()).unwrap();
    }
    let parsed = child.wait_with_output().unwrap();
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
    fs::write(&file, &csv).unwrap();
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
        fs::write(&file, content).unwrap();
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
    ).unwrap();
    let out = muster(
        &data,
        &["contacts", "import", "--team", "core", &arg(&file)],
    );
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains(
        "+ Ngozi Okafor (ngozi-okafor) — Security engineer; ngozi@example.com, +234 1 555 0100\n"
    ));
    let shown = text(&muster(&data, &["plan", "show"]).stdout);
    assert!(
        shown.contains("  - Ngozi Okafor [ngozi-okafor] — Security engineer; owns: none; ngozi@example.com, +234 1 555 0100"),
        "{shown}"
    );
}
