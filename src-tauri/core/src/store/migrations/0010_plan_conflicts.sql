-- What the team's plan thread leaves disputed: two laptops wrote one field
-- (or removed an element another changed) without seeing each other's
-- write. Rewritten whole each time the thread is replayed; one row per
-- conflict, as JSON (team::plan_ops::PlanConflict).
CREATE TABLE plan_conflict (
    position INTEGER PRIMARY KEY,
    conflict TEXT NOT NULL
);

-- Each team event's parents, out of its envelope: a thread's heads are then
-- found without reading every event's body (the plan's thread holds the
-- whole plan).
ALTER TABLE team_event ADD COLUMN parents TEXT NOT NULL DEFAULT '[]';
UPDATE team_event SET parents = COALESCE(json_extract(envelope, '$.parents'), '[]');
