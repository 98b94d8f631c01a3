/**
 * Why a restore statement failed, said as a conflict (exit 6) naming what blocks it: a key now
 * held by another row, a parent deleted since, a new row referencing one the restore would
 * remove. The server's detail names the key and the values; the restore changed nothing (its one
 * transaction rolls back). Other failures go on to the generic translation.
 */
import { ConflictError } from '../errors.js';
import { isPgError, SQLSTATE } from '../data/pg-errors.js';
import { asInvoked } from '../invocation.js';

const TAIL = 'nothing was restored';

export function restoreConflict(err: unknown, operationId: number, run: { table_name: string; change: 'deleted' | 'updated' | 'inserted' }): unknown {
  if (!isPgError(err)) return err;
  const table = run.table_name;
  const detail = err.detail ?? '';
  const key = err.constraint ? ` (${err.constraint})` : '';
  const opts = { cause: err, hint: `${asInvoked(`archive show ${operationId}`)} lists what the operation changed`, details: { table, constraint: err.constraint ?? null } };
  if (err.code === SQLSTATE.UNIQUE_VIOLATION) {
    const m = /^Key \((.*)\)=\((.*)\) already exists/.exec(detail);
    const what = m ? `(${m[1]})=(${m[2]})` : 'the same key';
    const verb = run.change === 'deleted' ? 'put back' : 'set back';
    return new ConflictError(`cannot restore: another row of ${table} holds ${what} now${key}, so the rows cannot be ${verb}; ${TAIL}`, opts);
  }
  if (err.code === SQLSTATE.FOREIGN_KEY_VIOLATION) {
    const missing = /^Key \((.*)\)=\((.*)\) is not present in table "(.*)"/.exec(detail);
    if (missing) {
      return new ConflictError(`cannot restore: ${table} rows refer to a row of ${missing[3]} that no longer exists: (${missing[1]})=(${missing[2]})${key}; ${TAIL}`, opts);
    }
    const referenced = /^Key \((.*)\)=\((.*)\) is still referenced from table "(.*)"/.exec(detail);
    if (referenced) {
      return new ConflictError(
        `cannot restore: rows of ${referenced[3]} now reference the ${table} row (${referenced[1]})=(${referenced[2]}) this operation added${key}; ${TAIL}`,
        opts,
      );
    }
    return new ConflictError(`cannot restore ${table}: a foreign key${key} stops it; ${TAIL}`, opts);
  }
  return err;
}
