import { describe, expect, it } from 'vitest';
import { porterStem } from './porter.ts';
import { highlight, snippet } from './snippet.ts';

const ROOTS = ['a', 'y', 'e', 'i', 'o', 'u', 'yes', 'eye', 'ion', 'ate', 'ally', 'ing', 'ed', 'sky', 'happy', 'relate', 'general', 'sense', 'adapt', 'condition', 'operate', 'hope', 'fly', 'agree', 'iz', 'at', 'bl', 'xy', 'zz'];
const ENDINGS = ['', 's', 'es', 'ies', 'ed', 'ing', 'ly', 'y', 'ational', 'tional', 'enci', 'anci', 'izer', 'abli', 'alli', 'entli', 'eli', 'ousli', 'ization', 'ation', 'ator', 'alism', 'iveness', 'fulness', 'ousness', 'aliti', 'iviti', 'biliti', 'icate', 'ative', 'alize', 'iciti', 'ical', 'ful', 'ness', 'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'e', 'll'];

describe('snippets', () => {
  it('rely on stems beginning with their word\'s first letter (only those words are stemmed)', () => {
    for (const root of ROOTS) for (const ending of ENDINGS) expect(porterStem(root + ending)[0]).toBe(root[0]);
  });
  it('rely on stems of two or more letters beginning with their word\'s first two, a second y read as i', () => {
    const key = (w: string) => w[0]! + (w[1] === 'y' ? 'i' : w[1]);
    for (const word of [...ROOTS.flatMap((root) => ENDINGS.map((ending) => root + ending)), 'ays', 'eyed', 'ies', 'aed', 'dying', 'lying']) {
      const stem = porterStem(word);
      if (stem.length >= 2) expect(key(stem), `${word} → ${stem}`).toBe(key(word));
      else expect(stem).toBe(word[0]);
    }
  });
  it('split ASCII text into the same words as any other text (scanned by hand, not by the pattern)', () => {
    const stems = new Set(['model', '3d', 'x2', 'gener']);
    const text = 'Models_of 3D-models, x2/X2 and \\emph{generative} models9 (model) end.model';
    // A non-ASCII character anywhere sends the text through the Unicode pattern instead.
    expect(highlight(`${text} é`, stems)).toBe(`${highlight(text, stems)} é`);
    expect(highlight(text, stems)).toBe('<mark>Models</mark>_of <mark>3D</mark>-<mark>models</mark>, <mark>x2</mark>/<mark>X2</mark> and \\emph{<mark>generative</mark>} models9 (<mark>model</mark>) end.<mark>model</mark>');
  });
  it('mark words whose stem changes their second letter or is one letter long', () => {
    expect(highlight('Ays, eyed and ies; not ayes.', new Set([porterStem('ays'), porterStem('eyed'), porterStem('ies')]))).toBe('<mark>Ays</mark>, <mark>eyed</mark> and <mark>ies</mark>; not ayes.');
  });
  it('mark every word of a query stem, whatever its case, ending or accents, and nothing else', () => {
    const stems = new Set(['adapt', 'naiv', 'gener']);
    expect(highlight('Adaptive, ADAPTED and naïve models; Naive generalization. Generated later, not adopted.', stems))
      .toBe('<mark>Adaptive</mark>, <mark>ADAPTED</mark> and <mark>naïve</mark> models; <mark>Naive</mark> <mark>generalization</mark>. <mark>Generated</mark> later, not adopted.');
    const long = `${'Filler words about nothing much. '.repeat(12)}Here adaptation happens. ${'More filler text. '.repeat(12)}`;
    expect(snippet(long, stems)).toContain('<mark>adaptation</mark>');
  });
});
