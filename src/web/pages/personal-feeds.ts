// The account page's private feeds: the reader's "for you" list and each tag as Atom at a private
// link, and a button that revokes every link at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type RawHtml } from '../../lib/html.ts';
import type { User } from '../../accounts/index.ts';
import { feedTokenFor, listTags, revokeFeedToken } from '../../library/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { limitWrites, requireViewer } from '../session.ts';

export async function privateFeedsSection(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, user: User): Promise<RawHtml> {
  const [token, tags] = await Promise.all([feedTokenFor(deps.db, deps.secret, user.id, deps.now()), listTags(deps.db, user.id)]);
  const base = `${deps.config.baseUrl}/feeds/private/${token}`;
  return html`<section class="private-feeds" id="private-feeds">
  <h2>Private feeds</h2>
  <p>Your <a href="/for-you">For you</a> list in a feed reader. Anyone with a link can read it: keep it to yourself, and revoke the links if one leaks.</p>
  <ul class="feed-links">
    <li>For you: <input class="feed-url" readonly aria-label="For you feed link" value="${base}/for-you.atom"></li>
    ${tags.map((t) => html`<li>${t.name}: <input class="feed-url" readonly aria-label="Feed link for tag ${t.name}" value="${base}/tags/${encodeURIComponent(t.name)}.atom"></li>`)}
  </ul>
  <form method="post" action="/account/feeds/revoke">${csrfField(req, reply, deps.secret)}<button class="button" type="submit">Revoke these links</button></form>
</section>`;
}

export function registerPersonalFeedRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/account/feeds/revoke', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    await revokeFeedToken(deps.db, user.id);
    return reply.redirect('/account#private-feeds', 303);
  });
}
