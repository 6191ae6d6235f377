//! Desktop notifications through notify-rust, and what the app knows about
//! the notification service (so Settings can say why alerts stay in the window).

use serde::Serialize;
use ts_rs::TS;

/// Whether desktop notifications reach a notification service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationStatus {
    /// False once a notification failed to reach a service (until one succeeds).
    pub available: bool,
    /// The service's name and version, or why notifications cannot be shown.
    pub detail: String,
}
