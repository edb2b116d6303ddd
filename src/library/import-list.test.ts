import { describe, expect, it } from 'vitest';
import { readImportList } from './import-list.ts';
import { checkTagName, parseTagList, checkNote } from './tags.ts';

describe('readImportList', () => {
  it('reads eprint fields, arXiv URLs and arXiv: notes from BibTeX, skipping @string and @comment', () => {
    const bib = `@string{x = "y"}\n@comment{ignored 2501.00001}\n@misc{vaswani, title={Attention}, url={https://arxiv.org/abs/1706.03762v5}}\n@inproceedings{k, note={arXiv:hep-th/9901001}}\n@misc{e, eprint="2503.01234", archivePrefix={arXiv}}`;
    expect(readImportList(bib)).toEqual({ arxivIds: ['1706.03762', 'hep-th/9901001', '2503.01234'], unrecognised: [] });
  });
  it('reads a pasted list with URLs, versions and junk', () => {
    expect(readImportList('2503.01234v2, <https://arxiv.org/pdf/2501.00002.pdf>\n\nhello')).toEqual({ arxivIds: ['2503.01234', '2501.00002'], unrecognised: ['hello'] });
  });
});

describe('tags', () => {
  it('folds names and refuses commas, empties and long names', () => {
    expect(checkTagName('  To-Cite ')).toEqual({ ok: true, value: 'to-cite' });
    expect(parseTagList('rl, RL ,reading')).toEqual({ ok: true, value: ['rl', 'reading'] });
    expect(parseTagList(['a,b'])).toMatchObject({ ok: false });
    expect(checkTagName('x'.repeat(41))).toMatchObject({ ok: false });
    expect(checkNote('  ')).toEqual({ ok: true, value: null });
    expect(checkNote('a\u0000b')).toMatchObject({ ok: false });
  });
});
