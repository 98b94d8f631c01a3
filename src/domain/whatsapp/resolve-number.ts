/**
 * Finds the number a support user means: `42`, `{ id: 42 }` or "id:42" by id; a string by
 * phone number, exactly or by its digits (+7 900 123-45-67 = 79001234567); a string of digits
 * that is no phone number falls back to an id. Two different numbers matching is refused
 * (UsageError) rather than guessed.
 */
import type { Db } from '../../data/sql.js';
import * as whatsapp from '../../data/whatsapp.repository.js';
import type { NumberMatch as Match, WhatsappNumberRow } from '../../data/whatsapp.repository.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { requireId } from '../validate.js';
import type { NumberRef } from './types.js';

export async function resolveNumber(db: Db, ref: NumberRef): Promise<WhatsappNumberRow> {
  const query = parse(ref);
  const rows = await whatsapp.matchNumbers(db, query);
  const label = typeof ref === 'object' ? JSON.stringify(ref) : String(ref);
  const pick = (kind: Match['matched_by']) => rows.filter((r) => r.matched_by === kind);
  for (const kind of ['phone', 'digits', 'id'] as const) {
    const found = pick(kind);
    if (found.length === 1) return strip(found[0]);
    if (found.length > 1) {
      throw new UsageError(`${label} matches ${found.length} WhatsApp numbers (${found.map((f) => `${f.id}: ${f.phone_number}`).join(', ')}); name one by id (id:<n>)`);
    }
  }
  throw new NotFoundError(`WhatsApp number ${label} does not exist`);
}

function parse(ref: NumberRef): { ref: string | null; refId: number | null; refDigits: string } {
  if (typeof ref === 'number') return { ref: null, refId: requireId('number id', ref), refDigits: '' };
  if (typeof ref === 'object' && ref !== null && 'id' in ref) return { ref: null, refId: requireId('number id', ref.id), refDigits: '' };
  const text = typeof ref === 'object' && ref !== null && 'phone' in ref ? ref.phone : ref;
  if (typeof text !== 'string' || text.trim() === '' || text.length > 64) throw new UsageError('a WhatsApp number is an id or a phone number');
  const trimmed = text.trim();
  // Neither an id (they start at 1) nor a phone number: a usage error, as id:0 is.
  if (/^(id:)?0+$/i.test(trimmed)) throw new UsageError(`${trimmed} is not a phone number or a number id (ids start at 1)`);
  const byId = /^id:(\d+)$/i.exec(trimmed);
  if (byId) return { ref: null, refId: requireId('number id', Number(byId[1])), refDigits: '' };
  const digits = phoneDigits(trimmed);
  const asId = typeof ref === 'string' && /^\d{1,10}$/.test(trimmed) && Number(trimmed) > 0 && Number(trimmed) <= 2_147_483_647 ? Number(trimmed) : null;
  return { ref: trimmed, refId: asId, refDigits: digits.length >= 5 ? digits : '' };
}

/** A phone number as digits only, as the resolver compares them (sql/whatsapp/resolve-number.sql). */
function phoneDigits(text: string): string {
  return text.replace(/\D/g, '');
}

/**
 * Whether typed text names this phone number, as the resolver would read it: exactly, or the same
 * digits written differently (+7 (900) 123-45-67 = 79001234567). For a typed confirmation.
 */
export function samePhoneNumber(typed: string, phone: string): boolean {
  const text = typed.trim();
  if (text === phone) return true;
  const digits = phoneDigits(text);
  return digits.length >= 5 && digits === phoneDigits(phone);
}

function strip(row: Match): WhatsappNumberRow {
  const { matched_by: _m, ...rest } = row;
  return rest;
}
