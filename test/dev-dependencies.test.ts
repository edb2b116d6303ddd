// The product runs with `npm ci --omit=dev`: only src/bench/ (loaded by `paperboy bench`) and tests
// may import devDependencies, and nothing else may import src/bench/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const devDependencies = new Set(Object.keys(manifest.devDependencies));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier in a file: static imports and re-exports, import(), require() and *.resolve(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const re of [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g, /(?:\brequire|\.resolve)\s*\(\s*['"]([^'"]+)['"]/g, /^\s*import\s+['"]([^'"]+)['"]/gm]) {
    for (const m of text.matchAll(re)) found.push(m[1]!);
  }
  return found;
}

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const files = sourceFiles(SRC).map((path) => ({ name: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const isBench = (name: string) => name.startsWith('bench/');

describe('what the product imports', () => {
  it('finds devDependencies where they are used (the scan itself works)', () => {
    const bench = files.filter((f) => isBench(f.name)).flatMap((f) => specifiers(f.text).map(packageOf));
    expect(bench).toContain('autocannon');
    expect(bench).toContain('smtp-server');
  });

  it('imports no devDependency outside src/bench/', () => {
    const offending = files
      .filter((f) => !isBench(f.name))
      .flatMap((f) => specifiers(f.text).filter((s) => devDependencies.has(packageOf(s) ?? '')).map((s) => `${f.name} imports ${s}`));
    expect(offending).toEqual([]);
  });

  it('imports nothing from src/bench/ outside it but the bench command', () => {
    const offending = files
      .filter((f) => !isBench(f.name) && f.name !== 'commands/bench.ts')
      .flatMap((f) => specifiers(f.text).filter((s) => /(^|\/)bench\//.test(s)).map((s) => `${f.name} imports ${s}`));
    expect(offending).toEqual([]);
  });
});
