-- Schema version 7: live exercises. The set-up is a JSON document (fixed
-- once the exercise starts); the run is an append-only log folded on read.
-- Ratings, findings (improvement items) and attachments are the evaluation,
-- edited after the run. Exercise incidents live in `incident` like any other,
-- marked `exercise = 1`; the log names them.

CREATE TABLE exercise (
    id          TEXT PRIMARY KEY,                 -- 'EX-' || number
    number      INTEGER NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    date        TEXT NOT NULL,                    -- YYYY-MM-DD
    status      TEXT NOT NULL CHECK (status IN ('planned', 'running', 'ended')),
    setup       TEXT NOT NULL,                    -- the ExerciseSetup as JSON
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- The log's length and last hash, so a deleted last entry is caught.
    event_count INTEGER NOT NULL DEFAULT 0,
    head_hash   TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
);

-- The run: started, scenarios opened, situations revealed, injects declared,
-- steps logged, scenarios ended, ended. `body` is the event as JSON. Each
-- entry's hash covers its stored fields and the previous entry's hash, as an
-- incident's timeline does (`incident::chain`, with the exercise id).
CREATE TABLE exercise_event (
    exercise  TEXT NOT NULL REFERENCES exercise (id),
    seq       INTEGER NOT NULL,
    at        TEXT NOT NULL,
    author    TEXT NOT NULL,
    body      TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (exercise, seq)
);

-- Append-only: Muster never changes or removes what was logged.
CREATE TRIGGER exercise_event_no_update BEFORE UPDATE ON exercise_event
BEGIN
    SELECT RAISE(ABORT, 'exercise events are append-only');
END;
CREATE TRIGGER exercise_event_no_delete BEFORE DELETE ON exercise_event
BEGIN
    SELECT RAISE(ABORT, 'exercise events are append-only');
END;

-- One rating per objective; rating again replaces it.
CREATE TABLE exercise_rating (
    exercise     TEXT NOT NULL REFERENCES exercise (id),
    objective    TEXT NOT NULL,
    rating       TEXT NOT NULL CHECK (rating IN ('P', 'S', 'M', 'U')),
    observations TEXT NOT NULL,
    strengths    TEXT NOT NULL,
    areas        TEXT NOT NULL,
    rated_at     TEXT NOT NULL,
    rated_by     TEXT NOT NULL,
    PRIMARY KEY (exercise, objective)
);

-- Improvement items, numbered across all exercises ('IMP-' || number). The
-- element is kept by section and key, like a plan check gap.
CREATE TABLE finding (
    id                TEXT PRIMARY KEY,
    number            INTEGER NOT NULL UNIQUE,
    exercise          TEXT NOT NULL REFERENCES exercise (id),
    scenario          TEXT,
    issue             TEXT NOT NULL,
    section           TEXT,
    element           TEXT,
    corrective_action TEXT NOT NULL,
    owner             TEXT NOT NULL,
    due               TEXT NOT NULL,                -- YYYY-MM-DD
    created_at        TEXT NOT NULL,
    done_at           TEXT,
    CHECK ((section IS NULL) = (element IS NULL))
);

CREATE INDEX finding_by_exercise ON finding (exercise, number);

-- Links and files (copied into <data folder>/exercises/EX-n/).
CREATE TABLE exercise_attachment (
    exercise TEXT NOT NULL REFERENCES exercise (id),
    number   INTEGER NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('link', 'file')),
    label    TEXT NOT NULL,
    target   TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (exercise, number)
);
