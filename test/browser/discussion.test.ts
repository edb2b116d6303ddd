// A reading group in a real browser: comment with TeX, reply, edit, delete, report → a curator hides
// it, lock; claim authorship → a curator approves → the verified mark; reply mail over loopback SMTP
// and its one-click unsubscribe. Screenshots of a lively discussion, an author page and a profile.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser, openPage, saveScreenshot, VIEWPORTS } from './browser.ts';
import { KNOWN, useBrowserAppWithMail } from './app.ts';
import { expectNoOverflow, expectNoPageErrors, gotoPath, mailLink, signInFresh } from './pages.ts';
import { ensureUser, findUserByEmail, findUserById, setDisplayName } from '../../src/accounts/index.ts';
import { findPaperByArxivId } from '../../src/papers/index.ts';
import { postComment } from '../../src/comments/index.ts';
import { createPaper } from '../helpers.ts';
import { findProfile } from '../../src/people/index.ts';

const PAPER = `/papers/${KNOWN.maths.arxivId}`;


async function comment(page: Page, text: string): Promise<void> {
  await page.locator('#new-comment-body').fill(text);
  await Promise.all([page.waitForURL(/#comment-\d+$/), page.getByRole('button', { name: 'Comment', exact: true }).click()]);
}

async function replyTo(page: Page, threadText: string, text: string): Promise<void> {
  const thread = page.locator('li.thread', { hasText: threadText });
  await thread.locator('summary', { hasText: 'Reply' }).first().click();
  await thread.locator('textarea[name="body"]').last().fill(text);
  await Promise.all([page.waitForURL(/#comment-\d+$/), thread.getByRole('button', { name: 'Reply', exact: true }).click()]);
}

describeBrowser('browser: discussion and people', () => {
  const env = useBrowserAppWithMail();

  it('comments, replies, edits, deletes, reports; a curator hides and locks; reply mail arrives and unsubscribes', async () => {
    const ada = await openPage(env.browser, env.app.url);
    const bob = await openPage(env.browser, env.app.url);
    const cora = await openPage(env.browser, env.app.url);
    await signInFresh(ada.page, env.smtp, 'ada@example.org', '/account/profile');
    await ada.page.getByLabel('Display name').fill('Ada L.');
    await ada.page.getByLabel('Handle').fill('ada');
    await ada.page.getByLabel(/Mail me about replies/).check();
    await Promise.all([ada.page.waitForURL(/saved=1/), ada.page.getByRole('button', { name: 'Save' }).click()]);
    await signInFresh(bob.page, env.smtp, 'bob@example.org', PAPER);
    await signInFresh(cora.page, env.smtp, 'cora@example.org', PAPER);
    await env.app.store.db.updateTable('user_account').set({ role: 'curator' }).where('email', '=', 'cora@example.org').execute();

    await gotoPath(ada.page, PAPER);
    await comment(ada.page, 'Is the bound $\\mathcal{O}(n \\log n)$ **tight** here? <script>alert(1)</script>');
    const first = ada.page.locator('li.thread', { hasText: 'tight' });
    expect(await first.locator('.comment-body math').count()).toBeGreaterThan(0);
    expect(await first.locator('.comment-body strong').innerText()).toBe('tight');
    expect(await first.locator('.comment-body').innerText()).toContain('<script>alert(1)</script>');

    const mailsBefore = env.smtp.messages.length;
    await gotoPath(bob.page, PAPER);
    await replyTo(bob.page, 'tight', 'Yes: see the lower bound in section 3.');
    await comment(bob.page, 'A stray thought I will take back.');
    const stray = bob.page.locator('li.thread', { hasText: 'stray thought' });
    await Promise.all([bob.page.waitForURL(/#discussion$/), stray.getByRole('button', { name: 'Delete' }).click()]);
    expect(await bob.page.locator('li.thread', { hasText: 'stray thought' }).count()).toBe(0);

    // Ada hears about Bob's reply by mail, and the one-click link turns the mail off.
    await env.smtp.waitFor(mailsBefore + 1);
    const mail = env.smtp.messages.slice(mailsBefore).find((m) => m.to.includes('ada@example.org'))!;
    expect(mail.parsed.subject).toMatch(/replied on/);
    expect(mail.parsed.text).toContain('lower bound in section 3');
    await gotoPath(ada.page, mailLink(mail.parsed.text ?? '', '/notifications/unsubscribe/'));
    await ada.page.getByRole('button', { name: 'Unsubscribe' }).click();
    await ada.page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    const adaUser = (await findUserByEmail(env.app.store.db, 'ada@example.org'))!;
    expect((await findProfile(env.app.store.db, adaUser.id))!.notifyReplies).toBe(false);

    // Edit within the window shows as edited.
    await gotoPath(ada.page, PAPER);
    const own = ada.page.locator('li.thread', { hasText: 'tight' }).locator('article.comment').first();
    const editor = own.locator('details.comment-tool', { has: own.page().locator('summary', { hasText: 'Edit' }) });
    await editor.locator('summary').click();
    await editor.locator('textarea').fill('Is the bound $\\mathcal{O}(n \\log n)$ **tight**? (edited for clarity)');
    await Promise.all([ada.page.waitForURL(/#comment-\d+$/), editor.getByRole('button', { name: 'Save' }).click()]);
    expect(await ada.page.locator('li.thread', { hasText: 'edited for clarity' }).locator('text=(edited)').count()).toBe(1);

    // Ada reports Bob's reply; Cora hides it from the curator queue.
    const reply = ada.page.locator('ol.replies article.comment', { hasText: 'lower bound' });
    await reply.locator('summary', { hasText: 'Report' }).click();
    await reply.getByLabel('What is wrong with it?').fill('rude, honestly');
    await Promise.all([ada.page.waitForURL(/#comment-\d+$/), reply.getByRole('button', { name: 'Report to curators' }).click()]);
    await gotoPath(cora.page, '/curate/discussion');
    const queued = cora.page.locator('.queue-item', { hasText: 'lower bound' });
    expect(await queued.innerText()).toContain('rude, honestly');
    await queued.getByPlaceholder('reason (audited)').fill('not actually rude, testing');
    await Promise.all([cora.page.waitForURL(/\/curate\/discussion$/), queued.getByRole('button', { name: 'Hide' }).click()]);
    await gotoPath(ada.page, PAPER);
    expect(await ada.page.locator('#discussion').innerText()).not.toContain('lower bound');

    // Cora locks the discussion: no comment box any more.
    await gotoPath(cora.page, PAPER);
    await cora.page.locator('#discussion summary', { hasText: 'Lock discussion' }).click();
    await cora.page.locator('#lock-reason').fill('cooling off');
    await Promise.all([cora.page.waitForURL(/#discussion$/), cora.page.getByRole('button', { name: 'Lock', exact: true }).click()]);
    await gotoPath(bob.page, PAPER);
    expect(await bob.page.locator('#discussion').innerText()).toContain('This discussion is locked');
    expect(await bob.page.locator('#new-comment-body').count()).toBe(0);
    const audit = await env.app.store.db.selectFrom('audit_log').select('action').where('action', 'in', ['hide_comment', 'lock_discussion']).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['hide_comment', 'lock_discussion']);
    for (const t of [ada, bob, cora]) {
      expectNoPageErrors(t);
      await t.close();
    }
  });

  it('claims authorship; a curator approves; the paper and the author page show the verified mark', async () => {
    const grace = await openPage(env.browser, env.app.url);
    const cora = await openPage(env.browser, env.app.url);
    await signInFresh(grace.page, env.smtp, 'grace@example.org', PAPER);
    await signInFresh(cora.page, env.smtp, 'cora@example.org', '/curate/discussion');
    await grace.page.locator('.claim summary').click();
    await grace.page.getByLabel('I am').selectOption('Grace Hopper');
    await Promise.all([grace.page.waitForURL(/claimed=1/), grace.page.getByRole('button', { name: 'Claim authorship' }).click()]);
    expect(await grace.page.locator('.claim').innerText()).toContain('waiting for a curator');
    await gotoPath(cora.page, '/curate/discussion');
    const claim = cora.page.locator('.queue-item', { hasText: 'Grace Hopper' });
    await claim.getByPlaceholder(/evidence/).fill('matches the paper e-mail');
    await Promise.all([cora.page.waitForURL(/\/curate\/discussion$/), claim.getByRole('button', { name: 'Approve' }).click()]);
    await gotoPath(grace.page, PAPER);
    const mark = grace.page.locator('#authors a.verified-mark');
    expect(await mark.count()).toBe(1);
    expect(await mark.getAttribute('href')).toMatch(/^\/users\//);
    await gotoPath(grace.page, '/authors/Grace%20Hopper');
    expect(await grace.page.locator('h1').innerText()).toContain('✓ verified');
    expectNoPageErrors(grace);
    expectNoPageErrors(cora);
    await grace.close();
    await cora.close();
  });

  it('lays out a lively discussion, an author page and a profile at 390 and 1280 px', async () => {
    await createPaper(env.app.store, { arxivId: '2607.00010', title: 'Scaling Laws for Reading Groups: $\\alpha$-Discussions at Scale', authors: ['Ada Lovelace', 'Emmy Noether'], categories: ['cs.CL'], announcedOn: '2026-07-01', abstract: 'We measure how discussions grow with $N$ readers and find $D \\propto N^{0.7}$.' });
    const lively = (await findPaperByArxivId(env.app.store.db, '2607.00010'))!;
    const people = await Promise.all(['Ada L.', 'Emmy N.', 'Kurt G.', 'Hedy L.', 'Alan T.'].map(async (name, i) => {
      const u = await ensureUser(env.app.store.db, `reader${i}@example.org`, new Date());
      await setDisplayName(env.app.store.db, u.id, name);
      return (await findUserById(env.app.store.db, u.id))!;
    }));
    const deps = { db: env.app.store.db, secret: 'test-secret-0123456789', config: { editWindowMinutes: 30, limitPerHour: 100, holdFirst: 0 } };
    const say = async (who: number, body: string, parentId?: number) => {
      const r = await postComment(deps, people[who]!, lively.id, { body, parentId, ip: '10.3.0.1' }, new Date());
      if (!r.ok) throw new Error(r.message);
      return r.id;
    };
    const t1 = await say(0, 'The exponent $0.7$ in $D \\propto N^{0.7}$ looks suspiciously close to the **Heaps law** value. Did you check:\n\n- sub-sampling the readers,\n- and the $\\log$-log fit on held-out groups?');
    await say(1, '> sub-sampling the readers\n\nWe did, see appendix C; the fit holds for $N \\ge 8$.', t1);
    await say(2, 'Code for the fit: `np.polyfit(np.log(N), np.log(D), 1)`; works on our data too. https://example.org/notebook', t1);
    const t2 = await say(3, 'Is the dataset public? A link in the paper would help *a lot*.');
    await say(1, 'Yes, [here](https://huggingface.co/datasets/example/reading-groups).', t2);
    await say(4, 'Lovely paper: we read it in our group on Friday.');
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const t = await openPage(env.browser, env.app.url, viewport);
      for (const [shot, path] of [['discussion', '/papers/2607.00010'], ['author-page', '/authors/Ada%20Lovelace'], ['profile', '/users/ada-l']] as const) {
        expect(await gotoPath(t.page, path), path).toBe(200);
        await expectNoOverflow(t.page);
        await saveScreenshot(t.page, `${shot}-${name}`);
      }
      expectNoPageErrors(t);
      await t.close();
    }
  });
});
