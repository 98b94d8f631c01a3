-- whatsapp: deleting a number takes its bots, conversations and their messages, broadcasts and
-- their recipients with it.
--
-- Seed 003: the foreign keys under whatsapp_numbers have no ON DELETE CASCADE, so a number in use
-- cannot be deleted. Every key in the module's tree that blocks the delete (found by walking
-- pg_constraint, whatever its name; keys from tables outside the module are left as they are:
-- cascading into them would delete rows no archive holds) is swapped in one short ALTER for a
-- cascading key with a fixed name that keeps the old key's MATCH, ON UPDATE and DEFERRABLE, added
-- NOT VALID (no table scan under the lock) and validated afterwards in a separate statement,
-- which does not block writes. Keys without an index get one first, so a cascading delete does not
-- scan the child table. `bookops whatsapp preview-delete` shows what a delete would take.
-- bookops:requires-tables whatsapp_numbers
-- bookops:earlier-checksum 01e9fefca77afbda4524802d0e17c0ef19f698db7d6acb4f2a0114641334207e (as released before its preflight became a rule of bookops and introspect/ became catalog/)
-- bookops:earlier-checksum fc3a8ac61b7f079ab6513bb9e8ae4ba9be2c3f9fc51d9f72b95a6f8657c7aaa6 (as released before it dropped a blocking key beside a cascading one added by hand, and printed its VALIDATEs in the plan)

-- migrate:up transaction:false
-- bookops:each catalog/fk-tree root=whatsapp_numbers tables=:"whatsappTree" filter=needs_index
CREATE INDEX CONCURRENTLY IF NOT EXISTS :"index_name" ON :"schema_name".:"table_name" (:"columns");

-- Squawk's prefer-robust-stmts wants IF NOT EXISTS or a transaction for re-runs: not needed here,
-- the statement is generated per blocking key when it runs, so a re-run only sees keys not yet swapped.
-- bookops:each catalog/fk-tree root=whatsapp_numbers tables=:"whatsappTree" filter=needs_swap
ALTER TABLE :"schema_name".:"table_name"
    DROP CONSTRAINT IF EXISTS :"constraint_name",
    -- squawk-ignore prefer-robust-stmts
    ADD CONSTRAINT :"new_name" FOREIGN KEY (:"columns")
        REFERENCES :"ref_schema".:"ref_table" (:"ref_columns") :{cascade_clauses};

-- A blocking key beside a cascading key on the same columns (the cascading one added by hand): the
-- blocking one goes, no second cascading key is made.
-- bookops:each catalog/fk-tree root=whatsapp_numbers tables=:"whatsappTree" filter=superseded
ALTER TABLE :"schema_name".:"table_name" DROP CONSTRAINT IF EXISTS :"constraint_name";

-- VALIDATE of a key already valid changes nothing, so a re-run needs no guard. The keys are the
-- ones swapped above and any cascading key still NOT VALID (one added by hand included), named
-- the same before the swap as after it, so `migrate plan` prints each one.
-- bookops:each catalog/fk-tree root=whatsapp_numbers tables=:"whatsappTree" filter=to_validate
-- squawk-ignore prefer-robust-stmts
ALTER TABLE :"schema_name".:"table_name" VALIDATE CONSTRAINT :"validate_name";

-- migrate:down
-- Back to keys that block the delete (the indexes stay: they only help).
-- bookops:each catalog/fk-tree root=whatsapp_numbers tables=:"whatsappTree" filter=is_ours
ALTER TABLE :"schema_name".:"table_name"
    DROP CONSTRAINT :"constraint_name",
    ADD CONSTRAINT :"legacy_name" FOREIGN KEY (:"columns")
        REFERENCES :"ref_schema".:"ref_table" (:"ref_columns") :{blocking_clauses};

-- bookops:each catalog/fk-tree root=whatsapp_numbers tables=:"whatsappTree" filter=unvalidated
ALTER TABLE :"schema_name".:"table_name" VALIDATE CONSTRAINT :"constraint_name";
