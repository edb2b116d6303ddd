// The dependency rules of ARCHITECTURE.md, checked on the source: surfaces (web, api, feeds) never
// import each other, and the folders of src/ import one way only (no cycle between them).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');
const SURFACES = new Set(['web', 'api', 'feeds']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name) ? [path] : [];
  });
}

/** A file's part of src/: its top folder, or the file itself for files at the top (config.ts, app.ts). */
function partOf(file: string): string {
  const [first, ...rest] = relative(SRC, file).split(sep);
  return rest.length === 0 ? first! : `${first}/`;
}

interface Import {
  from: string;
  to: string;
  file: string;
}

/** Every relative import and dynamic import() between two parts of src/. */
function importsBetweenParts(): Import[] {
  const out: Import[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm)) {
      const target = resolve(dirname(file), m[1]!);
      if (!target.startsWith(SRC + sep)) continue;
      const from = partOf(file);
      const to = partOf(target);
      if (from !== to) out.push({ from, to, file: relative(SRC, file) });
    }
  }
  return out;
}

/** One cycle in the graph of parts, as a path that returns to its start, or undefined. */
function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...edges.keys()].sort()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

describe('architecture', () => {
  const imports = importsBetweenParts();

  it('sees the imports it checks', () => {
    expect(imports.some((i) => i.from === 'web/' && i.to === 'http/')).toBe(true);
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
  });

  it('has no import from one surface (web, api, feeds) to another', () => {
    const across = imports.filter((i) => SURFACES.has(i.from.slice(0, -1)) && SURFACES.has(i.to.slice(0, -1)));
    expect(across.map((i) => `${i.file} imports ${i.to}`)).toEqual([]);
  });

  it('has no import cycle between the parts of src/', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) edges.set(i.from, (edges.get(i.from) ?? new Set()).add(i.to));
    const cycle = findCycle(edges);
    const explain = cycle?.slice(1).map((to, k) => {
      const from = cycle[k]!;
      return `${from} → ${to} (${imports.find((i) => i.from === from && i.to === to)!.file})`;
    });
    expect(explain).toBeUndefined();
  });
});
