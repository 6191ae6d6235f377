//! Several files in one fuzz input, for the readers that take a folder
//! (a plan folder, an approval bundle, the team folder).
//!
//! The format is plain text so that libFuzzer's mutations (and a person
//! reading a seed) work on it directly. Each file is a header line
//! `=== NAME` followed by its bytes and one line break:
//!
//! ```text
//! === plan.toml
//! format = 1
//! ...
//! === procedures/rpc-down.toml
//! ...
//! ```
//!
//! A file's bytes run to the line break before the next header (a line
//! that starts with `=== `), or to the end of the input minus one final
//! line break. Bytes before the first header are ignored.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// What starts a header line.
pub const HEADER: &[u8] = b"=== ";

/// The most files one input makes; the rest are ignored.
pub const MAX_FILES: usize = 64;

/// One file of an input: its name as the header gives it, and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct File<'a> {
    pub name: &'a [u8],
    pub bytes: &'a [u8],
}

/// The files of `data`, in order (see the module's format).
pub fn decode(data: &[u8]) -> Vec<File<'_>> {
    let mut starts = Vec::new();
    if data.starts_with(HEADER) {
        starts.push(0);
    }
    for (i, b) in data.iter().enumerate() {
        if *b == b'\n' && data[i + 1..].starts_with(HEADER) {
            starts.push(i + 1);
        }
        if starts.len() == MAX_FILES {
            break;
        }
    }
    let mut files = Vec::with_capacity(starts.len());
    for (n, &start) in starts.iter().enumerate() {
        let header = &data[start + HEADER.len()..];
        let (name, body_start) = match header.iter().position(|b| *b == b'\n') {
            Some(end) => (&header[..end], start + HEADER.len() + end + 1),
            None => (header, data.len()),
        };
        let body_end = match starts.get(n + 1) {
            // The line break before the next header separates; it is not content.
            Some(&next) => next - 1,
            None if data.ends_with(b"\n") => data.len() - 1,
            None => data.len(),
        };
        let bytes = data.get(body_start..body_end).unwrap_or_default();
        files.push(File { name, bytes });
    }
    files
}

/// The input holding `files` (name, bytes), for writing seeds. Panics on a
/// file that could not be read back as it is (a line inside it that starts
/// like a header).
pub fn encode(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        assert!(
            !name.contains('\n') && !bytes.starts_with(HEADER) && !contains(bytes, b"\n=== "),
            "{name} cannot be encoded"
        );
        out.extend_from_slice(HEADER);
        out.extend_from_slice(name.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(bytes);
        out.push(b'\n');
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A header's name as a relative path of at most `depth` parts, or `None`
/// for a name that could leave the folder or that no file can have (`..`,
/// an absolute path, an empty part, NUL or another control character).
pub fn safe_path(name: &[u8], depth: usize) -> Option<PathBuf> {
    let name = std::str::from_utf8(name).ok()?;
    let name = name.strip_suffix('\r').unwrap_or(name);
    if name.is_empty() || name.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let parts: Vec<&str> = name.split('/').collect();
    if parts.len() > depth || parts.iter().any(|p| p.is_empty() || p.len() > 200) {
        return None;
    }
    let path = PathBuf::from(name);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && path.components().count() == parts.len()).then_some(path)
}

/// Writes `bytes` at `relative` under `dir`, making its folders. A file
/// that cannot be written (its folder is a file the input made) is left
/// out: that is a folder the input described, not a fault.
pub fn put(dir: &Path, relative: &Path, bytes: &[u8]) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        if fs::create_dir_all(parent).is_err() {
            return;
        }
    }
    let _ = fs::write(&path, bytes);
}

/// Writes every file of `data` whose name is a safe path of at most
/// `depth` parts into `dir` (later files of one name replace earlier ones).
pub fn write_all(dir: &Path, data: &[u8], depth: usize) {
    for file in decode(data) {
        if let Some(relative) = safe_path(file.name, depth) {
            put(dir, &relative, file.bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_files_decode_as_they_were() {
        let files: [(&str, &[u8]); 4] = [
            ("a.toml", b"x = 1\n"),
            ("empty", b""),
            ("procedures/b.toml", b"no final line break"),
            ("c", b"\n\n"),
        ];
        let input = encode(&files);
        let decoded = decode(&input);
        let back: Vec<(&[u8], &[u8])> = decoded.iter().map(|f| (f.name, f.bytes)).collect();
        let expected: Vec<(&[u8], &[u8])> = files.iter().map(|(n, b)| (n.as_bytes(), *b)).collect();
        assert_eq!(back, expected);
    }

    #[test]
    fn only_plain_relative_names_are_written() {
        assert!(safe_path(b"plan.toml", 1).is_some());
        assert!(safe_path(b"procedures/x.toml", 2).is_some());
        for bad in [
            &b"../x"[..],
            b"/etc/passwd",
            b"a//b",
            b".",
            b"a/..",
            b"",
            b"a\0b",
        ] {
            assert_eq!(safe_path(bad, 2), None, "{bad:?}");
        }
        assert_eq!(safe_path(b"procedures/x.toml", 1), None);
    }
}
