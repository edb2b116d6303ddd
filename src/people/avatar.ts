// Avatars drawn here as SVG, from the handle alone: no upload, no external service. A 5×5 mirrored
// identicon (the GitHub style) in a colour picked from the same hash. Pure; the output contains only
// numbers this function computes, so it is safe to inline.
import { createHash } from 'node:crypto';

export function avatarSvg(handle: string, size = 32, label = ''): string {
  const h = createHash('sha256').update(`avatar:${handle}`).digest();
  const hue = Math.round((h[0]! / 255) * 360);
  const fg = `hsl(${hue} 55% 45%)`;
  const bg = `hsl(${hue} 45% 92%)`;
  const cells: string[] = [];
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if ((h[1 + row * 3 + col]! & 1) === 0) continue;
      cells.push(`<rect x="${1 + col}" y="${1 + row}" width="1" height="1"/>`);
      if (col < 2) cells.push(`<rect x="${5 - col}" y="${1 + row}" width="1" height="1"/>`);
    }
  }
  const title = label ? `<title>${label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</title>` : '';
  return `<svg class="avatar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" width="${size}" height="${size}" role="img" aria-label="${label ? 'avatar of ' + label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) : 'avatar'}" shape-rendering="crispEdges">${title}<rect width="7" height="7" rx="1.2" fill="${bg}"/><g fill="${fg}">${cells.join('')}</g></svg>`;
}
