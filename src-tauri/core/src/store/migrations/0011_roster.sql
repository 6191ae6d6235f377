-- The team's signed roster (team::roster): every roster version seen, with
-- every signature gathered for it from any file, and the root this laptop
-- pinned (compared out of band) with the highest version it took, so that
-- no file can take it back to an older one.
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
    highest INTEGER NOT NULL,
    pinned_at TEXT NOT NULL
);

-- The roster version in force when a decision was requested (its signers
-- are judged by it), when a roster is pinned.
ALTER TABLE decision ADD COLUMN roster_version INTEGER;
