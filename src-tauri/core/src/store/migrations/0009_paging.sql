-- Paging: an escalation rule may say how many minutes the person on call has
-- to acknowledge before the next people are reached. NULL: no paging.

ALTER TABLE escalation_rule ADD COLUMN page_after_minutes INTEGER
    CHECK (page_after_minutes IS NULL OR page_after_minutes BETWEEN 1 AND 1440);
