//! Decision files carried by hand between laptops: a request file (to sign
//! it here) or a signature file (for a request made here), told apart by
//! their first line, refused when oversized, and taken into the store. The
//! window's import dialog and `muster decision import` call [`import`].

use std::io::Read;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use crate::clock::Clock;
use crate::decision::DecisionStatus;
use crate::error::{Error, Result};
use crate::store::Store;

/// The first line of a request file and of a signature file.
pub const REQUEST_HEADER: &str = "Muster decision request v1";
pub const SIGNATURE_HEADER: &str = "Muster decision signature v1";

/// The largest decision file read (a request or a signature is a few
/// kilobytes).
pub const MAX_FILE: u64 = 1 << 20;

/// Which kind of decision file was imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    Request,
    Signature,
}

/// A request or signature file taken in, and the decision it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedFile {
    #[ts(inline)]
    pub kind: FileKind,
    pub status: DecisionStatus,
}

/// Reads a request or signature file, telling which it is by its first line.
pub fn read(path: &Path) -> Result<(FileKind, Vec<u8>)> {
    let shown = path.display();
    let cannot = |e: std::io::Error| Error::Unavailable(format!("cannot read {shown}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > MAX_FILE {
        return Err(Error::Refused(format!(
            "{shown} is {size} bytes: a decision request or signature file is a few kilobytes; choose the file Muster wrote"
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    match kind(&bytes) {
        Some(kind) => Ok((kind, bytes)),
        None => Err(Error::Refused(format!(
            "{shown} is neither a decision request (its first line would be “{REQUEST_HEADER}”) nor a signature file (“{SIGNATURE_HEADER}”)"
        ))),
    }
}

/// A request file starts with its header line, a signature file with its own.
pub fn kind(bytes: &[u8]) -> Option<FileKind> {
    let start = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let line = start.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line == REQUEST_HEADER.as_bytes() {
        Some(FileKind::Request)
    } else if line == SIGNATURE_HEADER.as_bytes() {
        Some(FileKind::Signature)
    } else {
        None
    }
}

/// Takes in the decision file at `path`: a request is stored to be signed
/// here; a signature is counted on the request it answers. Errors name the
/// file.
pub fn import(store: &mut Store, path: &Path, clock: &dyn Clock) -> Result<ImportedFile> {
    let (kind, bytes) = read(path)?;
    let in_file = |e: Error| match e {
        Error::Refused(message) => Error::Refused(format!("{}: {message}", path.display())),
        other => other,
    };
    let status = match kind {
        FileKind::Request => {
            let request = store.import_request(&bytes, clock).map_err(in_file)?;
            store.decision_status(&request.id, clock)?
        }
        FileKind::Signature => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::Refused(format!(
                    "{}: this signature file is not UTF-8 text",
                    path.display()
                ))
            })?;
            store.import_signature(&text, clock).map_err(in_file)?
        }
    };
    Ok(ImportedFile { kind, status })
}
