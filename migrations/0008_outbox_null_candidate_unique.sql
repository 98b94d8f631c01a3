-- outbox: one message per (type, booking) when it is for no candidate, for every writer.
--
-- Seed 001: UNIQUE (type, booking_id, candidate_tg_id) never compares NULLs as equal, so a
-- message without a candidate could be enqueued twice (and was: the recruiter got it twice).
-- bookops' own enqueue serialises such keys on an advisory lock, but the bot does not. A partial
-- unique index over the rows without a candidate makes the database refuse the second one.
-- (NULLS NOT DISTINCT would do it too, on PostgreSQL 15 and later only.) A row whose slot was
-- deleted (booking_id set NULL) is history and stays out of it.
-- bookops:requires-tables outbox_notifications
-- bookops:earlier-checksum 397a123144be4b869c6f702eedd783b772335cae63f9eda69dc1cacaa398cec7 (as released before its preflight became a rule of bookops and introspect/ became catalog/)

-- migrate:preflight messages without a candidate enqueued more than once for one (type, booking) (resolve with: bookops outbox dedupe)
-- bookops:rule outbox.null-candidate-duplicates

-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS outbox_notifications_null_candidate_uidx
    ON outbox_notifications (type, booking_id)
    WHERE candidate_tg_id IS NULL;

-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS outbox_notifications_null_candidate_uidx;
