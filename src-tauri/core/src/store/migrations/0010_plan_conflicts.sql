-- What the team's plan thread leaves disputed: two laptops wrote one field
-- (or removed an element another changed) without seeing each other's
-- write. Rewritten whole each time the thread is replayed; one row per
-- conflict, as JSON (team::plan_ops::PlanConflict).
CREATE TABLE plan_conflict (
    position INTEGER PRIMARY KEY,
    conflict TEXT NOT NULL
);
