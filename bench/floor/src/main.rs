//! The floor app: what any Tauri 2 app with a window, a tray icon and a
//! static page costs to launch, for `scripts/bench-app.py` to compare
//! Muster against. See Cargo.toml.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use tauri::tray::TrayIconBuilder;

/// The page drew its heading: the time (ms since the Unix epoch) goes to
/// the file named by `MUSTER_PAINT_MARK`, as Muster's own command does.
#[tauri::command]
fn mark_painted() {
    if let Some(path) = std::env::var_os("MUSTER_PAINT_MARK") {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let _ = std::fs::write(path, format!("{ms}\n"));
    }
}

fn main() {
    let run = tauri::Builder::default()
        .setup(|app| {
            let mut tray = TrayIconBuilder::with_id("floor").tooltip("Muster floor");
            if let Some(icon) = app.default_window_icon() {
                tray = tray.icon(icon.clone());
            }
            tray.build(app)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![mark_painted])
        .run(tauri::generate_context!());
    if let Err(e) = run {
        eprintln!("muster-floor: {e}");
        std::process::exit(1);
    }
}
