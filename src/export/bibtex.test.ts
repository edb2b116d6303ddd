import { describe, expect, it } from 'vitest';
import type { Paper } from '../papers/paper.ts';
import { citationKey, paperToBibtex, texField } from './bibtex.ts';

function paper(fields: Partial<Paper> = {}): Paper {
  return {
    id: 1, arxivId: '2503.01234', version: 2, title: 'Attention Is All You Need', abstract: 'x',
    authors: ['Ashish Vaswani', 'Noam Shazeer'], categories: ['cs.CL', 'cs.LG'], primaryCategory: 'cs.CL',
    comment: null, journalRef: null, doi: null, license: null, submittedAt: '2025-03-02T10:00:00.000Z', updatedAt: null,
    announcedOn: '2025-03-04', withdrawn: false, hfUpvotes: 0, links: [], ...fields,
  };
}

/** True when every brace is matched, the way BibTeX counts them (escaped or not). */
function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{') depth++;
    if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('BibTeX', () => {
  it('writes an arXiv-style @misc entry', () => {
    expect(paperToBibtex(paper({ doi: '10.1000/xyz_1', journalRef: 'NeurIPS 2017' }))).toBe(`@misc{vaswani2025attention,
  title = {Attention Is All You Need},
  author = {Ashish Vaswani and Noam Shazeer},
  year = {2025},
  eprint = {2503.01234},
  archivePrefix = {arXiv},
  primaryClass = {cs.CL},
  url = {https://arxiv.org/abs/2503.01234},
  doi = {10.1000/xyz_1},
  note = {NeurIPS 2017}
}
`);
  });

  it('keeps math and accents, escapes specials outside math', () => {
    expect(texField('Scaling $O(n^2)$ attention: 100% of R&D for #1 in_place, ~2x faster ^_^')).toBe(
      'Scaling $O(n^2)$ attention: 100\\% of R\\&D for \\#1 in\\_place, \\textasciitilde{}2x faster \\textasciicircum{}\\_\\textasciicircum{}',
    );
    expect(texField('Schr\\"odinger bridges with \\{already\\} escaped \\& signs')).toBe('Schr\\"odinger bridges with \\{already\\} escaped \\& signs');
    expect(texField('It costs $5')).toBe('It costs \\$5');
  });

  it('never leaves unbalanced braces that would end the field early', () => {
    for (const title of ['A } broken { title', 'Open { only', 'Close } only', '{{nested} ok}', 'Escaped \\} alone']) {
      const out = texField(title);
      expect(balanced(out), `${title} → ${out}`).toBe(true);
    }
    expect(texField('{{nested} ok}')).toBe('{{nested} ok}');
    expect(texField('A } broken { title')).toBe('A \\textbraceright{} broken \\textbraceleft{} title');
  });

  it('braces author names BibTeX would split or reorder', () => {
    const bib = paperToBibtex(paper({ authors: ['The ATLAS Collaboration and friends', 'Smith, Jr., John', 'Zoë Ångström'] }));
    expect(bib).toContain('author = {{The ATLAS Collaboration and friends} and {Smith, Jr., John} and Zoë Ångström}');
  });

  it('builds ASCII citation keys from the first author, year and title word', () => {
    expect(citationKey(paper({ authors: ['Zoë Ångström'], title: 'On the Ümlaut' }))).toBe('angstrom2025umlaut');
    expect(citationKey(paper({ authors: ['Li'], title: 'A B C', submittedAt: null, announcedOn: '2024-01-01' }))).toBe('li2024');
  });
});
