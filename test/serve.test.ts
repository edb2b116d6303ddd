import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'paperboy.js');

describe('paperboy serve', () => {
  it('loads the shipped sample into an empty database and serves it; every listed paper has a page and JSON', async () => {
    const { dir, cleanup } = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH!, PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', HARVEST_CRON: 'off', EMBEDDINGS: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const home = await (await fetch(`${url}/`)).text();
      expect(home).toContain('Wednesday, 1 July 2026');
      expect(home).toMatch(/300 papers/);
      const ids = [...home.matchAll(/href="\/papers\/([^"]+)"/g)].map((m) => m[1]!);
      expect(ids.length).toBe(50);
      for (const id of ids) {
        expect((await fetch(`${url}/papers/${id}`)).status, id).toBe(200);
        const json = (await (await fetch(`${url}/api/papers/${id}`)).json()) as { id: string; announcedOn: string };
        expect(json).toMatchObject({ id, announcedOn: '2026-07-01' });
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      cleanup();
    }
  });
});
