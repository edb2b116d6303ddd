import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { spawnServe, tempDir } from './helpers.ts';

describe('paperboy serve', () => {
  it('loads the shipped sample into an empty database and serves it; every listed paper has a page and JSON', async () => {
    const { dir, cleanup } = tempDir();
    const serve = await spawnServe({ PORT: '0', DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', HARVEST_CRON: 'off', EMBEDDINGS: 'off' });
    const url = serve.url;
    try {
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
      await serve.stop();
      cleanup();
    }
  });
});
