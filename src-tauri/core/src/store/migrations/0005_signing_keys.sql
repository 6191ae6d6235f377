-- Schema version 5: signed decisions. A core member's retired public keys
-- (each refused from the moment it was retired), and whether a decision
-- policy counts approvals recorded as attested (unsigned) toward its quorum.
-- Plans saved before keep no retired keys and count signatures only.

CREATE TABLE contact_retired_key (
    contact_id   TEXT NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    key          TEXT NOT NULL,
    retired_from TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
);

ALTER TABLE decision_policy
    ADD COLUMN attested_allowed INTEGER NOT NULL DEFAULT 0 CHECK (attested_allowed IN (0, 1));
