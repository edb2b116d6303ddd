// Tag names as users type them ("rl", "to-cite", "reading group: diffusion"): checked and folded
// to one spelling, so "RL" and "rl " are the same tag. Pure.

export const MAX_TAG_LENGTH = 40;
export const MAX_TAGS_PER_PAPER = 20;
export const MAX_NOTE_LENGTH = 4000;
export const MAX_DESCRIPTION_LENGTH = 2000;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Lower-cased, NFC, inner spaces collapsed; commas separate tags so they cannot be in one. */
export function checkTagName(raw: string): Checked<string> {
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  if (name.length === 0) return { ok: false, message: 'A tag cannot be empty.' };
  if ([...name].length > MAX_TAG_LENGTH) return { ok: false, message: `A tag must be at most ${MAX_TAG_LENGTH} characters.` };
  if (/[,\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(name)) return { ok: false, message: `Tag "${name}" contains a comma or a control character.` };
  return { ok: true, value: name };
}

/** "rl, to-cite" or ["rl", "to-cite"] → distinct checked names, in the order given. */
export function parseTagList(input: string | string[]): Checked<string[]> {
  const parts = (Array.isArray(input) ? input : input.split(',')).filter((p) => p.trim() !== '');
  const out: string[] = [];
  for (const part of parts) {
    const checked = checkTagName(part);
    if (!checked.ok) return checked;
    if (!out.includes(checked.value)) out.push(checked.value);
  }
  if (out.length > MAX_TAGS_PER_PAPER) return { ok: false, message: `At most ${MAX_TAGS_PER_PAPER} tags per paper.` };
  return { ok: true, value: out };
}

/** A note: trimmed, empty means none; too long is an error rather than a silent cut. */
export function checkNote(raw: string, max = MAX_NOTE_LENGTH): Checked<string | null> {
  const note = raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if ([...note].length > max) return { ok: false, message: `A note must be at most ${max} characters.` };
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u202A-\u202E\u2066-\u2069]/u.test(note)) return { ok: false, message: 'The note contains control characters.' };
  return { ok: true, value: note === '' ? null : note };
}
