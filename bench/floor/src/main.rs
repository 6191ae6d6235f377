//! The floor app: what any Tauri 2 app with a window, a tray icon and a
//! static page costs to launch, for `scripts/bench-app.py` to compare
//! Muster against. See Cargo.toml.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use tauri::tray::TrayIconBuilder;

/// The page drew its heading: the time (ms since the Unix epoch) goes to
/// the file named by `MUSTER_PAINT_MARK`, then where the launch went
/// (`name epoch-ms` lines), as Muster's own command does.
#[tauri::command]
fn mark_painted(marks: Vec<(String, f64)>) {
    if let Some(path) = std::env::var_os("MUSTER_PAINT_MARK") {
        let mut text = format!("{}\n", now_ms().round());
        let backend = MARKS.lock().map(|m| m.clone()).unwrap_or_default();
        let page = marks.iter().take(32).map(|(n, at)| (n.as_str(), *at));
        for (name, at) in backend.into_iter().chain(page) {
            if name.chars().all(|c| c.is_ascii_lowercase() || c == '-') && at.is_finite() {
                text.push_str(&format!("{name} {at:.1}\n"));
            }
        }
        let _ = std::fs::write(path, text);
    }
}

static MARKS: std::sync::Mutex<Vec<(&'static str, f64)>> = std::sync::Mutex::new(Vec::new());

fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn mark(name: &'static str) {
    if std::env::var_os("MUSTER_PAINT_MARK").is_some() {
        let at = now_ms();
        if let Ok(mut marks) = MARKS.lock() {
            marks.push((name, at));
        }
    }
}

fn main() {
    mark("main");
    let run = tauri::Builder::default()
        .on_page_load(|_, payload| match payload.event() {
            tauri::webview::PageLoadEvent::Started => mark("page-start"),
            tauri::webview::PageLoadEvent::Finished => mark("page-loaded"),
        })
        .setup(|app| {
            mark("setup");
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
