//! The error the UI receives from every command: `{code, message, problems}`,
//! with the code drawn from core's closed [`ErrorCode`] set so the UI branches
//! on codes, never on text.

use muster_core::plan::Problem;
use muster_core::{Error, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// For `invalidInput`: each problem with its location, so the form can
    /// show core's own message beside the field.
    pub problems: Vec<Problem>,
}

impl IpcError {
    pub fn internal(message: impl Into<String>) -> IpcError {
        IpcError {
            code: ErrorCode::Internal,
            message: message.into(),
            problems: Vec::new(),
        }
    }
}

impl From<Error> for IpcError {
    fn from(error: Error) -> IpcError {
        let code = error.code();
        let message = error.to_string();
        let problems = match error {
            Error::InvalidPlan(problems) | Error::Invalid { problems, .. } => problems,
            _ => Vec::new(),
        };
        IpcError {
            code,
            message,
            problems,
        }
    }
}
