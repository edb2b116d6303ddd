import { describe, expect, it } from 'vitest';
import { extractLinks } from './links.ts';

describe('extractLinks', () => {
  it('types code, Hugging Face and project links, in order, without duplicates', () => {
    const links = extractLinks(
      'Code is at https://github.com/org/repo/tree/main. Weights: https://huggingface.co/org/model-7b and https://huggingface.co/datasets/org/data.',
      'Project page: https://example.org/project/ ; demo https://huggingface.co/spaces/org/demo; also github.com/org/repo',
    );
    expect(links).toEqual([
      { kind: 'code', url: 'https://github.com/org/repo' },
      { kind: 'hf_model', url: 'https://huggingface.co/org/model-7b' },
      { kind: 'hf_dataset', url: 'https://huggingface.co/datasets/org/data' },
      { kind: 'project', url: 'https://example.org/project/' },
      { kind: 'hf_space', url: 'https://huggingface.co/spaces/org/demo' },
    ]);
  });

  it('reads \\url{} and GitLab/Bitbucket, ignores arXiv and DOI links and bare hosts', () => {
    expect(extractLinks('see \\url{https://gitlab.com/a/b} and https://bitbucket.org/c/d.git, https://arxiv.org/abs/1, https://doi.org/10.1/x, https://github.com/')).toEqual([
      { kind: 'code', url: 'https://gitlab.com/a/b' },
      { kind: 'code', url: 'https://bitbucket.org/c/d' },
    ]);
  });

  it('drops trailing punctuation and unbalanced parentheses', () => {
    expect(extractLinks('(code: https://github.com/a/b).')).toEqual([{ kind: 'code', url: 'https://github.com/a/b' }]);
  });
});
