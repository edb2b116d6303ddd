import { describe, expect, it } from 'vitest';
import { normalizeEmail } from './email.ts';

describe('normalizeEmail', () => {
  it.each([
    ['Ada@Example.org', 'ada@example.org'],
    ['  ada+digest@mail.example.co.uk ', 'ada+digest@mail.example.co.uk'],
  ])('accepts %j', (raw, email) => {
    expect(normalizeEmail(raw)).toBe(email);
  });

  it.each(['nul\u0000@x.test', 'tab\t@x.test', 'bell\u0007@x.test', 'del\u007f@x.test', 'a b@x.test', '"q"@x.test', 'ädä@x.test', 'a@exämple.org', 'a@x', 'a@-x.test', '@x.test', 'a@@x.test', `${'a'.repeat(65)}@x.test`, 'a@x.test\u0000'])(
    'rejects %j',
    (raw) => {
      expect(normalizeEmail(raw)).toBeUndefined();
    },
  );

  it('rejects what is not a string', () => {
    for (const v of [undefined, null, 42, ['a@x.test'], { email: 'a@x.test' }]) expect(normalizeEmail(v)).toBeUndefined();
  });
});
