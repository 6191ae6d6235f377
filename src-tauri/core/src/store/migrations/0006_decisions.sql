-- Schema version 6: signed decisions. A request's record is stored as the
-- exact bytes every approval signs (a BLOB, never re-serialised), with the
-- policy's JSON bytes its `policy-version` hashes, so the quorum is counted
-- by the rule the approvers saw. Signatures and attested approvals are
-- append-only; each also becomes an event on the incident's hash chain.
-- No foreign key into incidents: a request imported to be signed names an
-- incident on another computer.

CREATE TABLE decision (
    id            TEXT PRIMARY KEY,               -- 'DEC-' || 16 hex digits of the nonce
    incident      TEXT NOT NULL,
    policy        TEXT NOT NULL,
    policy_json   BLOB NOT NULL,
    namespace     TEXT NOT NULL CHECK (namespace IN
                    ('muster-decision-v1', 'muster-exercise-decision-v1')),
    statement     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    record        BLOB NOT NULL,
    record_sha256 TEXT NOT NULL,
    -- 1: requested here (signatures are collected here); 0: imported to be signed.
    local         INTEGER NOT NULL CHECK (local IN (0, 1)),
    requested_by  TEXT NOT NULL,
    stored_at     TEXT NOT NULL
);

CREATE INDEX decision_by_incident ON decision (incident, created_at);

-- One signature per person and decision ("a person counts once").
CREATE TABLE decision_signature (
    decision    TEXT NOT NULL REFERENCES decision (id),
    number      INTEGER NOT NULL,
    contact     TEXT NOT NULL,
    name        TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK (verdict IN ('approve', 'reject')),
    reason      TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    signature   TEXT NOT NULL,                    -- the armored SSHSIG as received
    response    BLOB,                             -- a rejection: the bytes it signs
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (decision, number),
    UNIQUE (decision, contact)
);

-- Approvals recorded without a signature (UNSIGNED), one per person and decision.
CREATE TABLE decision_attestation (
    decision     TEXT NOT NULL REFERENCES decision (id),
    number       INTEGER NOT NULL,
    approver     TEXT NOT NULL,
    approver_name TEXT NOT NULL,
    channel      TEXT NOT NULL,
    approved_at  TEXT NOT NULL,
    witness      TEXT NOT NULL,
    witness_name TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (decision, number),
    UNIQUE (decision, approver)
);

CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision
BEGIN
    SELECT RAISE(ABORT, 'decision requests are append-only');
END;
CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision
BEGIN
    SELECT RAISE(ABORT, 'decision requests are append-only');
END;
CREATE TRIGGER decision_signature_no_update BEFORE UPDATE ON decision_signature
BEGIN
    SELECT RAISE(ABORT, 'decision signatures are append-only');
END;
CREATE TRIGGER decision_signature_no_delete BEFORE DELETE ON decision_signature
BEGIN
    SELECT RAISE(ABORT, 'decision signatures are append-only');
END;
CREATE TRIGGER decision_attestation_no_update BEFORE UPDATE ON decision_attestation
BEGIN
    SELECT RAISE(ABORT, 'attested approvals are append-only');
END;
CREATE TRIGGER decision_attestation_no_delete BEFORE DELETE ON decision_attestation
BEGIN
    SELECT RAISE(ABORT, 'attested approvals are append-only');
END;
