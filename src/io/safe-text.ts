/**
 * Text from the database reaches the terminal inside ours: a candidate's name the bot stored, an
 * error a worker wrote, a site's trigger definition. A control character in it could set the
 * window title, clear the screen or move the cursor and redraw the confirmation a person is
 * about to answer; a bidirectional override could reorder what they read. So every one of them
 * is written escaped, as `\x1b` or `\u202e`, except the line breaks and tabs of our own layout
 * and the colour sequences our own output is drawn with (SGR, `ESC [ … m`, of the codes chalk
 * writes for bold, dim and the foreground colours we use: no background, no black, nothing that
 * hides text). --json needs none of this: JSON escapes every control character.
 */

/** The SGR codes of our colours: reset, bold, dim, normal intensity, red to white, default colour. */
const OUR_SGR = new Set(['0', '1', '2', '22', '31', '32', '33', '34', '35', '36', '37', '39']);

/** An SGR sequence, or one character to escape: C0 but tab and newline, DEL, C1, bidi controls. */
const UNSAFE = /\x1b\[([0-9;]*)m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeText(text: string): string {
  return text.replace(UNSAFE, (match: string, params: string | undefined) => {
    if (params === undefined) return escaped(match);
    // Our colours pass; any other sequence is shown, its escape character escaped.
    return params.split(';').every((p) => OUR_SGR.has(p)) ? match : escaped('\x1b') + match.slice(1);
  });
}

function escaped(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
