-- The team's signed roster (team::roster): every roster version seen, with
-- every signature that verifies gathered from any file that carried it; the
-- root this laptop pinned (compared out of band); and the versions it took,
-- in order, which stand and are never decided again (no rollback, no fork
-- replayed against it).
CREATE TABLE roster_entry (
    digest TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    roster TEXT NOT NULL,
    signatures TEXT NOT NULL DEFAULT '[]',
    received_at TEXT NOT NULL
);

CREATE TABLE roster_pin (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    root TEXT NOT NULL,
    pinned_at TEXT NOT NULL
);

CREATE TABLE roster_taken (
    version INTEGER PRIMARY KEY,
    digest TEXT NOT NULL REFERENCES roster_entry (digest)
);

-- The roster version in force when a decision was requested (its signers
-- are judged by it), when a roster is pinned.
ALTER TABLE decision ADD COLUMN roster_version INTEGER;
