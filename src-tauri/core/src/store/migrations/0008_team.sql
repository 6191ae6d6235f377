-- The team folder's events this laptop knows (see `team`): those written
-- here, waiting to be signed with the person's key and published, and those
-- taken in from teammates. `envelope` is the canonical text the id hashes;
-- `file` the signed file as it is in the folder (NULL until signed here).
-- `applied` says what became of it locally: NULL while it waits for its
-- turn (or its parents), 'yes' once it is in its incident's timeline, or
-- why it could not be.
CREATE TABLE team_event (
    id          TEXT PRIMARY KEY,
    thread      TEXT NOT NULL,
    author      TEXT NOT NULL,
    device      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    lamport     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    envelope    TEXT NOT NULL,
    file        BLOB,
    origin      TEXT NOT NULL CHECK (origin IN ('here', 'folder')),
    received_at TEXT NOT NULL,
    applied     TEXT
);
CREATE INDEX team_event_by_thread ON team_event (thread, lamport);
CREATE INDEX team_event_by_author ON team_event (author, device, seq);

-- Which team event an incident event is (one each way): written here, or
-- taken in. NULL for events from before the team folder.
ALTER TABLE incident_event ADD COLUMN team_event TEXT;
CREATE UNIQUE INDEX incident_event_by_team_event ON incident_event (team_event)
    WHERE team_event IS NOT NULL;
