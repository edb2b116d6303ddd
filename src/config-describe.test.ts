import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { describeConfig } from './config-describe.ts';

/** Every variable the configuration reads, taken from its source so a new one cannot be forgotten. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of ['config.ts', 'config-around.ts']) {
    const source = readFileSync(new URL(file, import.meta.url), 'utf8');
    for (const m of source.matchAll(/\bget\('([A-Z0-9_]+)'\)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

describe('describeConfig', () => {
  it('lists every variable the configuration reads', () => {
    const read = variablesRead();
    expect(read.length).toBeGreaterThan(30);
    const described = new Set(describeConfig(loadConfig({})).map(([name]) => name));
    expect(read.filter((name) => !described.has(name))).toEqual([]);
  });

  it('masks every secret', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:db-secret-pw@db.example/paperboy',
      SMTP_URL: 'smtp://mailer:smtp-secret-pw@mail.example:587',
      PAPERBOY_SECRET: 'x'.repeat(40),
      EMBEDDING_API_KEY: 'embedding-secret-key',
    });
    const text = describeConfig(config).map(([n, v]) => `${n}=${v}`).join('\n');
    for (const secret of ['db-secret-pw', 'smtp-secret-pw', 'x'.repeat(40), 'embedding-secret-key']) expect(text).not.toContain(secret);
    expect(text).toContain('postgres://u:***@db.example/paperboy');
  });
});
