-- Schema version 1: the plan document, one table per kind of element.
-- Every list keeps its order in a `position` column. Ids are the plan's stable
-- text ids. Foreign keys are enforced (PRAGMA foreign_keys = ON on every connection).

CREATE TABLE plan_meta (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    summary      TEXT NOT NULL,
    is_example   INTEGER NOT NULL CHECK (is_example IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE category (
    id          TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE issue (
    id          TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    category_id TEXT NOT NULL REFERENCES category (id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    signal      TEXT NOT NULL,
    monitoring  TEXT NOT NULL CHECK (monitoring IN ('manual', 'automated')),
    source      TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('S1', 'S2', 'S3', 'S4'))
);
CREATE INDEX issue_category ON issue (category_id);

CREATE TABLE contact (
    id            TEXT PRIMARY KEY,
    team          TEXT NOT NULL CHECK (team IN ('core', 'extended')),
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    email         TEXT,
    chat          TEXT,
    phone         TEXT,
    public_key    TEXT,
    last_verified TEXT
);

CREATE TABLE contact_category (
    contact_id  TEXT NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES category (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (contact_id, category_id)
);

CREATE TABLE decision_policy (
    id                TEXT PRIMARY KEY,
    position          INTEGER NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL,
    additional_needed INTEGER NOT NULL CHECK (additional_needed >= 0)
);

CREATE TABLE decision_approver (
    decision_id TEXT NOT NULL REFERENCES decision_policy (id) ON DELETE CASCADE,
    contact_id  TEXT NOT NULL REFERENCES contact (id),
    kind        TEXT NOT NULL CHECK (kind IN ('required', 'additional')),
    position    INTEGER NOT NULL,
    PRIMARY KEY (decision_id, contact_id)
);

CREATE TABLE procedure (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title    TEXT NOT NULL,
    summary  TEXT NOT NULL
);

CREATE TABLE procedure_issue (
    procedure_id TEXT NOT NULL REFERENCES procedure (id) ON DELETE CASCADE,
    issue_id     TEXT NOT NULL REFERENCES issue (id),
    position     INTEGER NOT NULL,
    PRIMARY KEY (procedure_id, issue_id)
);
CREATE INDEX procedure_issue_issue ON procedure_issue (issue_id);

CREATE TABLE step (
    procedure_id     TEXT NOT NULL REFERENCES procedure (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    position         INTEGER NOT NULL,
    action           TEXT NOT NULL,
    how              TEXT NOT NULL,
    tools            TEXT NOT NULL,
    test             TEXT NOT NULL,
    expected_minutes INTEGER CHECK (expected_minutes >= 0),
    decision_id      TEXT REFERENCES decision_policy (id),
    PRIMARY KEY (procedure_id, id)
);

CREATE TABLE escalation_rule (
    category_id TEXT PRIMARY KEY REFERENCES category (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    core        TEXT NOT NULL CHECK (core IN ('detection', 'validation', 'resolution', 'never')),
    extended    TEXT NOT NULL CHECK (extended IN ('detection', 'validation', 'resolution', 'never'))
);

CREATE TABLE communication_rule (
    id             TEXT PRIMARY KEY,
    position       INTEGER NOT NULL,
    audience       TEXT NOT NULL CHECK (audience IN
                     ('responders', 'internal', 'users', 'internal-post-mortem', 'public-post-mortem')),
    timing_kind    TEXT NOT NULL CHECK (timing_kind IN ('until-completion', 'every-hours', 'after-resolution-days')),
    timing_value   INTEGER,
    channel        TEXT NOT NULL,
    responsible_id TEXT REFERENCES contact (id),
    optional       INTEGER NOT NULL CHECK (optional IN (0, 1)),
    notes          TEXT NOT NULL
);

CREATE TABLE communication_rule_category (
    rule_id     TEXT NOT NULL REFERENCES communication_rule (id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES category (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (rule_id, category_id)
);

CREATE TABLE exercise_policy (
    singleton                INTEGER PRIMARY KEY CHECK (singleton = 1),
    while_new_every_weeks    INTEGER NOT NULL,
    new_for_months           INTEGER NOT NULL,
    established_every_months INTEGER NOT NULL,
    session_hours            INTEGER NOT NULL
);
