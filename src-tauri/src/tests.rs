//! Shell tests on Tauri's mock runtime, with the app's real context and
//! capabilities: commands answer through IPC as the webview would call them,
//! errors arrive as `{code, message}`, and the generated TypeScript is fresh.

use std::path::Path;

use muster_core::plan::Plan;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn request(cmd: &str) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost"
            .parse()
            .unwrap_or_else(|e| panic!("url: {e}")),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// Calls `cmd` from the main window of an app on `data_dir`.
fn invoke(data_dir: &Path, cmd: &str) -> Result<Value, Value> {
    let notifier = std::sync::Arc::new(crate::test_ui::MockNotifier::default());
    let app = crate::setup(mock_builder(), data_dir.to_owned(), notifier, None)
        .build(tauri::generate_context!(test = true))
        .unwrap_or_else(|e| panic!("mock app: {e}"));
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap_or_else(|e| panic!("mock window: {e}"));
    get_ipc_response(&window, request(cmd)).map(|body| {
        body.deserialize::<Value>()
            .unwrap_or_else(|e| panic!("reply is not JSON: {e}"))
    })
}

#[test]
fn get_plan_returns_the_starter_plan_on_a_new_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let reply = invoke(dir.path(), "get_plan").unwrap_or_else(|e| panic!("get_plan failed: {e}"));
    let plan: Plan = serde_json::from_value(reply).unwrap_or_else(|e| panic!("not a plan: {e}"));
    assert!(plan.meta.is_example);
    assert!(
        plan.issues.len() >= 6 && plan.procedures.len() >= 4,
        "{}",
        plan.meta.name
    );
}

#[test]
fn the_outline_is_the_plans_details_sizes_and_people() {
    let dir = tempfile::tempdir().unwrap();
    let plan: Plan = serde_json::from_value(
        invoke(dir.path(), "get_plan").unwrap_or_else(|e| panic!("get_plan failed: {e}")),
    )
    .unwrap_or_else(|e| panic!("not a plan: {e}"));
    let outline =
        invoke(dir.path(), "get_plan_outline").unwrap_or_else(|e| panic!("outline failed: {e}"));
    assert_eq!(outline["meta"]["name"], json!(plan.meta.name));
    assert_eq!(outline["meta"]["isExample"], json!(true));
    assert_eq!(outline["counts"]["issues"], json!(plan.issues.len()));
    assert_eq!(
        outline["counts"]["procedures"],
        json!(plan.procedures.len())
    );
    assert_eq!(outline["counts"]["coreTeam"], json!(plan.core_team.len()));
    assert_eq!(
        outline["counts"]["extendedTeam"],
        json!(plan.extended_team.len())
    );
    let people = outline["people"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        people.len(),
        plan.core_team.len() + plan.extended_team.len()
    );
    assert_eq!(people[0]["name"], json!(plan.core_team[0].name));
    assert_eq!(
        outline["exercisePolicy"],
        serde_json::to_value(&plan.exercise_policy).unwrap_or_default()
    );
    // Nothing of the sections themselves.
    assert!(outline.get("issues").is_none() && outline.get("procedures").is_none());
}

#[test]
fn a_database_from_a_newer_muster_reaches_the_ui_as_a_coded_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(muster_core::store::DB_FILE);
    let conn = rusqlite_free_newer_db(&db);
    // The launch's first question (the outline) and the plan's both say so.
    for command in ["get_plan_outline", "get_plan"] {
        let reply = invoke(dir.path(), command);
        let Err(error) = reply else {
            panic!("{command}: expected an error, got {reply:?}")
        };
        assert_eq!(error["code"], json!("databaseTooNew"), "{command}: {error}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains("newer Muster"), "{command}: {message}");
    }
    assert_eq!(std::fs::read(&db).ok(), Some(conn), "the file changed");
}

/// Writes a minimal SQLite header claiming schema version 999 and returns its bytes.
fn rusqlite_free_newer_db(path: &Path) -> Vec<u8> {
    let mut bytes = vec![0u8; 4096];
    bytes[..16].copy_from_slice(b"SQLite format 3\0");
    bytes[60..64].copy_from_slice(&999i32.to_be_bytes());
    std::fs::write(path, &bytes).unwrap();
    bytes
}

#[test]
fn app_info_names_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let reply = invoke(dir.path(), "app_info").unwrap();
    assert_eq!(reply["dataDir"], json!(dir.path().display().to_string()));
    assert_eq!(reply["version"], json!(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_capability_grants_nothing_beyond_the_apps_own_commands() {
    let dir = tempfile::tempdir().unwrap();
    // Listening to events is granted (the change events); emitting is not.
    for denied in [
        "plugin:event|emit",
        "plugin:window|close",
        "plugin:webview|print",
        "plugin:fs|read_file",
        "plugin:shell|open",
    ] {
        let reply = invoke(dir.path(), denied);
        let Err(error) = reply else {
            panic!("{denied} was allowed: {reply:?}")
        };
        // Refused by the ACL, not merely failing on a malformed call.
        let text = error.to_string();
        assert!(text.contains("not allowed"), "{denied}: {text}");
    }
}

#[test]
fn every_command_of_the_contract_is_registered_and_granted() {
    let dir = tempfile::tempdir().unwrap();
    // These act at once without arguments (quit, print, or open an OS file
    // chooser that would wait for a person): the end-to-end tests call them.
    let acting = [
        "quit_app",
        "print_window",
        "pick_contacts_file",
        "choose_attachment_file",
        "import_decision_file",
    ];
    for command in crate::contract::COMMANDS {
        if acting.contains(command) {
            continue;
        }
        // Called without its arguments: a registered, granted command fails
        // on the missing argument (or answers), never as unknown or denied.
        let reply = invoke(dir.path(), command);
        if let Err(error) = reply {
            let text = error.to_string();
            assert!(
                !text.contains("not allowed") && !text.contains("not found"),
                "{command}: {text}"
            );
        }
    }
    // And nothing beyond the table is callable.
    let reply = invoke(dir.path(), "no_such_command");
    assert!(reply.is_err_and(|e| e.to_string().contains("not")));
}

/// A command as written: its name, `(argument, type)` pairs and result.
type Written = (String, Vec<(String, String)>, String);

/// Each `#[tauri::command]` in the shell's command modules as written:
/// `(name, [(argument, type)], result)`, without the state and handles Tauri
/// passes, the result's `Result<…, IpcError>` taken off, whitespace removed.
fn command_functions() -> Vec<Written> {
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
    let mut found = Vec::new();
    for file in [
        "commands.rs",
        "incidents.rs",
        "decisions.rs",
        "exercises.rs",
        "team_link.rs",
        "backups.rs",
        "alert_link.rs",
        "updates.rs",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        for piece in text.split("#[tauri::command]").skip(1) {
            let head = &piece[..piece.find('{').unwrap()];
            let name_at = head.find("fn ").unwrap() + 3;
            let name: String = head[name_at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let open = head.find('(').unwrap();
            // The parenthesis that closes the argument list.
            let mut parens = 0;
            let close = open
                + head[open..]
                    .char_indices()
                    .find(|&(_, c)| {
                        parens += match c {
                            '(' => 1,
                            ')' => -1,
                            _ => 0,
                        };
                        parens == 0
                    })
                    .unwrap()
                    .0;
            let (mut args, mut depth, mut current) = (Vec::new(), 0, String::new());
            for c in head[open + 1..close].chars() {
                match c {
                    '<' => depth += 1,
                    '>' => depth -= 1,
                    _ => {}
                }
                if c == ',' && depth == 0 {
                    args.push(std::mem::take(&mut current));
                } else {
                    current.push(c);
                }
            }
            args.push(current);
            let args: Vec<(String, String)> = args
                .iter()
                .filter_map(|a| a.split_once(':'))
                .map(|(n, t)| (n.trim().to_owned(), squeeze(t)))
                .filter(|(_, t)| {
                    !t.starts_with("State<")
                        && !t.starts_with("AppHandle")
                        && !t.starts_with("WebviewWindow")
                })
                .collect();
            let result = head[close + 1..].trim().trim_start_matches("->");
            let result = squeeze(result);
            let result = result
                .strip_prefix("Result<")
                .and_then(|r| r.strip_suffix(",IpcError>"))
                .map(str::to_owned)
                .unwrap_or(if result.is_empty() {
                    "()".to_owned()
                } else {
                    result
                });
            found.push((name, args, result));
        }
    }
    found
}

#[test]
fn contract_matches_the_command_functions() {
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let mut written = command_functions();
    written.sort();
    let mut table: Vec<Written> = crate::contract::signatures()
        .into_iter()
        .map(|s| {
            let args = s
                .args
                .iter()
                .map(|(n, t, _)| ((*n).to_owned(), squeeze(t)))
                .collect();
            (s.name.to_owned(), args, squeeze(s.result.0))
        })
        .collect();
    table.sort();
    assert!(written.len() > 50, "{written:?}");
    assert_eq!(
        table, written,
        "src-tauri/contract.rs and the command functions differ"
    );
}

#[test]
fn contract_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, text) in [
        (
            crate::contract::CAPABILITY_FILE,
            crate::contract::capability(),
        ),
        (
            crate::contract::TYPESCRIPT_FILE,
            crate::contract::typescript(),
        ),
        (
            crate::contract::ISOLATION_FILE,
            crate::contract::isolation(),
        ),
        (
            crate::contract::PARTICIPANT_CAPABILITY_FILE,
            crate::contract::participant_capability(),
        ),
    ] {
        let path = root.join(file);
        if std::env::var_os("MUSTER_BLESS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "{file} is stale: the contract changed. Run `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh` and commit the file"
        );
    }
}

// ---- generated TypeScript ------------------------------------------------

const TYPES_FILE: &str = "ui/src/lib/api/types.gen.ts";

fn declaration<T: ts_rs::TS>() -> String {
    let docs = T::docs()
        .map(|d| format!("{}\n", d.trim_end()))
        .unwrap_or_default();
    format!("{docs}export {}\n", T::decl())
}

/// The TypeScript the UI imports, rendered from the Rust types.
fn generated_types() -> String {
    use muster_core::plan::*;
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs; do not edit.\n\
         // Regenerate: MUSTER_BLESS=1 cargo test -p muster types_are_fresh\n\n",
    );
    for decl in [
        declaration::<Id>(),
        declaration::<Plan>(),
        declaration::<PlanMeta>(),
        declaration::<PlanOutline>(),
        declaration::<SectionCounts>(),
        declaration::<Person>(),
        declaration::<Category>(),
        declaration::<Severity>(),
        declaration::<Monitoring>(),
        declaration::<Detection>(),
        declaration::<AlertRule>(),
        declaration::<StepCommand>(),
        declaration::<PotentialIssue>(),
        declaration::<Procedure>(),
        declaration::<Step>(),
        declaration::<NotifyWhen>(),
        declaration::<EscalationRule>(),
        declaration::<Reach>(),
        declaration::<CoreMember>(),
        declaration::<RetiredKey>(),
        declaration::<ExtendedContact>(),
        declaration::<Weekday>(),
        declaration::<OnCallRotation>(),
        declaration::<OnCallOverride>(),
        declaration::<muster_core::plan::oncall::OnCallNow>(),
        declaration::<Audience>(),
        declaration::<Timing>(),
        declaration::<CommunicationRule>(),
        declaration::<DecisionPolicy>(),
        declaration::<ExercisePolicy>(),
        declaration::<Section>(),
        declaration::<Location>(),
        declaration::<Problem>(),
        declaration::<muster_core::plan::edit::PlanEdit>(),
        declaration::<muster_core::plan::check::Gap>(),
        declaration::<muster_core::plan::check::GapKind>(),
        declaration::<muster_core::plan::check::GapLevel>(),
        declaration::<muster_core::team::plan_ops::PlanConflict>(),
        declaration::<muster_core::team::plan_ops::ConflictValue>(),
        declaration::<muster_core::search::SearchHit>(),
        declaration::<muster_core::search::SnippetPart>(),
        declaration::<muster_core::store::backup::BackupInfo>(),
        declaration::<muster_core::store::backup::BackupKind>(),
        declaration::<muster_core::store::RevisionInfo>(),
        declaration::<muster_core::store::DiffEntry>(),
        declaration::<muster_core::store::DiffKind>(),
        declaration::<muster_core::store::FieldDiff>(),
        declaration::<muster_core::incident::IncidentId>(),
        declaration::<muster_core::incident::Phase>(),
        declaration::<muster_core::incident::Role>(),
        declaration::<muster_core::incident::RoleAssignment>(),
        declaration::<muster_core::incident::StepStatus>(),
        declaration::<muster_core::incident::ProcedureSnapshot>(),
        declaration::<muster_core::incident::StepSnapshot>(),
        declaration::<muster_core::incident::Recipient>(),
        declaration::<muster_core::incident::EventBody>(),
        declaration::<muster_core::alert::AlertStatus>(),
        declaration::<muster_core::incident::Event>(),
        declaration::<muster_core::incident::PhaseTime>(),
        declaration::<muster_core::incident::StepRecord>(),
        declaration::<muster_core::incident::Escalation>(),
        declaration::<muster_core::incident::Notified>(),
        declaration::<muster_core::incident::Acknowledgement>(),
        declaration::<muster_core::incident::UpdateRecord>(),
        declaration::<muster_core::incident::Waiver>(),
        declaration::<muster_core::incident::Publication>(),
        declaration::<muster_core::incident::Incident>(),
        declaration::<muster_core::incident::IncidentSummary>(),
        declaration::<muster_core::incident::figures::ResponseFigures>(),
        declaration::<muster_core::incident::Declaration>(),
        declaration::<muster_core::incident::IncidentAction>(),
        declaration::<muster_core::incident::Verification>(),
        declaration::<muster_core::incident::BadEvent>(),
        declaration::<muster_core::incident::ClockBack>(),
        declaration::<muster_core::incident::timeline::TimelineEntry>(),
        declaration::<muster_core::incident::view::IncidentView>(),
        declaration::<muster_core::deadline::DueKind>(),
        declaration::<muster_core::deadline::DueItem>(),
        declaration::<muster_core::deadline::Agenda>(),
        declaration::<muster_core::deadline::CadenceLine>(),
        declaration::<muster_core::deadline::CadenceState>(),
        declaration::<muster_core::store::PostMortem>(),
        declaration::<muster_core::decision::DecisionId>(),
        declaration::<muster_core::decision::Verdict>(),
        declaration::<muster_core::decision::Answer>(),
        declaration::<muster_core::decision::DecisionRequest>(),
        declaration::<muster_core::decision::SignatureFile>(),
        declaration::<muster_core::decision::SignatureInfo>(),
        declaration::<muster_core::decision::Attestation>(),
        declaration::<muster_core::decision::QuorumState>(),
        declaration::<muster_core::decision::Standing>(),
        declaration::<muster_core::decision::ApproverStanding>(),
        declaration::<muster_core::decision::Quorum>(),
        declaration::<muster_core::decision::DecisionStatus>(),
        declaration::<muster_core::decision::BundleVerdict>(),
        declaration::<muster_core::exercise::ExerciseId>(),
        declaration::<muster_core::exercise::FindingId>(),
        declaration::<muster_core::exercise::ExerciseSetup>(),
        declaration::<muster_core::exercise::Objective>(),
        declaration::<muster_core::exercise::Scenario>(),
        declaration::<muster_core::exercise::Inject>(),
        declaration::<muster_core::exercise::ExpectedAction>(),
        declaration::<muster_core::exercise::Measure>(),
        declaration::<muster_core::exercise::Target>(),
        declaration::<muster_core::exercise::ExerciseStatus>(),
        declaration::<muster_core::exercise::LogKind>(),
        declaration::<muster_core::exercise::ExerciseEventBody>(),
        declaration::<muster_core::exercise::ExerciseEvent>(),
        declaration::<muster_core::exercise::ScenarioRun>(),
        declaration::<muster_core::exercise::DeclaredInject>(),
        declaration::<muster_core::exercise::LogEntry>(),
        declaration::<muster_core::exercise::Rating>(),
        declaration::<muster_core::exercise::ObjectiveRating>(),
        declaration::<muster_core::exercise::ElementRef>(),
        declaration::<muster_core::exercise::Finding>(),
        declaration::<muster_core::exercise::FindingDraft>(),
        declaration::<muster_core::exercise::AttachmentKind>(),
        declaration::<muster_core::exercise::Attachment>(),
        declaration::<muster_core::exercise::Exercise>(),
        declaration::<muster_core::exercise::ExerciseSummary>(),
        declaration::<muster_core::exercise::ExerciseAction>(),
        declaration::<muster_core::exercise::ExpectedStatus>(),
        declaration::<muster_core::exercise::ExpectedRow>(),
        declaration::<muster_core::exercise::TakenSource>(),
        declaration::<muster_core::exercise::TakenStatus>(),
        declaration::<muster_core::exercise::TakenRow>(),
        declaration::<muster_core::exercise::MeasuredTarget>(),
        declaration::<muster_core::exercise::ReadBack>(),
        declaration::<muster_core::exercise::MeasuredTime>(),
        declaration::<muster_core::exercise::ExerciseView>(),
        declaration::<muster_core::exercise::IncidentPhase>(),
        declaration::<muster_core::exercise::ParticipantView>(),
        declaration::<muster_core::exercise::ParticipantScenario>(),
        declaration::<muster_core::exercise::RevealedInject>(),
        declaration::<muster_core::exercise::Readiness>(),
        declaration::<muster_core::exercise::IssueExercised>(),
        declaration::<muster_core::exercise::TrendPoint>(),
        declaration::<muster_core::exercise::IncidentFigures>(),
        declaration::<muster_core::exercise::ProgrammeReminder>(),
        declaration::<muster_core::ops::report::ReportSaved>(),
        declaration::<crate::decisions::KeychainState>(),
        declaration::<crate::decisions::SigningKeyStatus>(),
        declaration::<crate::decisions::SignOutcome>(),
        declaration::<muster_core::ops::decision_file::ImportedFile>(),
        declaration::<crate::notifier::NotificationStatus>(),
        declaration::<crate::commands::Profile>(),
        declaration::<muster_core::ops::folder::FolderPreview>(),
        declaration::<crate::plan_folder::LinkedFolder>(),
        declaration::<muster_core::ops::contacts::ContactsPreview>(),
        declaration::<muster_core::export::contacts_csv::CsvPreview>(),
        declaration::<muster_core::export::contacts_csv::ColumnMapping>(),
        declaration::<muster_core::export::contacts_csv::MappedColumn>(),
        declaration::<muster_core::export::contacts_csv::Field>(),
        declaration::<muster_core::export::ImportedContact>(),
        declaration::<muster_core::export::Team>(),
        declaration::<muster_core::ops::exports::ExportKind>(),
        declaration::<muster_core::ops::exports::IncidentFormat>(),
        declaration::<muster_core::ops::report::ReportFormat>(),
        declaration::<muster_core::ErrorCode>(),
        declaration::<crate::error::IpcError>(),
        declaration::<crate::commands::AppInfo>(),
        declaration::<muster_core::store::TeamProfile>(),
        declaration::<muster_core::store::Heard>(),
        declaration::<muster_core::store::TeamStatus>(),
        declaration::<crate::team::Transport>(),
        declaration::<crate::team_link::QuarantinedFile>(),
        declaration::<crate::team_link::LinkState>(),
        declaration::<crate::team_link::TeamView>(),
        declaration::<crate::alert_link::AlertReceiverView>(),
        declaration::<muster_core::alert::Taken>(),
        declaration::<muster_core::store::CommandStatus>(),
        declaration::<muster_core::ops::send::TargetKind>(),
        declaration::<muster_core::ops::send::TargetSecret>(),
        declaration::<muster_core::ops::send::UpdateTarget>(),
        declaration::<muster_core::store::RosterVersionView>(),
        declaration::<muster_core::store::RosterAsideView>(),
        declaration::<muster_core::store::RosterView>(),
    ] {
        out.push_str(&decl);
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn types_are_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TYPES_FILE);
    let expected = generated_types();
    if std::env::var_os("MUSTER_BLESS").is_some() {
        std::fs::write(&path, &expected)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{TYPES_FILE} is stale: the Rust types changed. Run `MUSTER_BLESS=1 cargo test -p muster types_are_fresh` and commit the file"
    );
}

// ---- security baseline ----------------------------------------------------

#[test]
fn the_security_baseline_holds() {
    let conf: Value = serde_json::from_str(include_str!("../../tauri.conf.json"))
        .unwrap_or_else(|e| panic!("tauri.conf.json: {e}"));
    let security = &conf["app"]["security"];
    let csp = &security["csp"];
    assert_eq!(csp["script-src"], json!("'self'"));
    assert_eq!(csp["style-src"], json!("'self'"));
    assert_eq!(csp["default-src"], json!("'self'"));
    assert_eq!(csp["object-src"], json!("'none'"));
    let policy = csp.to_string();
    for forbidden in ["unsafe-inline", "unsafe-eval", "http:", "https:", "*"] {
        // The IPC origin is the one http URL allowed, and only in connect-src.
        let without_ipc = policy.replace("http://ipc.localhost", "");
        assert!(
            !without_ipc.contains(forbidden),
            "the CSP allows {forbidden}: {policy}"
        );
    }
    assert_eq!(conf["app"]["withGlobalTauri"], json!(false));

    let manifest = include_str!("../../Cargo.toml");
    assert!(
        !manifest.contains("tauri-plugin"),
        "the app must not pull in Tauri plugins"
    );

    let capability: Value = serde_json::from_str(include_str!("../capabilities/default.json"))
        .unwrap_or_else(|e| panic!("capability: {e}"));
    // Each of the app's own commands, and listening to its change events; nothing else.
    let mut expected: Vec<String> = crate::contract::COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert!(expected.len() >= 12, "{expected:?}");
    expected.extend([
        "core:event:allow-listen".to_owned(),
        "core:event:allow-unlisten".to_owned(),
    ]);
    assert_eq!(capability["permissions"], json!(expected));
    assert_eq!(capability["windows"], json!(["main"]));
    // The projector's window: the exercise's revealed situation and events only.
    let participant: Value = serde_json::from_str(include_str!("../capabilities/participant.json"))
        .unwrap_or_else(|e| panic!("participant capability: {e}"));
    assert_eq!(participant["windows"], json!(["participant"]));
    assert_eq!(
        participant["permissions"],
        json!([
            "allow-participant-view",
            "core:event:allow-listen",
            "core:event:allow-unlisten"
        ])
    );
}
