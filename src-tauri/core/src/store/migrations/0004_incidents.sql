-- Incidents: one summary row each, and the append-only, hash-chained
-- timeline it is folded from. The summary row keeps the event count and the
-- head hash so that deleting the last event is detected too. Incidents keep
-- ids and names as they were (no foreign keys into the plan): the record
-- must survive later edits of the plan.

CREATE TABLE incident (
    id            TEXT PRIMARY KEY,               -- 'INC-' || number
    number        INTEGER NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    category      TEXT NOT NULL,
    severity      TEXT NOT NULL CHECK (severity IN ('S1', 'S2', 'S3', 'S4')),
    phase         TEXT NOT NULL CHECK (phase IN
                    ('detected', 'validated', 'mitigated', 'resolved', 'closed')),
    exercise      INTEGER NOT NULL CHECK (exercise IN (0, 1)),
    declared_at   TEXT NOT NULL,
    last_event_at TEXT NOT NULL,
    event_count   INTEGER NOT NULL,
    head_hash     TEXT NOT NULL
);

-- `body` is the JSON text that was hashed, stored as is: verification reads
-- it back byte for byte and never re-serialises it.
CREATE TABLE incident_event (
    incident  TEXT NOT NULL REFERENCES incident (id),
    seq       INTEGER NOT NULL,
    at        TEXT NOT NULL,
    author    TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (incident, seq)
);

-- Append-only: Muster never changes or removes an event. (Someone with the
-- file can drop these triggers; the hash chain then tells.)
CREATE TRIGGER incident_event_no_update BEFORE UPDATE ON incident_event
BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;
CREATE TRIGGER incident_event_no_delete BEFORE DELETE ON incident_event
BEGIN
    SELECT RAISE(ABORT, 'incident events are append-only');
END;

-- Every reminder raised, by its due item's key: the same key is never raised twice.
CREATE TABLE reminder (
    key       TEXT PRIMARY KEY,
    incident  TEXT NOT NULL REFERENCES incident (id),
    due_at    TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    delivered INTEGER NOT NULL CHECK (delivered IN (0, 1)),
    detail    TEXT NOT NULL
);

-- Post-mortem texts as the team edits them (publishing is an event).
CREATE TABLE post_mortem (
    incident   TEXT NOT NULL REFERENCES incident (id),
    audience   TEXT NOT NULL CHECK (audience IN
                 ('responders', 'internal', 'users', 'internal-post-mortem', 'public-post-mortem')),
    text       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (incident, audience)
);
