//! The IPC contract from one table: the command names (`src-tauri/contract.rs`,
//! shared with build.rs) and the event names (`events.rs`). From them come the
//! capability file's grants and `ui/src/lib/api/contract.gen.ts`, the
//! TypeScript union of command names and the event names the window listens
//! to, so a command or event spelled differently on one side fails a type
//! check or a test. `contract_is_fresh` fails when a generated file is stale
//! (`MUSTER_BLESS=1 cargo test -p muster contract_is_fresh` rewrites them).

include!("../contract.rs");

use crate::events;

/// The capability file, relative to the repository root.
pub const CAPABILITY_FILE: &str = "src-tauri/capabilities/default.json";
/// The generated TypeScript, relative to the repository root.
pub const TYPESCRIPT_FILE: &str = "ui/src/lib/api/contract.gen.ts";

/// The grants beyond the app's own commands: listening to its events.
const EVENT_GRANTS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

/// The default capability: both windows may call every command in the
/// table and listen to events, nothing else.
pub fn capability() -> String {
    let mut grants: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    grants.extend(EVENT_GRANTS.iter().map(|g| (*g).to_owned()));
    let value = serde_json::json!({
        "$schema": "../../gen/schemas/desktop-schema.json",
        "identifier": "default",
        "description": "The main window and the participants' window (the projector) may call Muster's own commands and listen to its events, nothing else: no shell, fs or http plugins, no window or webview APIs. Generated from src-tauri/contract.rs by `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`",
        "windows": ["main", "participant"],
        "permissions": grants,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The TypeScript side of the contract.
pub fn typescript() -> String {
    let mut out = String::from(
        "// Generated from src-tauri/contract.rs and src-tauri/src/events.rs; do not edit.\n\
         // Regenerate with `MUSTER_BLESS=1 cargo test -p muster contract_is_fresh`.\n\n\
         /** Every IPC command of the app. */\nexport const COMMANDS = [\n",
    );
    for c in COMMANDS {
        out.push_str(&format!("  '{c}',\n"));
    }
    out.push_str(
        "] as const;\n\n/** The name of an IPC command. */\nexport type Command = (typeof COMMANDS)[number];\n\n\
         /** The events the shell sends to the window. */\nexport const EVENTS = {\n",
    );
    for (name, event) in events::ALL {
        out.push_str(&format!("  {name}: '{event}',\n"));
    }
    out.push_str("} as const;\n\n/** The name of an event the shell sends. */\nexport type EventName = (typeof EVENTS)[keyof typeof EVENTS];\n");
    out
}
