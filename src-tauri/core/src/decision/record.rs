//! The bytes that are signed and the files that carry them: the request
//! record (the exact bytes every approval signs, never re-serialised), the
//! response a rejection signs, and the signature file an approver sends back.
//! Parsing is strict: a file that would not render back to the same bytes is
//! refused, naming the line.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

use super::model::{DecisionId, Verdict};
use crate::error::{Error, Result};
use crate::incident::IncidentId;
use crate::plan::Id;

/// The namespace of a real decision, inside the record and the SSHSIG.
pub const NAMESPACE: &str = "muster-decision-v1";
/// The namespace of an exercise decision: its signatures never count as real.
pub const EXERCISE_NAMESPACE: &str = "muster-exercise-decision-v1";
/// Longest statement or rejection reason, in characters.
pub const MAX_LINE: usize = 500;

const REQUEST_HEADER: &str = "Muster decision request v1";
const RESPONSE_HEADER: &str = "Muster decision response v1";
const SIGNATURE_HEADER: &str = "Muster decision signature v1";
const PEM_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const PEM_END: &str = "-----END SSH SIGNATURE-----";

/// The namespace for an incident that is, or is not, an exercise.
pub fn namespace(exercise: bool) -> &'static str {
    if exercise {
        EXERCISE_NAMESPACE
    } else {
        NAMESPACE
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A time as the record writes it: RFC 3339 in UTC, whole seconds, `Z`.
pub fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The decision id a nonce gives: `DEC-` and its first 16 hex digits.
pub fn decision_id(nonce: &[u8; 32]) -> DecisionId {
    DecisionId(format!("DEC-{}", hex(&nonce[..8])))
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks one line of free text (a statement or a reason): not blank, one
/// line, no control characters, at most [`MAX_LINE`] characters. `what`
/// names it for the message. Returns it trimmed, or what is wrong with it.
pub fn one_line(text: &str, what: &str) -> std::result::Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("the {what} is empty: write it in one line"));
    }
    if text.contains(['\n', '\r']) {
        return Err(format!(
            "the {what} has more than one line: write it in one line"
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(format!(
            "the {what} holds a control character: write it as plain text"
        ));
    }
    let count = text.chars().count();
    if count > MAX_LINE {
        return Err(format!(
            "the {what} is {count} characters long: shorten it to at most {MAX_LINE}"
        ));
    }
    Ok(text.to_owned())
}

/// [`one_line`] for a form: a problem is `Invalid`, located at `field` of
/// `section`.
pub fn one_line_at(
    text: &str,
    what: &str,
    section: &'static str,
    field: &'static str,
) -> Result<String> {
    one_line(text, what).map_err(|message| Error::Invalid {
        what: section,
        problems: vec![crate::plan::Problem::at(section, "", field, message)],
    })
}

/// A decision request's record: what every approval signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub namespace: String,
    pub decision: DecisionId,
    pub incident: IncidentId,
    pub policy: Id,
    /// Hex SHA-256 of the policy's JSON at request time.
    pub policy_version: String,
    /// Hex SHA-256 of the whole plan's JSON at request time.
    pub plan: String,
    pub statement: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub nonce: [u8; 32],
}

impl Record {
    /// The exact bytes: UTF-8, one field a line in this order, LF endings.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!(
            "{REQUEST_HEADER}\nnamespace: {}\ndecision: {}\nincident: {}\npolicy: {}\n\
             policy-version: sha256:{}\nplan: sha256:{}\nstatement: {}\ncreated: {}\n\
             expires: {}\nnonce: {}\n",
            self.namespace,
            self.decision,
            self.incident,
            self.policy,
            self.policy_version,
            self.plan,
            self.statement,
            time_text(self.created),
            time_text(self.expires),
            hex(&self.nonce),
        )
        .into_bytes()
    }

    pub fn exercise(&self) -> bool {
        self.namespace == EXERCISE_NAMESPACE
    }

    /// Reads a record, refusing anything that is not exactly what
    /// [`Record::to_bytes`] writes, with the line that is wrong.
    pub fn parse(bytes: &[u8]) -> Result<Record> {
        let bad = |line: usize, what: String| {
            Error::Refused(format!(
                "this is not a Muster decision request: line {line} {what}"
            ))
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::Refused(format!(
                "this is not a Muster decision request: it is not UTF-8 text (byte {})",
                e.valid_up_to() + 1
            ))
        })?;
        if let Some(at) = text.find('\r') {
            let line = text[..at].matches('\n').count() + 1;
            return Err(bad(
                line,
                "ends in CR LF: the request's bytes were changed (copy the file as it is)"
                    .to_owned(),
            ));
        }
        let Some(body) = text.strip_suffix('\n') else {
            return Err(Error::Refused(
                "this is not a Muster decision request: it does not end with a line break (cut short?)"
                    .to_owned(),
            ));
        };
        let lines: Vec<&str> = body.split('\n').collect();
        const KEYS: [&str; 10] = [
            "namespace",
            "decision",
            "incident",
            "policy",
            "policy-version",
            "plan",
            "statement",
            "created",
            "expires",
            "nonce",
        ];
        if lines.first() != Some(&REQUEST_HEADER) {
            return Err(bad(1, format!("should be `{REQUEST_HEADER}`")));
        }
        if lines.len() != KEYS.len() + 1 {
            return Err(Error::Refused(format!(
                "this is not a Muster decision request: it has {} lines, not {}",
                lines.len(),
                KEYS.len() + 1
            )));
        }
        let mut values = [""; 10];
        for (i, key) in KEYS.iter().enumerate() {
            let line = lines[i + 1];
            values[i] = line
                .strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(": "))
                .ok_or_else(|| bad(i + 2, format!("should start with `{key}: `")))?;
        }
        let [namespace, decision, incident, policy, policy_version, plan, statement, created, expires, nonce] =
            values;
        if namespace != NAMESPACE && namespace != EXERCISE_NAMESPACE {
            return Err(bad(
                2,
                format!("names the namespace `{namespace}`: expected `{NAMESPACE}` or `{EXERCISE_NAMESPACE}`"),
            ));
        }
        let nonce_bytes = parse_nonce(nonce).ok_or_else(|| {
            bad(
                11,
                "should hold the nonce as 64 lowercase hex digits".to_owned(),
            )
        })?;
        let expected_id = decision_id(&nonce_bytes);
        if decision != expected_id.as_str() {
            return Err(bad(
                3,
                format!(
                    "names `{decision}`, but the nonce gives `{expected_id}` (the request was altered)"
                ),
            ));
        }
        // `INC-3` on a laptop alone, `INC-7KQ2M` in a team.
        let incident_ok = incident.strip_prefix("INC-").is_some_and(|n| {
            !n.is_empty()
                && n.len() <= 12
                && n.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        });
        if !incident_ok {
            return Err(bad(
                4,
                format!("names `{incident}`, not an incident id like `INC-3` or `INC-7KQ2M`"),
            ));
        }
        let policy = Id::parse(policy).map_err(|e| bad(5, format!("names no policy id: {e}")))?;
        let hash = |line: usize, key: &str, value: &str| -> Result<String> {
            match value.strip_prefix("sha256:") {
                Some(h) if is_hex(h, 64) => Ok(h.to_owned()),
                _ => Err(bad(
                    line,
                    format!("should hold `{key}: sha256:` and 64 lowercase hex digits"),
                )),
            }
        };
        let policy_version = hash(6, "policy-version", policy_version)?;
        let plan = hash(7, "plan", plan)?;
        let checked = one_line(statement, "statement").map_err(|e| bad(8, e))?;
        if checked != statement {
            return Err(bad(8, "has blanks around the statement".to_owned()));
        }
        let time = |line: usize, key: &str, value: &str| -> Result<DateTime<Utc>> {
            DateTime::parse_from_rfc3339(value)
                .ok()
                .map(|t| t.with_timezone(&Utc))
                .filter(|t| time_text(*t) == value)
                .ok_or_else(|| {
                    bad(
                        line,
                        format!("should hold `{key}: ` and a UTC time like 2026-11-24T03:00:00Z"),
                    )
                })
        };
        let created = time(9, "created", created)?;
        let expires = time(10, "expires", expires)?;
        if expires <= created {
            return Err(bad(10, "says it expired before it was created".to_owned()));
        }
        Ok(Record {
            namespace: namespace.to_owned(),
            decision: expected_id,
            incident: IncidentId(incident.to_owned()),
            policy,
            policy_version,
            plan,
            statement: statement.to_owned(),
            created,
            expires,
            nonce: nonce_bytes,
        })
    }
}

fn parse_nonce(text: &str) -> Option<[u8; 32]> {
    if !is_hex(text, 64) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in text.as_bytes().chunks(2).enumerate() {
        let digit = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        };
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// The exact bytes a rejection signs: it names the decision and the hash of
/// its record, so it cannot be moved to another decision.
pub fn response_bytes(decision: &DecisionId, record_sha256: &str, reason: &str) -> Vec<u8> {
    format!(
        "{RESPONSE_HEADER}\ndecision: {decision}\nrecord: sha256:{record_sha256}\nverdict: reject\nreason: {reason}\n"
    )
    .into_bytes()
}

/// A signature file: the answer, the key that signed, and the armored SSHSIG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureText {
    pub decision: DecisionId,
    pub verdict: Verdict,
    /// Empty for an approval.
    pub reason: String,
    /// `ssh-ed25519 AAAA…`, as the file names it.
    pub signer_key: String,
    /// `-----BEGIN SSH SIGNATURE-----` … `-----END SSH SIGNATURE-----`, LF endings.
    pub armored: String,
}

impl SignatureText {
    pub fn render(&self) -> String {
        let reason = if self.reason.is_empty() {
            "reason:".to_owned()
        } else {
            format!("reason: {}", self.reason)
        };
        format!(
            "{SIGNATURE_HEADER}\ndecision: {}\nverdict: {}\n{reason}\nsigner-key: {}\n{}\n",
            self.decision,
            self.verdict.as_str(),
            self.signer_key,
            self.armored.trim_end()
        )
    }

    /// Reads a signature file. Line endings may have become CR LF on the way
    /// (nothing here is signed as text); everything else must be as written.
    pub fn parse(text: &str) -> Result<SignatureText> {
        let bad = |line: usize, what: String| {
            Error::Refused(format!(
                "this is not a Muster decision signature: line {line} {what}"
            ))
        };
        let lines: Vec<&str> = text
            .trim_end()
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        if lines.first().map(|l| l.trim_start_matches('\u{feff}')) != Some(SIGNATURE_HEADER) {
            return Err(bad(1, format!("should be `{SIGNATURE_HEADER}`")));
        }
        let field = |i: usize, key: &str| -> Result<&str> {
            let line = lines.get(i).copied().unwrap_or("");
            line.strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|rest| rest.strip_prefix(' ').unwrap_or(rest))
                .ok_or_else(|| bad(i + 1, format!("should start with `{key}: `")))
        };
        let decision = field(1, "decision")?;
        let id_ok = decision.strip_prefix("DEC-").is_some_and(|h| is_hex(h, 16));
        if !id_ok {
            return Err(bad(
                2,
                format!("names `{decision}`, not a decision id like `DEC-1f3a9c0b7d2e4a61`"),
            ));
        }
        let verdict_text = field(2, "verdict")?;
        let verdict = Verdict::parse(verdict_text).ok_or_else(|| {
            bad(
                3,
                format!("says `{verdict_text}`: expected `approve` or `reject`"),
            )
        })?;
        let reason = field(3, "reason")?.trim();
        let reason = match verdict {
            Verdict::Approve if !reason.is_empty() => {
                return Err(bad(
                    4,
                    "gives a reason for an approval: only a rejection's reason is signed"
                        .to_owned(),
                ));
            }
            Verdict::Approve => String::new(),
            Verdict::Reject => one_line(reason, "rejection's reason").map_err(|e| bad(4, e))?,
        };
        let signer_key = field(4, "signer-key")?.trim().to_owned();
        if lines.get(5) != Some(&PEM_BEGIN) {
            return Err(bad(6, format!("should be `{PEM_BEGIN}`")));
        }
        let Some(end) = lines.iter().position(|l| *l == PEM_END) else {
            return Err(Error::Refused(format!(
                "this is not a Muster decision signature: `{PEM_END}` is missing (cut short?)"
            )));
        };
        if end + 1 != lines.len() {
            return Err(bad(
                end + 2,
                "follows the signature: nothing may".to_owned(),
            ));
        }
        let mut armored = lines[5..=end].join("\n");
        armored.push('\n');
        Ok(SignatureText {
            decision: DecisionId(decision.to_owned()),
            verdict,
            reason,
            signer_key,
            armored,
        })
    }
}
