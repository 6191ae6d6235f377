-- Schema version 13: what a new plan event follows (the heads of the
-- applied plan events and their highest clock) is read on every save in a
-- team. Read from the table, each row's large envelope and file stood
-- before `applied` and `parents`, and every row's overflow pages were read
-- to reach them; this index holds what that read needs, in its order.
CREATE INDEX team_event_heads ON team_event (thread, applied, lamport, id, parents);
