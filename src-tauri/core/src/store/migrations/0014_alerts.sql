-- Schema version 14: alerts from the team's monitors.
--
-- An issue's alert rules (label matchers → this issue), as the JSON array the
-- plan model serialises; '[]' for none.
ALTER TABLE issue ADD COLUMN alerts TEXT NOT NULL DEFAULT '[]';

-- Every alert delivery that changed something, in the order taken in. The
-- newest row of a fingerprint says where that alert stands: a delivery with
-- the same status and start is a repeat (Alertmanager's retries and repeat
-- interval, a group sent again) and changes nothing.
CREATE TABLE alert_delivery (
    id          INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    starts_at   TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
    issue       TEXT NOT NULL,
    incident    TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX alert_delivery_fingerprint ON alert_delivery (fingerprint, id);
