import { describe, expect, it } from 'vitest';
import { bestAuthorMatch, highlightAuthors, matchAuthor } from './authors.ts';

describe('author queries', () => {
  it('tells a whole name from a part of one', () => {
    expect(matchAuthor('Yann LeCun', ['yann', 'lecun'])).toBe('exact');
    expect(matchAuthor('Yann LeCun', ['lecun'])).toBe('partial');
    expect(matchAuthor('Yann LeCun', ['lecun', 'yann'])).toBeUndefined();
    expect(matchAuthor('José Müller', ['jose', 'muller'])).toBe('exact');
    expect(bestAuthorMatch(['Wei Li', 'Li'], [['li']])).toBe('exact');
    expect(bestAuthorMatch(['Wei Li'], [['li']])).toBe('partial');
  });

  it('marks the named authors, escaped, and keeps one named past the shown ones', () => {
    expect(highlightAuthors(['Ada <b>', 'Yann LeCun'], [['lecun']])).toBe('Ada &lt;b&gt;, <mark>Yann LeCun</mark>');
    const many = ['A a', 'B b', 'C c', 'D d', 'E e', 'F f', 'G g', 'Yann LeCun'];
    expect(highlightAuthors(many, [['lecun']])).toBe('A a, B b, C c, D d, E e, F f, …, <mark>Yann LeCun</mark> et al. (8 authors)');
  });
});
