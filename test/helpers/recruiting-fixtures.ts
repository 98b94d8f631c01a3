/** Recruiters and slots for the recruiting-rule tests. */
import type { Knex } from 'knex';
import { one } from './domain-fixtures.js';

export async function addRecruiter(db: Knex, tgChatId = 900_000 + Math.floor(Math.random() * 99_999)): Promise<{ id: number; tgChatId: number }> {
  const row = await one<{ id: number }>(db, `INSERT INTO recruiters (name, tg_chat_id) VALUES ('Recruiter', :tgChatId) RETURNING id`, { tgChatId });
  return { id: row.id, tgChatId };
}

let hours = 0;
/** A slot in the future (so its reminders are due later), free unless a status is given. */
export async function addSlot(
  db: Knex,
  recruiterId: number,
  opts: { status?: string; candidateTgId?: number | null } = {},
): Promise<number> {
  hours += 3;
  const row = await one<{ id: number }>(
    db,
    `INSERT INTO slots (recruiter_id, start_utc, status, candidate_tg_id)
     VALUES (:recruiterId, date_trunc('hour', now()) + make_interval(hours => 24 + :hours), :status, :candidateTgId) RETURNING id`,
    { recruiterId, hours, status: opts.status ?? 'free', candidateTgId: opts.candidateTgId ?? null },
  );
  return row.id;
}
