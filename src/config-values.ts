// The value parsers of src/config.ts: each checks one environment value, returns it typed (or a
// fallback) and adds a message naming the variable to \`problems\`, so every bad setting is reported
// at once. Pure: no environment is read here.
import { isIP } from 'node:net';
import { Cron } from 'croner';

export function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

export function parseDecimal(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || n < min || n > max) {
    problems.push(`${name}: expected a number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}

/** proxy-addr's named ranges, accepted in a TRUST_PROXY list beside addresses and CIDRs. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: off, on, or a comma-separated list of proxy addresses and CIDR ranges. No hop count:
 * fastify 5 ignores X-Forwarded-* entirely with one, since it cannot check the peer.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | string[] {
  const value = (raw ?? 'off').trim().toLowerCase();
  if (value === 'off') return false;
  if (value === 'on') return true;
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !PROXY_RANGES.includes(e) && !isAddressOrCidr(e));
  if (entries.length === 0 || bad.length > 0) {
    problems.push(
      `TRUST_PROXY: expected off, on, or the proxies' comma-separated addresses or CIDR ranges ` +
        `(e.g. "10.0.0.0/8,::1" or "loopback"), got "${raw}"${bad.length > 0 && entries.length > 1 ? ` (not an address: ${bad.join(', ')})` : ''}`,
    );
    return false;
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export function parseUrl(name: string, raw: string, protocols: string[], problems: string[]): string {
  try {
    const url = new URL(raw);
    if (!protocols.includes(url.protocol)) {
      problems.push(`${name}: expected a ${protocols.join(' or ')} URL, got "${raw}"`);
    }
  } catch {
    problems.push(`${name}: not a valid URL: "${raw}"`);
  }
  return raw;
}

/** A cron expression (5 or 6 fields) or "off". */
export function parseCron(name: string, raw: string, problems: string[]): string {
  const value = raw.trim();
  if (value.toLowerCase() === 'off') return 'off';
  try {
    new Cron(value, { paused: true, timezone: 'UTC' }).stop();
  } catch (err) {
    problems.push(`${name}: expected a cron expression like "0 7 * * *" or off, got "${raw}" (${(err as Error).message})`);
  }
  return value;
}

/** Hides the password in a URL: postgres://u:***@host/db. */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw;
  }
}
