// Splits a top-level JSON array into its elements with the line each starts on, for file:line errors. Pure.

export interface ArrayElement {
  line: number;
  value: unknown;
}

export function splitJsonArray(text: string): ArrayElement[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of daily papers');
  const lines = elementLines(text);
  return parsed.map((value, i) => ({ line: lines[i] ?? 1, value }));
}

/** Scans once, tracking strings and depth, to find where each top-level element starts. */
function elementLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(c) && c !== ']') {
      out.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return out;
}
