//! A window on the mock runtime with the app's real context and
//! capabilities, and a way to call its commands through IPC as the webview
//! would. For the shell's unit tests.

use std::path::Path;

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

pub struct Ui {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}
impl Ui {
    pub fn open(data_dir: &Path) -> Ui {
        let app = crate::setup(mock_builder(), data_dir.to_owned())
            .build(tauri::generate_context!(test = true))
            .unwrap_or_else(|e| panic!("mock app: {e}"));
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap_or_else(|e| panic!("mock window: {e}"));
        Ui { _app: app, window }
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

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}
