// The account page's personal delivery: "for you" in the email digest (off, also, only), and the
// private feeds — the reader's list and each tag as Atom at a private link, revocable at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, type RawHtml } from '../../lib/html.ts';
import type { User } from '../../accounts/index.ts';
import { feedTokenFor, listTags, revokeFeedToken } from '../../library/index.ts';
import { findDigestForEmail, FOR_YOU_MODES, setForYouDigest, type ForYouMode } from '../../digest/index.ts';
import { HttpError } from '../../http/index.ts';
import type { AppDeps } from '../../http/index.ts';
import { csrfField } from '../csrf.ts';
import { limitWrites, requireViewer } from '../session.ts';

const MODE_LABELS: Record<ForYouMode, string> = { off: 'Topics only', also: 'For you first, then my topics', only: 'For you only' };

export async function privateFeedsSection(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, user: User): Promise<RawHtml> {
  const [token, tags, digest] = await Promise.all([feedTokenFor(deps.db, deps.secret, user.id, deps.now()), listTags(deps.db, user.id), findDigestForEmail(deps.db, user.email)]);
  const base = `${deps.config.baseUrl}/feeds/private/${token}`;
  const csrf = csrfField(req, reply, deps.secret);
  return html`<section class="digest-for-you" id="digest-for-you">
  <h2>Your email digest</h2>
  ${digest && digest.status === 'active'
    ? html`<form method="post" action="/account/digest-for-you">
    ${csrf}
    <fieldset><legend>What your ${digest.frequency} digest holds</legend>
    ${FOR_YOU_MODES.map((m) => html`<label class="check"><input type="radio" name="for_you" value="${m}"${digest.forYou === m ? html` checked` : ''}> ${MODE_LABELS[m]}</label>`)}
    </fieldset>
    <button class="button primary" type="submit">Save</button>
  </form>`
    : html`<p>Subscribe to the <a href="/digest">email digest</a> with ${user.email}, then choose here to get your For you papers in it.</p>`}
</section>
<section class="private-feeds" id="private-feeds">
  <h2>Private feeds</h2>
  <p>Your <a href="/for-you">For you</a> list in a feed reader. Anyone with a link can read it: keep it to yourself, and revoke the links if one leaks.</p>
  <ul class="feed-links">
    <li>For you: <input class="feed-url" readonly aria-label="For you feed link" value="${base}/for-you.atom"></li>
    ${tags.map((t) => html`<li>${t.name}: <input class="feed-url" readonly aria-label="Feed link for tag ${t.name}" value="${base}/tags/${encodeURIComponent(t.name)}.atom"></li>`)}
  </ul>
  <form method="post" action="/account/feeds/revoke">${csrf}<button class="button" type="submit">Revoke these links</button></form>
</section>`;
}

export function registerPersonalFeedRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post<{ Body: { for_you?: string } }>('/account/digest-for-you', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    const mode = req.body?.for_you as ForYouMode;
    if (!FOR_YOU_MODES.includes(mode)) throw new HttpError(400, 'bad_parameter', `for_you: must be one of ${FOR_YOU_MODES.join(', ')}.`);
    await limitWrites(deps, req, user);
    if (!(await setForYouDigest(deps.db, user.email, mode, deps.now()))) throw new HttpError(404, 'not_found', 'You have no digest subscription yet: subscribe first.');
    return reply.redirect('/account#digest-for-you', 303);
  });

  app.post('/account/feeds/revoke', async (req, reply) => {
    const user = await requireViewer(deps, req, reply);
    if (!user) return reply;
    await limitWrites(deps, req, user);
    await revokeFeedToken(deps.db, user.id);
    return reply.redirect('/account#private-feeds', 303);
  });
}
