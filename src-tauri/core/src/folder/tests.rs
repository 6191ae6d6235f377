//! Tests of plan folders: export → read → export is lossless and
//! byte-identical over many generated plans and edge cases; export refuses
//! to clobber what is not a plan folder. Bad input has its own file.

mod bad_input;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use super::*;
use crate::generate::{self, Size};
use crate::plan::keys::tests::key_line;
use crate::plan::{id, validate, OnCallOverride, RetiredKey, Timing};
use crate::starter;
use crate::testing::temp;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
}

/// Noon UTC on the starter plan's seed day.
fn now() -> DateTime<Utc> {
    Utc.from_utc_datetime(&day().and_time(NaiveTime::MIN)) + Duration::hours(12)
}

/// Every file under `dir`, by `/`-separated path, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap_or(&path);
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn export_to(plan: &Plan, dir: &Path) -> Exported {
    export(plan, dir).unwrap_or_else(|e| panic!("export failed: {e}"))
}

fn read_ok(dir: &Path) -> Plan {
    match read(dir) {
        Ok(plan) => plan,
        Err(ReadError::Invalid(d)) => {
            let lines: Vec<String> = d.iter().map(ToString::to_string).collect();
            panic!("the folder did not read back:\n{}", lines.join("\n"))
        }
        Err(e) => panic!("{e}"),
    }
}

/// export → read gives the plan back; a second export of what was read is
/// byte-identical to the first, and to `render`.
fn round_trip(plan: &Plan) {
    let first = temp();
    export_to(plan, first.path());
    let back = read_ok(first.path());
    assert_eq!(&back, plan, "the plan read back differs");
    let second = temp();
    export_to(&back, second.path());
    let (a, b) = (files(first.path()), files(second.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b.get(path) == Some(bytes), "{path} differs between exports");
    }
    let rendered: BTreeMap<String, Vec<u8>> = render(plan)
        .into_iter()
        .map(|f| (f.path, f.text.into_bytes()))
        .collect();
    assert_eq!(rendered, a);
    for (path, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            text.ends_with('\n') && !text.ends_with("\n\n"),
            "{path}: one final newline"
        );
        for (n, line) in text.lines().enumerate() {
            assert_eq!(
                line,
                line.trim_end(),
                "{path}:{}: trailing whitespace",
                n + 1
            );
        }
    }
}

#[test]
fn the_starter_plan_round_trips() {
    round_trip(&starter::plan(day()));
}

#[test]
fn generated_plans_of_many_sizes_round_trip() {
    for seed in 0..40u64 {
        let n = seed as usize;
        let size = Size {
            issues: [0, 1, 3, 12, 60, 300][n % 6] + n,
            procedures: [0, 1, 2, 9, 40, 120][(n / 2) % 6],
            steps_per_procedure: n % 7,
            contacts: [0, 1, 2, 9, 30, 150][(n / 3) % 6],
        };
        let plan = generate::plan(size, seed);
        assert!(validate(&plan).is_empty(), "seed {seed} is not valid");
        round_trip(&plan);
    }
}

/// A folder of many procedure files is read on several threads: the plan
/// comes back in its order, and each broken file is reported where it is,
/// once, with the others read.
#[test]
fn many_procedure_files_read_in_order_and_each_broken_one_is_named() {
    let size = Size {
        issues: 40,
        procedures: 700,
        steps_per_procedure: 2,
        contacts: 9,
    };
    let plan = generate::plan(size, 3);
    round_trip(&plan);
    let dir = temp();
    export_to(&plan, dir.path());
    let name = |i: usize| format!("procedures/{}.toml", plan.procedures[i].id);
    let (syntax, utf8, gone) = (name(5), name(350), name(699));
    fs::write(dir.path().join(&syntax), "id = [").unwrap_or_default();
    fs::write(dir.path().join(&utf8), b"title = \"caf\xE9\"\n").unwrap_or_default();
    fs::remove_file(dir.path().join(&gone)).unwrap_or_default();
    let Err(ReadError::Invalid(found)) = read(dir.path()) else {
        panic!("a folder with broken procedure files was read");
    };
    let files: Vec<&str> = found.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files,
        vec!["plan.toml", syntax.as_str(), utf8.as_str()],
        "{found:#?}"
    );
    assert!(
        found[0].message.contains("there is no")
            && found[0].message.contains(&gone[11..gone.len() - 5])
    );
    assert!(
        found[1].message.starts_with("invalid TOML"),
        "{}",
        found[1].message
    );
    assert!(
        found[2].message.contains("not valid UTF-8"),
        "{}",
        found[2].message
    );
    // The same folder's check says the same, whichever thread read what.
    let checked = check(dir.path(), now()).unwrap_or_else(|e| panic!("{e}"));
    for d in &found {
        assert!(
            checked.iter().any(|c| c.to_string() == d.to_string()),
            "{d}"
        );
    }
}

/// Text that a TOML writer can get wrong. (Control characters other than
/// line breaks and tabs never reach a file: the plan refuses them, see
/// `plan::text`; line breaks only in prose, so the one-line fields get
/// [`one_line`] of these.)
const AWKWARD: &[&str] = &[
    "",
    " leading and trailing spaces ",
    "He said \"stop\", then \"\"\"three\"\"\" quotes and an ending quote\"",
    "back\\slash \\n not a newline \\",
    "two\nlines",
    "ends with a newline\n",
    "\n starts with one",
    "a line with a trailing space \nand a next one",
    "windows\r\nline ends",
    "tab\tand a second\ttab",
    "Unicode: naïve café, 日本語, 🚨, “curly” ‘quotes’, \u{2028} separator",
    "'''literal''' and # not a comment = [x]",
    "\"\"\"\nmulti-line delimiters\n\"\"\"",
    "ends with a backslash and newline \\\n",
];

/// `text` on one line, as a title or a name must be.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r', '\t'], " ")
}

/// The starter plan with awkward text everywhere text goes, options both
/// set and unset, and every timing.
fn awkward_plan() -> Plan {
    let mut plan = starter::plan(day());
    let pick = |n: usize| AWKWARD[n % AWKWARD.len()].to_owned();
    plan.meta.summary = AWKWARD.join("|");
    plan.meta.organisation = pick(2);
    for (n, c) in plan.categories.iter_mut().enumerate() {
        c.description = pick(n);
    }
    for (n, i) in plan.issues.iter_mut().enumerate() {
        i.title = format!("Title {n} {}", one_line(&pick(n + 2)));
        i.description = pick(n + 1);
        i.detection.signal = pick(n + 3);
        i.detection.source = pick(n + 4);
    }
    for (n, p) in plan.procedures.iter_mut().enumerate() {
        p.summary = pick(n + 5);
        for (m, s) in p.steps.iter_mut().enumerate() {
            s.how = pick(n + m);
            s.tools = pick(n + m + 1);
            s.test = pick(n + m + 2);
            s.expected_minutes = [None, Some(0), Some(u32::MAX)][m % 3];
            s.automatable = m % 2 == 1;
            // Every other step runs a command with awkward arguments.
            if (n + m) % 2 == 0 {
                s.command = Some(crate::plan::StepCommand {
                    argv: vec![
                        "scripts/run it.sh".to_owned(),
                        pick(n + m),
                        String::new(),
                        "--quote=\"x\" \\ 'y'".to_owned(),
                    ],
                    dir: if m % 3 == 0 { String::new() } else { pick(n) },
                    timeout_seconds: 1 + (m as u32 % 5) * 60,
                    env: if m % 2 == 0 {
                        Vec::new()
                    } else {
                        vec!["RPC_URL".to_owned()]
                    },
                });
            }
        }
    }
    // Alert rules whose labels need quoting in TOML.
    plan.issues[0]
        .detection
        .alerts
        .push(crate::plan::AlertRule {
            labels: [
                ("alertname".to_owned(), one_line(&pick(1))),
                ("severity".to_owned(), "page \"now\"".to_owned()),
            ]
            .into(),
            severity: Some(crate::plan::Severity::S3),
        });
    plan.procedures[1].steps.clear();
    plan.procedures[2].issues.clear();
    let ada = &mut plan.core_team[0];
    ada.public_key = Some(key_line(1, "ada@example"));
    ada.retired_keys = vec![
        RetiredKey {
            key: key_line(
                2,
                "He said \"stop\" \\ “old” laptop\t🚨 # not = [a comment]",
            ),
            retired_from: Utc
                .with_ymd_and_hms(2026, 1, 20, 9, 0, 0)
                .single()
                .unwrap_or_default()
                + Duration::nanoseconds(123_456_789),
        },
        RetiredKey {
            key: format!("{}  two  spaces and one after ", key_line(3, "")),
            retired_from: Utc
                .with_ymd_and_hms(10_000, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
        },
        RetiredKey {
            key: key_line(4, ""),
            retired_from: DateTime::UNIX_EPOCH,
        },
    ];
    ada.reach.email = Some(String::new());
    ada.reach.chat = None;
    ada.last_verified = None;
    plan.core_team[1].public_key = Some(key_line(5, &pick(1)));
    plan.core_team[1].role = one_line(&pick(3));
    plan.extended_team[0].reach.phone = Some(one_line(&pick(6)));
    plan.extended_team[1].last_verified = NaiveDate::from_ymd_opt(10_000, 1, 1);
    let rotation = &mut plan.on_call[0];
    rotation.handover_time =
        NaiveTime::from_hms_nano_opt(9, 30, 15, 250_000_000).unwrap_or_default();
    rotation.overrides = vec![
        OnCallOverride {
            member: id("ada-example"),
            from: Utc
                .with_ymd_and_hms(2026, 1, 20, 9, 0, 0)
                .single()
                .unwrap_or_default(),
            until: Utc
                .with_ymd_and_hms(2026, 1, 27, 9, 0, 0)
                .single()
                .unwrap_or_default()
                + Duration::nanoseconds(123_456_789),
            note: pick(4),
        },
        OnCallOverride {
            member: id("dara-mock"),
            from: Utc
                .with_ymd_and_hms(9_999, 12, 31, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            until: Utc
                .with_ymd_and_hms(10_000, 1, 2, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            note: String::new(),
        },
    ];
    plan.on_call[1].handover_time = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
    for (n, r) in plan.communications.iter_mut().enumerate() {
        r.notes = pick(n + 7);
        r.channel = format!("channel {n} {}", one_line(&pick(n)));
    }
    plan.communications[0].responsible = None;
    plan.communications[1].timing = Timing::AfterResolutionDays { days: 365 };
    plan.communications[2].timing = Timing::EveryHours { hours: 336 };
    plan.decisions[0].description = pick(12);
    plan.decisions[0].attested_allowed = true;
    plan.decisions[3].attested_allowed = false;
    plan
}

#[test]
fn awkward_text_options_dates_and_timings_round_trip() {
    let plan = awkward_plan();
    assert_eq!(validate(&plan), vec![]);
    round_trip(&plan);
}

#[test]
fn a_plan_with_every_section_empty_round_trips() {
    let mut plan = Plan::empty();
    plan.meta.name = "Empty".to_owned();
    round_trip(&plan);
    let dir = temp();
    export_to(&plan, dir.path());
    let issues = fs::read_to_string(dir.path().join("issues.toml")).unwrap_or_default();
    assert_eq!(
        issues,
        "# Muster plan: section 1, potential issues and how each is detected.\n\
         # Written by `muster plan export`. Edit freely, then run `muster plan check` on this folder.\n"
    );
}

#[test]
fn comments_and_key_order_are_the_reader_s_business_not_the_plan_s() {
    let dir = temp();
    let plan = starter::plan(day());
    export_to(&plan, dir.path());
    let path = dir.path().join("escalation.toml");
    let text = fs::read_to_string(&path).unwrap_or_default().replacen(
        "[[rule]]\ncategory = \"hacker-attack\"\ncore = \"detection\"\n",
        "# Reviewed with legal, May 2026.\n[[rule]]\ncore = \"detection\" # always\ncategory = \"hacker-attack\"\n",
        1,
    );
    fs::write(&path, text).unwrap_or_default();
    assert_eq!(read_ok(dir.path()), plan);
    // Re-exporting writes the canonical form again, comments and all gone.
    let done = export_to(&plan, dir.path());
    assert_eq!(done.written, vec!["escalation.toml".to_owned()]);
    assert_eq!(done.unchanged.len(), render(&plan).len() - 1);
}

#[test]
fn export_removes_only_procedure_files_of_procedures_that_are_gone() {
    let dir = temp();
    let mut plan = starter::plan(day());
    export_to(&plan, dir.path());
    fs::write(dir.path().join("README.md"), "Our plan").unwrap_or_default();
    fs::write(dir.path().join("procedures/notes.txt"), "x").unwrap_or_default();
    let gone = plan.procedures.remove(0);
    for i in &mut plan.issues {
        i.title.push('!');
    }
    let done = export_to(&plan, dir.path());
    assert_eq!(done.removed, vec![format!("procedures/{}.toml", gone.id)]);
    assert_eq!(
        done.written,
        vec!["plan.toml".to_owned(), "issues.toml".to_owned()]
    );
    assert!(dir.path().join("README.md").is_file());
    assert!(dir.path().join("procedures/notes.txt").is_file());
    assert_eq!(read_ok(dir.path()), plan);
}

#[test]
fn export_refuses_a_folder_that_is_not_a_plan_folder_and_touches_nothing() {
    let plan = starter::plan(day());
    let dir = temp();
    fs::write(dir.path().join("thesis.md"), "mine").unwrap_or_default();
    let err = export(&plan, dir.path())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err(format!(
            "{} is not empty and is not a plan folder (it has no plan.toml): export into a new or empty folder, or into an existing plan folder",
            dir.path().display()
        ))
    );
    assert_eq!(files(dir.path()).len(), 1);

    let dir = temp();
    export_to(&plan, dir.path());
    fs::write(dir.path().join("issues-old.toml"), "").unwrap_or_default();
    let err = export(&plan, dir.path())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err(format!(
            "{} holds issues-old.toml, which is not a plan file: move it out of the folder, then export again",
            dir.path().display()
        ))
    );

    let file = dir.path().join("plan.toml");
    let err = export(&plan, &file).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err(format!(
            "{} is not a folder: choose a folder to export into",
            file.display()
        ))
    );
}

#[test]
fn export_creates_the_folder_and_leaves_no_temporary_files() {
    let dir = temp();
    let target = dir.path().join("a/b/plan");
    let done = export_to(&starter::plan(day()), &target);
    assert_eq!(done.written.len(), files(&target).len());
    assert!(files(&target).keys().all(|k| !k.contains(".muster-tmp")));
}
