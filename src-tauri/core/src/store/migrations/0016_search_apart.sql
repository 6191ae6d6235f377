-- The search index moves to a file of its own beside the database (derived
-- data: rebuilt from the plan whenever it is missing, damaged or behind; see
-- search/file.rs). Out of the main file, it no longer doubles its size, its
-- backups and the integrity check before anything is written.
DROP TABLE IF EXISTS search_index;
