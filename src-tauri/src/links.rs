//! Links leave the app through the OS, never through its windows. A guard
//! on every webview lets it navigate only within the app itself; a link to
//! the web, a mail address or a phone number (`http`, `https`, `mailto`,
//! `tel`) is handed to the OS's handler instead (`xdg-open` on Linux, `open`
//! on macOS, `start` on Windows), and anything else (`file:`, `data:`,
//! `javascript:`, an unknown scheme) goes nowhere. Whatever a plan's text or
//! a link contains, the window stays on the app.
//!
//! An inline plugin of the app's own (no plugin crate), so it guards every
//! window, the projector's too.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// Where a navigation may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The app's own pages: the window goes there.
    App,
    /// A link for the OS's handler; the window stays.
    External,
    /// Nowhere.
    Refused,
}

/// Where `url` may go. The app is served from `tauri://localhost`
/// (`http://tauri.localhost` on Windows); a debug build also from the Vite
/// dev server on localhost.
pub fn route(url: &Url) -> Route {
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "tauri" => Route::App,
        "http" | "https" if host == "tauri.localhost" => Route::App,
        "http" if cfg!(debug_assertions) && host == "localhost" && url.port() == Some(5173) => {
            Route::App
        }
        "http" | "https" if !host.is_empty() => Route::External,
        "mailto" | "tel" if !url.path().is_empty() => Route::External,
        _ => Route::Refused,
    }
}

/// Hands `url` to the OS's handler for its scheme, without waiting for it.
pub fn open_externally(url: &Url) -> std::io::Result<()> {
    let text = url.as_str();
    #[cfg(target_os = "linux")]
    let mut command = std::process::Command::new("xdg-open");
    #[cfg(target_os = "linux")]
    command.arg(text);
    #[cfg(target_os = "macos")]
    let mut command = std::process::Command::new("open");
    #[cfg(target_os = "macos")]
    command.arg(text);
    #[cfg(target_os = "windows")]
    let mut command = std::process::Command::new("cmd");
    #[cfg(target_os = "windows")]
    command.args(["/C", "start", "", text]);
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()?;
    // Reaped on a thread of its own, so no zombie is left behind.
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// The guard, as a plugin for the builder.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("link-guard")
        .on_navigation(|_, url| match route(url) {
            Route::App => true,
            Route::External => {
                if let Err(e) = open_externally(url) {
                    eprintln!("muster: cannot open {url}: {e}");
                }
                false
            }
            Route::Refused => {
                eprintln!("muster: a link to {url} was not followed: only web, mail and phone links open, outside the app");
                false
            }
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route_of(text: &str) -> Route {
        route(&Url::parse(text).unwrap())
    }

    #[test]
    fn only_the_app_stays_in_the_window_and_only_web_mail_and_phone_leave_it() {
        for (url, expected) in [
            ("tauri://localhost/index.html#/issues", Route::App),
            ("http://tauri.localhost/#/incidents", Route::App),
            ("https://example.com/status?x=1", Route::External),
            ("http://10.0.0.7:3000/grafana", Route::External),
            ("mailto:ada@example.com?subject=INC-1", Route::External),
            ("tel:+15550142", Route::External),
            ("file:///etc/passwd", Route::Refused),
            ("javascript:alert(1)", Route::Refused),
            ("data:text/html,<h1>x</h1>", Route::Refused),
            ("about:blank", Route::Refused),
            ("ssh://attacker.example", Route::Refused),
            ("mailto:", Route::Refused),
        ] {
            assert_eq!(route_of(url), expected, "{url}");
        }
        // The dev server only in a debug build, and only its own port.
        let dev = route_of("http://localhost:5173/");
        assert_eq!(dev == Route::App, cfg!(debug_assertions));
        assert_eq!(route_of("http://localhost:8080/"), Route::External);
    }
}
