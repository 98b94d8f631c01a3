-- The platform schema as production has it today, defects included.
--
-- bookops shows, finds and fixes these defects (see ../shared/seeds and docs/MIGRATIONS.md):
--   interviews.time_slot_id UNIQUE counts cancelled rows (seed 000);
--   uq_slots_candidate_recruiter_active leaves out confirmed_by_candidate (seed 002);
--   notification_logs is unique on (type, booking_id), without the candidate (seed 002);
--   outbox_notifications is unique on (type, booking_id, candidate_tg_id): NULLs never collide (seed 001);
--   the WhatsApp foreign keys have no ON DELETE CASCADE (seed 003);
--   chat_rooms UNIQUE (teacher_id, student_id) also counts soft-deleted rooms, and no chat triggers exist (seed 004).
--
-- On a database that already has these tables, record it with `bookops migrate baseline`.
-- There is no down section: bookops never drops the production schema. Squawk does not lint
-- this file: it reproduces the legacy schema as it is, on empty databases only.

-- migrate:up

-- interviews module: the interview bot (seed 000) ----------------------------------------
CREATE TABLE time_slots (
    id SERIAL PRIMARY KEY,
    interviewer_id INTEGER NOT NULL,
    start_time TIMESTAMP NOT NULL,
    end_time TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE interviews (
    id SERIAL PRIMARY KEY,
    time_slot_id INTEGER UNIQUE REFERENCES time_slots (id),
    interviewer_id INTEGER,
    bot_user_id BIGINT NOT NULL,
    status VARCHAR(20) DEFAULT 'pending',
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    cancelled_at TIMESTAMP
);

-- recruiting module: the recruiting bot (seeds 001, 002) ----------------------------------
CREATE TABLE recruiters (
    id SERIAL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    tg_chat_id BIGINT,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- status: free, pending, booked, confirmed_by_candidate, canceled (letter case varies by writer)
CREATE TABLE slots (
    id SERIAL PRIMARY KEY,
    recruiter_id INTEGER NOT NULL REFERENCES recruiters (id),
    start_utc TIMESTAMPTZ NOT NULL,
    duration_min INTEGER NOT NULL DEFAULT 60,
    status VARCHAR(32) NOT NULL DEFAULT 'free',
    candidate_tg_id BIGINT,
    candidate_fio VARCHAR(255),
    candidate_tz VARCHAR(64),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ix_slots_recruiter_start ON slots (recruiter_id, start_utc);
CREATE INDEX ix_slots_candidate ON slots (candidate_tg_id);
-- migration 0007 of the recruiting bot: leaves out confirmed_by_candidate
CREATE UNIQUE INDEX uq_slots_candidate_recruiter_active ON slots (candidate_tg_id, recruiter_id)
    WHERE lower(status) IN ('pending', 'booked');

CREATE TABLE slot_reminder_jobs (
    id SERIAL PRIMARY KEY,
    slot_id INTEGER NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
    kind VARCHAR(32) NOT NULL,
    job_id VARCHAR(255) NOT NULL UNIQUE,
    scheduled_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ix_slot_reminder_jobs_slot ON slot_reminder_jobs (slot_id);

-- keyed without the candidate: a log of the previous candidate silences the next one
CREATE TABLE notification_logs (
    id SERIAL PRIMARY KEY,
    booking_id INTEGER NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
    type VARCHAR(50) NOT NULL,
    payload TEXT,
    delivery_status VARCHAR(20) NOT NULL DEFAULT 'sent',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT uq_notif_type_booking UNIQUE (type, booking_id)
);

-- status: pending, sent, failed
CREATE TABLE outbox_notifications (
    id SERIAL PRIMARY KEY,
    booking_id INTEGER REFERENCES slots (id) ON DELETE SET NULL,
    type VARCHAR(50) NOT NULL,
    payload_json JSONB,
    candidate_tg_id BIGINT,
    recruiter_tg_id BIGINT,
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_at TIMESTAMPTZ,
    next_retry_at TIMESTAMPTZ,
    correlation_id VARCHAR(64),
    CONSTRAINT uq_outbox_notifications_type_booking_candidate UNIQUE (type, booking_id, candidate_tg_id)
);
CREATE INDEX ix_outbox_status_retry ON outbox_notifications (status, next_retry_at);

-- whatsapp module: the WhatsApp bot (seed 003); no foreign key cascades ------------------
CREATE TABLE whatsapp_numbers (
    id SERIAL PRIMARY KEY,
    phone_number VARCHAR(32) NOT NULL UNIQUE,
    display_name VARCHAR(200),
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE bots (
    id SERIAL PRIMARY KEY,
    whatsapp_number_id INTEGER NOT NULL REFERENCES whatsapp_numbers (id),
    name VARCHAR(200) NOT NULL,
    scenario JSONB,
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE conversations (
    id SERIAL PRIMARY KEY,
    whatsapp_number_id INTEGER NOT NULL REFERENCES whatsapp_numbers (id),
    contact_phone VARCHAR(32) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'open',
    started_at TIMESTAMP NOT NULL DEFAULT now(),
    last_message_at TIMESTAMP
);

CREATE TABLE whatsapp_messages (
    id BIGSERIAL PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    direction VARCHAR(8) NOT NULL,
    body TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE broadcasts (
    id SERIAL PRIMARY KEY,
    whatsapp_number_id INTEGER NOT NULL REFERENCES whatsapp_numbers (id),
    title VARCHAR(200) NOT NULL,
    message_text TEXT,
    status VARCHAR(20) NOT NULL DEFAULT 'draft',
    scheduled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT now()
);

CREATE TABLE broadcast_recipients (
    id BIGSERIAL PRIMARY KEY,
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
    phone VARCHAR(32) NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'queued',
    sent_at TIMESTAMP
);

-- lessons module: the lessons platform (seed 004) ----------------------------------------
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) NOT NULL UNIQUE,
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    role VARCHAR(20) NOT NULL DEFAULT 'student',
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now(),
    deleted_at TIMESTAMP
);

CREATE TABLE lessons (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    teacher_id UUID NOT NULL REFERENCES users (id),
    student_id UUID NOT NULL REFERENCES users (id),
    start_time TIMESTAMP,
    end_time TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now(),
    deleted_at TIMESTAMP
);

-- status: active, completed, cancelled (a lesson may also be booked by other students)
CREATE TABLE bookings (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    lesson_id UUID NOT NULL REFERENCES lessons (id),
    student_id UUID NOT NULL REFERENCES users (id),
    status VARCHAR(50),
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now(),
    deleted_at TIMESTAMP
);
CREATE INDEX ix_bookings_lesson ON bookings (lesson_id);
CREATE INDEX ix_bookings_status ON bookings (status);

CREATE TABLE chat_rooms (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    teacher_id UUID NOT NULL REFERENCES users (id),
    student_id UUID NOT NULL REFERENCES users (id),
    last_message_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    updated_at TIMESTAMP NOT NULL DEFAULT now(),
    deleted_at TIMESTAMP,
    UNIQUE (teacher_id, student_id)
);

-- status: pending_moderation, delivered, blocked
CREATE TABLE messages (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    chat_room_id UUID NOT NULL REFERENCES chat_rooms (id),
    sender_id UUID NOT NULL REFERENCES users (id),
    message_text TEXT,
    status VARCHAR(50),
    moderation_completed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT now(),
    deleted_at TIMESTAMP
);
CREATE INDEX ix_messages_room ON messages (chat_room_id);
