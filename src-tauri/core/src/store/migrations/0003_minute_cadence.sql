-- Communication rules may repeat every N minutes (timing kind 'every-minutes').
-- SQLite cannot change a CHECK constraint in place, so the rule table is
-- rebuilt; its category links are set aside first so that dropping the old
-- table cascades into nothing, then put back unchanged.

CREATE TABLE communication_rule_category_keep AS SELECT * FROM communication_rule_category;
DROP TABLE communication_rule_category;

CREATE TABLE communication_rule_v3 (
    id             TEXT PRIMARY KEY,
    position       INTEGER NOT NULL,
    audience       TEXT NOT NULL CHECK (audience IN
                     ('responders', 'internal', 'users', 'internal-post-mortem', 'public-post-mortem')),
    timing_kind    TEXT NOT NULL CHECK (timing_kind IN
                     ('until-completion', 'every-hours', 'every-minutes', 'after-resolution-days')),
    timing_value   INTEGER,
    channel        TEXT NOT NULL,
    responsible_id TEXT REFERENCES contact (id),
    optional       INTEGER NOT NULL CHECK (optional IN (0, 1)),
    notes          TEXT NOT NULL
);
INSERT INTO communication_rule_v3
    SELECT id, position, audience, timing_kind, timing_value, channel, responsible_id, optional, notes
    FROM communication_rule;
DROP TABLE communication_rule;
ALTER TABLE communication_rule_v3 RENAME TO communication_rule;

CREATE TABLE communication_rule_category (
    rule_id     TEXT NOT NULL REFERENCES communication_rule (id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES category (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (rule_id, category_id)
);
INSERT INTO communication_rule_category (rule_id, category_id, position)
    SELECT rule_id, category_id, position FROM communication_rule_category_keep;
DROP TABLE communication_rule_category_keep;
