-- The archive: every destructive bookops action stores what it removes or changes here, in the
-- same transaction, so `bookops archive restore <op>` can put it back exactly; rows a rule
-- inserts along the way are recorded too, so the restore removes them. Created on first use (a
-- database bookops never migrated can still be repaired).
CREATE TABLE IF NOT EXISTS bookops_archive_operations (
    id bigserial PRIMARY KEY,
    action text NOT NULL,
    command_line text NOT NULL,
    db_user text NOT NULL DEFAULT current_user,
    os_user text,
    summary jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    restored_at timestamptz,
    restored_by text
);
CREATE TABLE IF NOT EXISTS bookops_archive_rows (
    id bigserial PRIMARY KEY,
    operation_id bigint NOT NULL REFERENCES bookops_archive_operations (id) ON DELETE CASCADE,
    table_name text NOT NULL,
    change text NOT NULL CHECK (change IN ('deleted', 'updated', 'inserted')),
    row_data jsonb NOT NULL,
    -- For an updated row: the row as the operation left it, recorded when its transaction ends,
    -- so a restore can tell whether someone changed it since (and refuse to overwrite that).
    after_data jsonb
);
-- Archives created before after_data existed.
ALTER TABLE bookops_archive_rows ADD COLUMN IF NOT EXISTS after_data jsonb;
CREATE INDEX IF NOT EXISTS bookops_archive_rows_operation ON bookops_archive_rows (operation_id, id);
