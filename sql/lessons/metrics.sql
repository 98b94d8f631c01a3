-- chats metrics: rooms created today, and the lag from activation (or lesson end) to a room.

-- name: metrics
-- chats metrics. Rooms are joined to bookings by BOTH sides of the pair: the teacher through the
-- lesson and the student through the booking (the seed's query joined on the teacher only and
-- matched every student of that teacher). The reference time of a room is the earliest, among
-- its pair's bookings that need a room (bookings-needing-a-room), of the activation time (bookings have no activated_at: updated_at
-- of an active booking is its last change, normally the activation) or of the lesson's end
-- (:since = 'lesson-end'); rooms created before that time (e.g. by the application's lazy
-- get-or-create) have no lag and are left out. Rooms created in the last :windowMs are measured.
WITH recent AS (
    SELECT r.id, r.teacher_id, r.student_id, r.created_at
    FROM chat_rooms r
    WHERE r.deleted_at IS NULL
      AND r.created_at >= now() - make_interval(secs => :windowMs / 1000.0)
), pair_reference AS (
    -- per (teacher, student): aggregated once over the active bookings (linear, whatever the
    -- number of lessons per teacher), then joined to the rooms on both keys
    SELECT n.teacher_id,
           n.student_id,
           min(CASE WHEN :since = 'lesson-end' THEN n.lesson_end ELSE n.activated_at END) AS reference_at
    FROM ({{bookings-needing-a-room}}) AS n
    GROUP BY n.teacher_id, n.student_id
), reference AS (
    SELECT rc.id, rc.created_at, pr.reference_at
    FROM recent rc
    JOIN pair_reference pr ON pr.teacher_id = rc.teacher_id AND pr.student_id = rc.student_id
), lags AS (
    SELECT extract(epoch FROM created_at - reference_at)::double precision AS lag
    FROM reference
    WHERE reference_at <= created_at
)
SELECT (SELECT count(*) FROM chat_rooms r WHERE r.deleted_at IS NULL AND r.created_at >= current_date) AS rooms_created_today,
       (SELECT count(*) FROM chat_rooms r WHERE r.deleted_at IS NULL) AS rooms_total,
       (SELECT count(*) FROM recent) AS rooms_in_window,
       count(*) AS lag_samples,
       avg(lag) AS lag_avg_seconds,
       max(lag) AS lag_max_seconds,
       count(*) FILTER (WHERE lag > :thresholdMs / 1000.0) AS lag_over_threshold
FROM lags
