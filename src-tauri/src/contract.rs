//! The IPC contract from one table: every command with its arguments and
//! result (`src-tauri/contract.rs`, shared with build.rs) and the event names
//! (`events.rs`). From them come the capability file's grants and
//! `ui/src/lib/api/contract.gen.ts`: the command names, each command's
//! argument and result types (through ts-rs, from the Rust types themselves)
//! and the event names. `ui/src/lib/api` calls every command through that
//! map, so a wrapper that passes other arguments or expects another result
//! than the Rust function fails the type check. `contract_is_fresh` fails when
//! a generated file is stale (`MUSTER_BLESS=1 cargo test -p muster
//! contract_is_fresh` rewrites them); `contract_matches_the_command_functions`
//! when the table and the functions disagree.

use std::sync::Arc;

use muster_core::deadline::Agenda;
use muster_core::decision::{Answer, DecisionStatus};
use muster_core::exercise::{
    Exercise, ExerciseAction, ExerciseSetup, ExerciseSummary, ExerciseView, Finding,
    ParticipantView, Readiness, Scenario,
};
use muster_core::export::contacts_csv::ColumnMapping;
use muster_core::export::Team;
use muster_core::incident::timeline::TimelineEntry;
use muster_core::incident::view::IncidentView;
use muster_core::incident::{
    Declaration, IncidentAction, IncidentSummary, Phase, Recipient, ResponseFigures,
};
use muster_core::ops::contacts::ContactsPreview;
use muster_core::ops::decision_file::ImportedFile;
use muster_core::ops::exports::{ExportKind, IncidentFormat};
use muster_core::ops::folder::FolderPreview;
use muster_core::ops::report::{ReportFormat, ReportSaved};
use muster_core::plan::check::Gap;
use muster_core::plan::edit::PlanEdit;
use muster_core::plan::oncall::OnCallNow;
use muster_core::plan::{Audience, Id, Plan, PlanOutline, Problem, Section};
use muster_core::search::SearchHit;
use muster_core::store::backup::BackupInfo;
use muster_core::store::{CommandStatus, DiffEntry, PostMortem, RevisionInfo, RosterView};
use muster_core::team::plan_ops::PlanConflict;
use ts_rs::TS;

use crate::alert_link::AlertReceiverView;
use crate::commands::{AppInfo, Profile};
use crate::decisions::{SignOutcome, SigningKeyStatus};
use crate::events;
use crate::notifier::NotificationStatus;
use crate::plan_folder::LinkedFolder;
use crate::team_link::TeamView;
use muster_core::ops::send::{TargetKind, TargetSecret, UpdateTarget};

include!("../contract.rs");

/// One command as the table declares it: its name, each argument's name
/// and Rust type, and its result's Rust type (as written), with the
/// TypeScript of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub name: &'static str,
    /// `(name, Rust type, TypeScript type)`.
    pub args: Vec<(&'static str, &'static str, String)>,
    /// `(Rust type, TypeScript type)`.
    pub result: (&'static str, String),
}

/// A Rust type's TypeScript, as ts-rs names it. JSON carries 64-bit integers
/// as numbers, which is how the window sends and reads them.
fn ts<T: TS + ?Sized>() -> String {
    T::name().replace("bigint", "number")
}

macro_rules! table {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $result:ty;)*) => {
        /// Every IPC command of the app.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Every command's signature, in the table's order.
        pub fn signatures() -> Vec<Signature> {
            vec![$(Signature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), stringify!($ty), ts::<$ty>())),*],
                result: (stringify!($result), ts::<$result>()),
            }),*]
        }
    };
}
contract!(table);

/// The capability file, relative to the repository root.
pub const CAPABILITY_FILE: &str = "src-tauri/capabilities/default.json";
/// The generated TypeScript, relative to the repository root.
pub const TYPESCRIPT_FILE: &str = "ui/src/lib/api/contract.gen.ts";

/// The grants beyond the app's own commands: listening to its events.
const EVENT_GRANTS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

/// The default capability: both windows may call every command in the
/// table and listen to events, nothing else.
pub fn capability() -> String {
    capability_file(
        "default",
        "The main window may call Muster's own commands and listen to its events, nothing else: no shell, fs or http plugins, no window or webview APIs.",
        "main",
        COMMANDS,
    )
}

/// Where the participants' window's capability is.
pub const PARTICIPANT_CAPABILITY_FILE: &str = "src-tauri/capabilities/participant.json";

/// The commands the participants' window (the projector) may call: it
/// shows one exercise's revealed situation, nothing else.
pub const PARTICIPANT_COMMANDS: &[&str] = &["participant_view"];

/// The participants' window's capability file, generated from the table.
pub fn participant_capability() -> String {
    capability_file(
        "participant",
        "The participants' window (the projector) may read the running exercise's revealed situation and listen to Muster's events, nothing else.",
        "participant",
        PARTICIPANT_COMMANDS,
    )
}

/// A capability granting `window` the `commands` and listening to events.
fn capability_file(identifier: &str, what: &str, window: &str, commands: &[&str]) -> String {
    let mut grants: Vec<String> = commands
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    grants.extend(EVENT_GRANTS.iter().map(|g| (*g).to_owned()));
    let value = serde_json::json!({
        "$schema": "../../gen/schemas/desktop-schema.json",
        "identifier": identifier,
        "description": format!("{what} Generated from src-tauri/contract.rs by `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`"),
        "windows": [window],
        "permissions": grants,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Where Tauri's isolation application (see `tauri.conf.json`) is.
pub const ISOLATION_FILE: &str = "isolation/index.js";

/// The IPC commands a window may send besides the app's own: listening to
/// its change events.
const EVENT_COMMANDS: &[&str] = &["plugin:event|listen", "plugin:event|unlisten"];

/// The isolation application's script. Every IPC message of a window passes
/// through it, in a sandboxed frame, before it reaches the Rust side: only
/// the app's own commands and listening to its events pass; anything else
/// (a plugin's command, whatever a script that got into the page tries) is
/// turned into a command that does not exist, which Tauri refuses.
pub fn isolation() -> String {
    let allowed: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .chain(EVENT_COMMANDS.iter().copied())
        .collect();
    let list = serde_json::to_string_pretty(&allowed).unwrap_or_default();
    format!(
        "// Muster's isolation application: every IPC message of a window passes here, in a\n\
         // sandboxed frame, before it reaches the Rust side. Only Muster's own commands and\n\
         // listening to its events pass; anything else becomes a command that does not exist.\n\
         // Generated from src-tauri/contract.rs by `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`.\n\
         const ALLOWED = new Set({list});\n\
         \n\
         window.__TAURI_ISOLATION_HOOK__ = (payload) => {{\n\
         \x20 if (payload !== null && typeof payload === 'object' && ALLOWED.has(payload.cmd)) {{\n\
         \x20   return payload;\n\
         \x20 }}\n\
         \x20 return {{ ...payload, cmd: 'refused by Muster\\'s isolation' }};\n\
         }};\n"
    )
}

/// `expires_in_minutes` → `expiresInMinutes`: how the window names an
/// argument (Tauri maps it back to the Rust name).
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The names of the generated types a TypeScript type refers to.
fn type_names(ts: &str, into: &mut std::collections::BTreeSet<String>) {
    for word in ts.split(|c: char| !c.is_ascii_alphanumeric() && c != '_') {
        if word.starts_with(|c: char| c.is_ascii_uppercase())
            && !["Array", "Record"].contains(&word)
        {
            into.insert(word.to_owned());
        }
    }
}

/// The TypeScript side of the contract.
pub fn typescript() -> String {
    let signatures = signatures();
    let mut used = std::collections::BTreeSet::new();
    for s in &signatures {
        for (_, _, ts) in &s.args {
            type_names(ts, &mut used);
        }
        type_names(&s.result.1, &mut used);
    }
    let mut out = String::from(
        "// Generated from src-tauri/contract.rs and src-tauri/src/events.rs; do not edit.\n\
         // Regenerate with `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`.\n\n",
    );
    out.push_str("import type {\n");
    for name in &used {
        out.push_str(&format!("  {name},\n"));
    }
    out.push_str("} from './types.gen';\n\n/** Every IPC command of the app. */\nexport const COMMANDS = [\n");
    for c in COMMANDS {
        out.push_str(&format!("  '{c}',\n"));
    }
    out.push_str(
        "] as const;\n\n/** The name of an IPC command. */\nexport type Command = (typeof COMMANDS)[number];\n\n\
         /** Each command's arguments (as the window names them) and result, from the Rust types. */\n\
         export type Commands = {\n",
    );
    for s in &signatures {
        let args = if s.args.is_empty() {
            "null".to_owned()
        } else {
            let fields: Vec<String> = s
                .args
                .iter()
                .map(|(name, _, ts)| format!("{}: {ts}", camel(name)))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        // A command that answers nothing (`()`) resolves to nothing of use.
        let result = if s.result.0 == "()" {
            "void"
        } else {
            &s.result.1
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; result: {result} }};\n",
            s.name
        ));
    }
    out.push_str(
        "};\n\n/** The events the shell sends to the window. */\nexport const EVENTS = {\n",
    );
    for (name, event) in events::ALL {
        out.push_str(&format!("  {name}: '{event}',\n"));
    }
    out.push_str("} as const;\n\n/** The name of an event the shell sends. */\nexport type EventName = (typeof EVENTS)[keyof typeof EVENTS];\n");
    out
}
