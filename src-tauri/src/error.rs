//! The error the UI receives from every command: `{code, message}`, with the
//! code drawn from core's closed [`ErrorCode`] set so the UI branches on codes.

use muster_core::{Error, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    pub fn internal(message: impl Into<String>) -> IpcError {
        IpcError {
            code: ErrorCode::Internal,
            message: message.into(),
        }
    }
}

impl From<Error> for IpcError {
    fn from(error: Error) -> IpcError {
        IpcError {
            code: error.code(),
            message: error.to_string(),
        }
    }
}
