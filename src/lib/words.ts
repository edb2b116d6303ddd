// Counted nouns and waits in English, so every page, mail and message says "1 paper" and "2 papers"
// the same way, with thousands separated.

/** "1 paper", "1,234 papers"; give the plural when adding "s" is wrong ("1 entry", "2 entries"). */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}

/** "40 seconds", "3 minutes": how long until a rate limit lets a client try again. */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 90 ? countOf(s, 'second') : countOf(Math.ceil(s / 60), 'minute');
}
