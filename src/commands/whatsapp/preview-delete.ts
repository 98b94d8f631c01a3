/**
 * bookops whatsapp preview-delete <number>: what `whatsapp delete` would remove (seed 003's
 * warning, with numbers and names): the number's bots, its conversations with their messages,
 * its broadcasts with their recipients. Read-only.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { requireModule } from '../shared/support-render.js';
import { describeReferrers } from '../../domain/whatsapp/index.js';
import { describeCounts, numberLabel, previewNumber, type NumberPreview } from './number-preview.js';

export interface PreviewDeleteOptions {
  number: string;
  sample?: number;
}

export async function run(ctx: Context, opts: PreviewDeleteOptions): Promise<NumberPreview> {
  const db = await ctx.db();
  await requireModule(db, 'whatsapp');
  return previewNumber(db, opts.number, opts.sample ?? 20);
}

export function render(p: NumberPreview, out: Output): void {
  out.print(`deleting ${numberLabel(p)} would remove ${p.total} row(s): the number, ${describeCounts(p)}`);
  renderRows(p, out);
  for (const line of referrerWarnings(p)) out.print(out.c.yellow(line));
  out.print(p.number.is_active ? `to keep everything and stop it instead: bookops whatsapp deactivate ${p.number.id}` : 'the number is already inactive');
}

export function renderRows(p: NumberPreview, out: Output): void {
  const more = (shown: number, total: number) => (shown < total ? ` (first ${shown} of ${total})` : '');
  if (p.rows.bots.length) {
    out.print(`bots${more(p.rows.bots.length, p.counts.bots)}:`);
    out.print(out.table(['id', 'name', 'active'], p.rows.bots.map((b) => [b.id, b.name, b.is_active ? 'yes' : 'no'])));
  }
  if (p.rows.conversations.length) {
    out.print(`conversations${more(p.rows.conversations.length, p.counts.conversations)}:`);
    out.print(out.table(['id', 'contact', 'status', 'messages'], p.rows.conversations.map((c) => [c.id, c.contact_phone, c.status, c.messages])));
  }
  if (p.rows.broadcasts.length) {
    out.print(`broadcasts${more(p.rows.broadcasts.length, p.counts.broadcasts)}:`);
    out.print(out.table(['id', 'title', 'status', 'recipients'], p.rows.broadcasts.map((b) => [b.id, b.title, b.status, b.recipients])));
  }
}

/** Rows of tables bookops does not know that stop a delete: said before anyone tries it. */
export function referrerWarnings(p: NumberPreview): string[] {
  return [
    ...(p.unarchivableReferrers.length
      ? [`delete would refuse (exit 4): it would also change ${describeReferrers(p.unarchivableReferrers)}, which bookops cannot archive`]
      : []),
    ...(p.blockingReferrers.length
      ? [`delete would fail (exit 6): ${describeReferrers(p.blockingReferrers)} still reference these rows; remove them first`]
      : []),
  ];
}
