-- Schema version 12: a decision still pending when its incident closes is
-- closed with it. The closing is a row of its own (requests stay
-- append-only); from then on the decision reads "closed", whatever
-- signature arrives later, and a `DecisionResolved` line with the state
-- `closed` goes on the incident's timeline on every laptop that sees the
-- incident close.
CREATE TABLE decision_closed (
    decision  TEXT PRIMARY KEY REFERENCES decision (id),
    closed_at TEXT NOT NULL
);

CREATE TRIGGER decision_closed_no_update BEFORE UPDATE ON decision_closed
BEGIN
    SELECT RAISE(ABORT, 'closed decisions stay closed');
END;
CREATE TRIGGER decision_closed_no_delete BEFORE DELETE ON decision_closed
BEGIN
    SELECT RAISE(ABORT, 'closed decisions stay closed');
END;
