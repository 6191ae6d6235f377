-- Schema version 14: alerts from the team's monitors, and steps that run.
--
-- An issue's alert rules (label matchers → this issue), as the JSON array the
-- plan model serialises; '[]' for none.
ALTER TABLE issue ADD COLUMN alerts TEXT NOT NULL DEFAULT '[]';

-- A step's command (program, arguments, folder, time limit, environment
-- names), as the JSON the plan model serialises; 'null' for none.
ALTER TABLE step ADD COLUMN command TEXT NOT NULL DEFAULT 'null';
-- The team means to automate the step (the plan check suggests a command).
ALTER TABLE step ADD COLUMN automatable INTEGER NOT NULL DEFAULT 0 CHECK (automatable IN (0, 1));

-- The commands this laptop's person trusts to run, by their SHA-256: saved
-- in this laptop's editor, or reviewed and trusted here. A command that came
-- by an import or from a teammate is not in it until then; any change to a
-- command changes its hash, so it is trusted again or not at all.
CREATE TABLE command_trust (
    sha256     TEXT PRIMARY KEY,
    trusted_at TEXT NOT NULL,
    trusted_by TEXT NOT NULL
) WITHOUT ROWID;

-- Every alert delivery that changed something, in the order taken in. The
-- newest row of a fingerprint says where that alert stands: a delivery with
-- the same status and start is a repeat (Alertmanager's retries and repeat
-- interval, a group sent again) and changes nothing.
CREATE TABLE alert_delivery (
    id          INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
    issue       TEXT NOT NULL,
    incident    TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX alert_delivery_fingerprint ON alert_delivery (fingerprint, id);
