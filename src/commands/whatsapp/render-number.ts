/** What the WhatsApp commands show of a number's tree: its first rows per kind, and rows of other tables in the way. */
import { describeReferrers, type NumberPreview } from '../../domain/whatsapp/delete-number.js';
import type { Output } from '../../io/output.js';

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
    ...(p.blockingReferrers.length ? [`delete would fail (exit 6): ${describeReferrers(p.blockingReferrers)} still reference these rows; remove them first`] : []),
  ];
}
