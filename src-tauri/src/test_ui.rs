//! The shell's shared test helpers: a window on the mock runtime with the
//! app's real context and capabilities, and a way to call its commands
//! through IPC as the webview would; a notifier that counts instead of
//! talking to D-Bus; a temporary folder; and a wait on an observable
//! condition.

use std::path::Path;
use std::sync::{Arc, Mutex};

use muster_core::deadline::DueItem;
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, WebviewWindow, WebviewWindowBuilder};

use crate::notifier::{Note, Notifier, OnAction};

/// A temporary folder, removed when dropped.
pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Waits until `ready` holds, for up to ten seconds, polling it.
pub fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !ready() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

pub struct Ui {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}
impl Ui {
    pub fn open(data_dir: &Path) -> Ui {
        Ui::with_notifier(data_dir, Arc::new(MockNotifier::default()))
    }

    /// An app raising its notifications through `notifier`.
    pub fn with_notifier(data_dir: &Path, notifier: Arc<MockNotifier>) -> Ui {
        let app = crate::setup(mock_builder(), data_dir.to_owned(), notifier, None)
            .build(tauri::generate_context!(test = true))
            .unwrap_or_else(|e| panic!("mock app: {e}"));
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap_or_else(|e| panic!("mock window: {e}"));
        crate::start(app.handle());
        Ui { app, window }
    }

    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost"
                .parse()
                .unwrap_or_else(|e| panic!("url: {e}")),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|b| {
            b.deserialize::<Value>()
                .unwrap_or_else(|e| panic!("not JSON: {e}"))
        })
    }

    /// Waits until the scheduler has finished a pass since the last change,
    /// so what it would raise has been raised.
    pub fn scheduler_settled(&self) {
        use tauri::Manager;
        let scheduler = self.app.state::<crate::scheduler::Scheduler>();
        eventually("the scheduler's pass after the last change", || {
            scheduler.settled()
        });
    }

    /// The app, to reach its managed state.
    pub fn app(&self) -> &App<MockRuntime> {
        &self.app
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Every payload of `event` sent to the UI from now on.
    pub fn events(&self, event: &str) -> Arc<Mutex<Vec<Value>>> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        self.app.listen_any(event, move |e| {
            let payload = serde_json::from_str(e.payload()).unwrap_or(Value::Null);
            if let Ok(mut seen) = sink.lock() {
                seen.push(payload);
            }
        });
        seen
    }
}

/// A notifier that keeps what it was asked to show. It answers the probe
/// with `probe` and fails every notification while `fail_with` says why.
#[derive(Default)]
pub struct MockNotifier {
    probe: Option<Result<String, String>>,
    failure: Mutex<Option<String>>,
    shown: Mutex<Vec<DueItem>>,
    /// When each item was shown (the wall clock at the call).
    shown_at: Mutex<Vec<chrono::DateTime<chrono::Utc>>>,
    notes: Mutex<Vec<Note>>,
    opens: Mutex<Vec<OnAction>>,
    withdrawn: Mutex<Vec<String>>,
}

impl std::fmt::Debug for MockNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockNotifier").finish_non_exhaustive()
    }
}

impl MockNotifier {
    pub fn answering(probe: Result<String, String>) -> MockNotifier {
        MockNotifier {
            probe: Some(probe),
            ..MockNotifier::default()
        }
    }

    pub fn fail_with(&self, why: Option<&str>) {
        if let Ok(mut failure) = self.failure.lock() {
            *failure = why.map(str::to_owned);
        }
    }

    /// Every item shown, in order.
    pub fn shown(&self) -> Vec<DueItem> {
        self.shown.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Every item shown with the wall-clock time of the call, in order.
    pub fn shown_with_times(&self) -> Vec<(DueItem, chrono::DateTime<chrono::Utc>)> {
        let shown = self.shown();
        let at = self.shown_at.lock().map(|s| s.clone()).unwrap_or_default();
        shown.into_iter().zip(at).collect()
    }

    /// Every key withdrawn, in order.
    pub fn withdrawn(&self) -> Vec<String> {
        self.withdrawn.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Every note shown (approvals waiting), in order.
    pub fn notes(&self) -> Vec<Note> {
        self.notes.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Chooses "Open" on the latest notification; false if there is none.
    pub fn click_open(&self) -> bool {
        self.choose(crate::notifier::Choice::Open)
    }

    /// Chooses `choice` on the latest notification; false if there is none.
    pub fn choose(&self, choice: crate::notifier::Choice) -> bool {
        let open = self.opens.lock().ok().and_then(|mut o| o.pop());
        open.map(|open| open(choice)).is_some()
    }
}

impl Notifier for MockNotifier {
    fn probe(&self) -> Result<String, String> {
        self.probe
            .clone()
            .unwrap_or_else(|| Ok("mock notifications 1.0".to_owned()))
    }

    fn show(&self, item: &DueItem, open: OnAction) -> Result<(), String> {
        if let Some(why) = self.failure.lock().ok().and_then(|f| f.clone()) {
            return Err(why);
        }
        let at = chrono::Utc::now();
        if let (Ok(mut shown), Ok(mut shown_at)) = (self.shown.lock(), self.shown_at.lock()) {
            shown.push(item.clone());
            shown_at.push(at);
        }
        if let Ok(mut opens) = self.opens.lock() {
            opens.push(open);
        }
        Ok(())
    }

    fn withdraw(&self, key: &str) -> Result<(), String> {
        if let Ok(mut withdrawn) = self.withdrawn.lock() {
            withdrawn.push(key.to_owned());
        }
        Ok(())
    }

    fn show_note(&self, note: &Note, open: OnAction) -> Result<(), String> {
        if let Some(why) = self.failure.lock().ok().and_then(|f| f.clone()) {
            return Err(why);
        }
        if let Ok(mut notes) = self.notes.lock() {
            notes.push(note.clone());
        }
        if let Ok(mut opens) = self.opens.lock() {
            opens.push(open);
        }
        Ok(())
    }
}
