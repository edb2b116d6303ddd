// What a subscriber asks for: frequency, topics and a minimum upvote count; parsed once at the edge
// (the JSON API and the web form share it) and matched against papers here. Pure.
import { z } from 'zod';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '../lib/email.ts';
import type { Paper } from '../papers/index.ts';

export type Frequency = 'daily' | 'weekly';

export interface Topics {
  /** arXiv categories (cs.CL) or whole archives (cs). */
  categories: string[];
  /** Words or phrases looked for in titles and abstracts. */
  keywords: string[];
  /** Names (or parts of names) looked for among the authors. */
  authors: string[];
}

export interface Preferences {
  frequency: Frequency;
  topics: Topics;
  minUpvotes: number;
}

export const NO_TOPICS: Topics = { categories: [], keywords: [], authors: [] };

const CATEGORY_RE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** A list given as an array or as one comma-separated string (what a form sends). */
const list = (max: number, each: z.ZodString) =>
  z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean)))
    .pipe(z.array(each).max(max, `at most ${max} entries`))
    .transform((v) => [...new Set(v)]);

const topicsSchema = z
  .object({
    categories: list(20, z.string().regex(CATEGORY_RE, 'each category looks like cs.CL or cs')),
    keywords: list(20, z.string().min(2, 'each keyword needs at least 2 characters').max(100, 'each keyword is at most 100 characters')),
    authors: list(20, z.string().min(2, 'each author needs at least 2 characters').max(100, 'each author is at most 100 characters')),
  })
  .strict();

const minUpvotesField = z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be 0 or more').max(100_000, 'at most 100000');

/** A subscription request as the JSON API and the forms send it; min_upvotes is the form's name for minUpvotes. */
export const subscribeSchema = z
  .object({
    email: z
      .string({ error: 'required' })
      .trim()
      .max(MAX_EMAIL_LENGTH, `at most ${MAX_EMAIL_LENGTH} characters`)
      .transform((s, ctx) => normalizeEmail(s) ?? (ctx.addIssue({ code: 'custom', message: 'not a valid email address' }), z.NEVER))
      .describe('the address the digest goes to; a confirmation link is mailed there first'),
    frequency: z.enum(['daily', 'weekly'], { error: 'must be "daily" or "weekly"' }),
    topics: topicsSchema.optional().transform((t) => t ?? { ...NO_TOPICS }).describe('what to include; none means every paper'),
    minUpvotes: minUpvotesField.optional().describe('leave out papers with fewer upvotes (default 0)'),
    min_upvotes: z.unknown().optional().describe('the same as minUpvotes, as HTML forms name it'),
  })
  .transform(({ min_upvotes, ...rest }, ctx) => {
    if (rest.minUpvotes !== undefined || min_upvotes === undefined) return { ...rest, minUpvotes: rest.minUpvotes ?? 0 };
    const alias = minUpvotesField.safeParse(min_upvotes);
    if (alias.success) return { ...rest, minUpvotes: alias.data };
    for (const issue of alias.error.issues) ctx.addIssue({ code: 'custom', path: ['minUpvotes'], message: issue.message });
    return z.NEVER;
  });

export type SubscribeInput = z.output<typeof subscribeSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** Validates a subscription request; on failure names the first bad field (e.g. "topics.categories"). */
export function parseSubscribeInput(input: unknown): ParseResult<SubscribeInput> {
  const r = subscribeSchema.safeParse(typeof input === 'object' && input !== null ? input : {});
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const field = issue.path.filter((p) => typeof p !== 'number').join('.') || 'body';
  return { ok: false, field, message: `${field}: ${issue.message}` };
}

function hasTopics(t: Topics): boolean {
  return t.categories.length + t.keywords.length + t.authors.length > 0;
}

export function describeTopics(t: Topics): string {
  const parts: string[] = [];
  if (t.categories.length) parts.push(`categories ${t.categories.join(', ')}`);
  if (t.keywords.length) parts.push(`keywords ${t.keywords.map((k) => `"${k}"`).join(', ')}`);
  if (t.authors.length) parts.push(`authors ${t.authors.join(', ')}`);
  return parts.length ? parts.join('; ') : 'all topics';
}

/** A compiled topic filter: a paper matches when any category, keyword or author matches (or no topics are set). */
export type TopicMatcher = (paper: Paper) => boolean;

export function compileTopics(t: Topics): TopicMatcher {
  if (!hasTopics(t)) return () => true;
  const cats = t.categories.map((c) => c.toLowerCase());
  const words = t.keywords.map((k) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(k.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u'));
  const names = t.authors.map((a) => a.toLowerCase());
  return (p) => {
    if (cats.length && p.categories.some((pc) => {
      const lc = pc.toLowerCase();
      return cats.some((c) => lc === c || lc.startsWith(`${c}.`));
    })) return true;
    if (words.length) {
      const hay = `${p.title}\n${p.abstract}`.toLowerCase();
      if (words.some((re) => re.test(hay))) return true;
    }
    if (names.length && p.authors.some((a) => {
      const la = a.toLowerCase();
      return names.some((n) => la.includes(n));
    })) return true;
    return false;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
