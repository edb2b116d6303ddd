import { describe, expect, it } from 'vitest';
import { parseArxivId } from './arxiv-id.ts';

describe('parseArxivId', () => {
  it.each([
    ['2503.01234', '2503.01234', undefined],
    ['2503.01234v2', '2503.01234', 2],
    ['arXiv:2503.01234', '2503.01234', undefined],
    ['ARXIV: 2503.01234v3', '2503.01234', 3],
    ['0704.0001', '0704.0001', undefined],
    ['hep-th/9901001', 'hep-th/9901001', undefined],
    ['hep-th/9901001v2', 'hep-th/9901001', 2],
    ['math.GT/0309136', 'math.GT/0309136', undefined],
    ['https://arxiv.org/abs/2503.01234v2', '2503.01234', 2],
    ['https://arxiv.org/pdf/2503.01234v2', '2503.01234', 2],
    ['https://arxiv.org/pdf/2503.01234.pdf', '2503.01234', undefined],
    ['http://export.arxiv.org/abs/hep-th/9901001', 'hep-th/9901001', undefined],
    ['arxiv.org/abs/2503.01234', '2503.01234', undefined],
    ['https://huggingface.co/papers/2503.01234', '2503.01234', undefined],
    ['  2503.01234  ', '2503.01234', undefined],
  ])('reads %s', (input, id, version) => {
    expect(parseArxivId(input)).toEqual({ id, version });
  });

  it.each(['', '2503.1234', '2513.01234', '1412.12345', 'hello', 'https://example.com/abs/2503.01234', '<script>', '2503.01234v', 'javascript:alert(1)', 'https://arxiv.org/abs/%ZZ', 'arxiv.org/abs/%E0%A4%A'])(
    'rejects %j',
    (input) => {
      expect(parseArxivId(input)).toBeUndefined();
    },
  );
});
