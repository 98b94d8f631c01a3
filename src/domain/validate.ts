/**
 * Input checks shared by the rules: a bad id is the caller's mistake (UsageError, exit 2), found
 * before any statement runs, so the database never sees text where it expects a number.
 */
import { UsageError } from '../errors.js';

/** The largest SERIAL id. */
export const INT4_MAX = 2_147_483_647;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A SERIAL primary key: a positive integer that fits int4. */
export function requireId(name: string, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value > INT4_MAX) {
    throw new UsageError(`${name} ${value} is too large: ids go up to ${INT4_MAX}`);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new UsageError(`${name} must be a positive integer id, got ${describe(value)}`);
  }
  return value;
}

/** A Telegram user id (BIGINT): a positive safe integer. */
export function requireTgId(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new UsageError(`${name} must be a positive Telegram id, got ${describe(value)}`);
  }
  return value;
}

/** Like requireTgId, but null/undefined stay null (a NULL candidate is a legitimate key part). */
export function optionalTgId(name: string, value: unknown): number | null {
  return value === null || value === undefined ? null : requireTgId(name, value);
}

export function optionalId(name: string, value: unknown): number | null {
  return value === null || value === undefined ? null : requireId(name, value);
}

export function requireUuid(name: string, value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new UsageError(`${name} must be a UUID, got ${describe(value)}`);
  return value.toLowerCase();
}

export function requireText(name: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${name} must be a non-empty string`);
  if (value.length > maxLength) throw new UsageError(`${name} is longer than ${maxLength} characters`);
  return value;
}

export function optionalText(name: string, value: unknown, maxLength: number): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new UsageError(`${name} must be a string`);
  if (value.length > maxLength) throw new UsageError(`${name} is longer than ${maxLength} characters`);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}
