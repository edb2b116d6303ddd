import { describe, expect, it } from 'vitest';
import { avatarSvg } from './avatar.ts';

describe('avatars', () => {
  it('are stable per handle and differ between handles', () => {
    expect(avatarSvg('ada')).toBe(avatarSvg('ada'));
    expect(avatarSvg('ada')).not.toBe(avatarSvg('alan'));
  });

  it('are mirrored identicons with an escaped label', () => {
    const svg = avatarSvg('ada', 24, '<Ada "L">');
    expect(svg).toMatch(/^<svg class="avatar"[^>]* width="24" height="24"/);
    expect(svg).not.toContain('<Ada');
    expect(svg).toContain('&#60;Ada &#34;L&#34;&#62;');
    const xs = [...svg.matchAll(/<rect x="(\d)" y="(\d)"/g)].map((m) => `${m[1]},${m[2]}`);
    for (const cell of xs) {
      const [x, y] = cell.split(',').map(Number) as [number, number];
      expect(xs).toContain(`${6 - x},${y}`);
    }
  });
});
