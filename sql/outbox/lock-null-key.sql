-- A key with a NULL part never conflicts under the plain UNIQUE (NULLs are distinct), so
-- enqueues of such a key are serialised on a transaction advisory lock of the whole key, taken
-- in a statement of its own: the statement that decides (enqueue-null-key) then starts after
-- the previous holder committed and sees its row. Also reports the isolation level, because a
-- REPEATABLE READ snapshot taken before the wait would still miss that row.
SELECT pg_advisory_xact_lock(
           hashtext('bookops.outbox.enqueue'),
           hashtext(concat_ws('|',
               CAST(:type AS text),
               coalesce(CAST(CAST(:bookingId AS integer) AS text), '<null>'),
               coalesce(CAST(CAST(:candidateTgId AS bigint) AS text), '<null>')))
       ) IS NULL AS locked,
       current_setting('transaction_isolation') AS isolation
