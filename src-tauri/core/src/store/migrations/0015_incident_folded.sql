-- Schema version 15: an incident's state kept beside its chain head. Each
-- action was checked against the state folded from the whole timeline, read
-- and parsed again every time: an append cost as much as the timeline was
-- long. `folded` is the state (JSON) as folded at the event whose hash is
-- `folded_head`; it is used only while that is still the row's `head_hash`,
-- and `muster incident verify` compares it with a fold of the timeline.
ALTER TABLE incident ADD COLUMN folded TEXT;
ALTER TABLE incident ADD COLUMN folded_head TEXT;
