// A reason as a short phrase for cards, feeds and mail. Pure.
import type { Reason } from './rank.ts';

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case 'tag':
      return r.count === 1 ? `like a paper you saved in ${r.tag}` : `like ${r.count} papers you saved in ${r.tag}`;
    case 'paper':
      return `like “${r.title.length > 80 ? `${r.title.slice(0, 77)}…` : r.title}”, which you ${r.upvoted ? 'upvoted' : 'saved'}`;
    case 'author':
      return `by ${r.name}, whom you follow`;
    case 'category':
      return `in ${r.category}, which you follow`;
    case 'search':
      return `matches your search “${r.query}”`;
  }
}
