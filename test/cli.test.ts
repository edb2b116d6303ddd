import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './helpers.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');

async function paperboy(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'warn', ...env } });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('paperboy CLI', () => {
  it('lists commands and gives --help for each', async () => {
    const top = await paperboy(['--help']);
    expect(top.code).toBe(0);
    const names = [...top.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(['config', 'import', 'migrate', 'serve']));
    const helps = await Promise.all(names.map((name) => paperboy([name, '--help'])));
    helps.forEach((help, i) => {
      expect(help.code, names[i]).toBe(0);
      expect(help.stdout, names[i]).toMatch(/^Usage: paperboy /);
    });
  }, 120_000);

  it('benches the around-the-paper jobs on loopback servers and reports papers/s for each', async () => {
    const bad = await paperboy(['bench', 'around', '--only', 'mysql']);
    expect([bad.code, bad.stderr]).toEqual([2, 'paperboy bench around: --only: expected sqlite or postgres, got "mysql"\n']);
    const r = await paperboy(['bench', 'around', '--only', 'sqlite']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = [...r.stdout.matchAll(/^\| sqlite \| (\w+) \| ([\d,]+) \| [\d.]+ \| ([\d.]+) \| ([\d.]+) \| ([\d.–]+) \|$/gm)];
    expect(rows.map((m) => m[1])).toEqual(['summarize', 'thumbnails', 'stars']);
    for (const [, job, papers, perSecond, cpu] of rows) {
      expect(Number(papers!.replace(/,/g, '')), job).toBeGreaterThan(0);
      expect(Number(perSecond), job).toBeGreaterThan(0);
      expect(Number(cpu), job).toBeGreaterThan(0);
    }
  }, 300_000);

  it('rejects unknown commands and options with a pointer to --help', async () => {
    expect((await paperboy(['frobnicate'])).code).toBe(2);
    const bad = await paperboy(['import', '--nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('paperboy import --help');
  });

  it('runs bench modes: one line per mode in bench --help, each mode its own --help, clear errors', async () => {
    const [group, http, unknown, missing, badOption] = await Promise.all([
      paperboy(['bench', '--help']),
      paperboy(['bench', 'http', '--help']),
      paperboy(['bench', 'frobnicate']),
      paperboy(['bench']),
      paperboy(['bench', 'trending', '--nope']),
    ]);
    expect(group.code).toBe(0);
    // Every registered mode (the error below lists them) has its one-line summary in bench --help, in order.
    const modes = [...group.stdout.matchAll(/^ {2}([a-z-]+) {2,}\S/gm)].map((m) => m[1]);
    expect(modes).toEqual(expect.arrayContaining(['search', 'search-latency', 'trending', 'http', 'digest']));
    const registered = /the modes are: ([a-z, -]+)\./.exec(unknown.stderr)?.[1]?.split(', ');
    expect(modes).toEqual(registered);
    expect(http.code).toBe(0);
    expect(http.stdout).toMatch(/^Usage: paperboy bench http \[--data FILE\]/);
    expect(http.stdout).toContain('--only DIALECT');
    expect(http.stdout).not.toContain('search-latency');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown mode "frobnicate"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('name a mode first');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('paperboy bench trending --help');
    const helps = await Promise.all(modes.map((mode) => paperboy(['bench', mode!, '--help'])));
    helps.forEach((help, i) => expect(help.stdout, modes[i]).toMatch(new RegExp(`^Usage: paperboy bench ${modes[i]} `)));
  }, 120_000);

  it('reports every bad variable at once and masks secrets', async () => {
    const bad = await paperboy(['config'], { PORT: 'eighty', DATABASE_URL: 'mysql://x', PAPERBOY_SAMPLE: 'maybe' });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('PORT: expected an integer');
    expect(bad.stderr).toContain('DATABASE_URL: expected sqlite:PATH or postgres://');
    expect(bad.stderr).toContain('PAPERBOY_SAMPLE: expected on or off');
    const ok = await paperboy(['config'], { SMTP_URL: 'smtp://user:hunter2@mail.example:587', PORT: '8080' });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^PORT\s+8080$/m);
    expect(ok.stdout).toMatch(/^BASE_URL\s+http:\/\/localhost:8080$/m);
    expect(ok.stdout).toContain('smtp://user:***@mail.example:587');
    expect(ok.stdout).not.toContain('hunter2');
  });

  it('imports files and prints a summary; a bad file fails with a clear message', async () => {
    const { dir, cleanup } = tempDir();
    const env = { DATABASE_URL: `sqlite:${join(dir, 'p.db')}` };
    const res = await paperboy(['import', join(import.meta.dirname, 'fixtures', 'listing.jsonl')], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/read 6, new 3, updated 0, unchanged 0, rejected 3 in [\d.]+s \([\d,]+ papers\/s\)/);
    expect(res.stderr).toMatch(/rejected .*listing\.jsonl:3: not valid JSON/);
    const bad = await paperboy(['import', join(import.meta.dirname, 'fixtures', 'not-papers.txt')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a supported file');
    const status = await paperboy(['migrate', '--status'], env);
    expect(status.stdout).toMatch(/Z {2}0001-papers/);
    cleanup();
  });
});
