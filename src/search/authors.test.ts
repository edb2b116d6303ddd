import { describe, expect, it } from 'vitest';
import { bestAuthorMatch, matchAuthor, namedAuthors } from './authors.ts';

describe('author queries', () => {
  it('tells a whole name from a part of one', () => {
    expect(matchAuthor('Yann LeCun', ['yann', 'lecun'])).toBe('exact');
    expect(matchAuthor('Yann LeCun', ['lecun'])).toBe('partial');
    expect(matchAuthor('Yann LeCun', ['lecun', 'yann'])).toBeUndefined();
    expect(matchAuthor('José Müller', ['jose', 'muller'])).toBe('exact');
    expect(bestAuthorMatch(['Wei Li', 'Li'], [['li']])).toBe('exact');
    expect(bestAuthorMatch(['Wei Li'], [['li']])).toBe('partial');
  });

  it('names the authors a clause matches, whole or in part', () => {
    expect(namedAuthors(['Ada Lovelace', 'Yann LeCun', 'Yann LeCun-Smith', 'Lecun Y'], [['lecun']])).toEqual(['Yann LeCun', 'Yann LeCun-Smith', 'Lecun Y']);
    expect(namedAuthors(['Ada Lovelace'], [['yann', 'lecun']])).toEqual([]);
  });
});
