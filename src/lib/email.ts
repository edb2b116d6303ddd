// The one email address check, shared by sign-in, digest subscriptions and curator tools: a plain
// ASCII local part and a domain of letters, digits and hyphens, nothing else. Stricter than RFC 5322
// on purpose: NUL, control characters, spaces, quotes and non-ASCII would let one mailbox hide behind
// many spellings (each its own account and rate-limit key), and some mail servers mangle them.

export const MAX_EMAIL_LENGTH = 254;

const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** The address trimmed and lower-cased, or undefined when it is not one we accept. */
export function normalizeEmail(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_EMAIL_LENGTH + 100) return undefined;
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) return undefined;
  return email;
}
