-- Schema version 2: on-call rotations, the revision history, local settings,
-- and the full-text search index over the plan.

CREATE TABLE on_call_rotation (
    category_id   TEXT PRIMARY KEY REFERENCES category (id),
    position      INTEGER NOT NULL,
    handover_day  TEXT NOT NULL CHECK (handover_day IN
                    ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday')),
    handover_time TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    starts_on     TEXT NOT NULL
);

CREATE TABLE on_call_member (
    category_id TEXT NOT NULL REFERENCES on_call_rotation (category_id) ON DELETE CASCADE,
    contact_id  TEXT NOT NULL REFERENCES contact (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (category_id, contact_id)
);

CREATE TABLE on_call_override (
    category_id TEXT NOT NULL REFERENCES on_call_rotation (category_id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    member_id   TEXT NOT NULL REFERENCES contact (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    note        TEXT NOT NULL,
    PRIMARY KEY (category_id, position)
);

-- Every save is a revision: who, when, a one-line summary, and the changes as
-- JSON (each changed element before and after, and section orders), enough to
-- rebuild the plan as it was at any revision.
CREATE TABLE revision (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    author     TEXT NOT NULL,
    summary    TEXT NOT NULL,
    changes    TEXT NOT NULL
);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per plan element that has text worth finding.
CREATE VIRTUAL TABLE search_index USING fts5 (
    section UNINDEXED,
    element UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
