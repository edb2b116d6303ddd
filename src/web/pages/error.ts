// Friendly error pages: what happened, in plain words, and where to go next.
import { html, type RawHtml } from '../../lib/html.ts';
import type { ErrorAction } from '../../http/index.ts';
import { layout, type Viewer } from '../layout.ts';
import { describeWait } from '../../lib/words.ts';

interface ErrorCopy {
  title: string;
  hint: string;
}

const COPY: Record<number, ErrorCopy> = {
  400: { title: 'That request did not make sense', hint: 'Check the address or the form you sent, then try again.' },
  401: { title: 'Please sign in', hint: 'This page is for signed-in readers.' },
  403: { title: 'Not allowed', hint: 'Your account cannot do this. If you think it should, ask a curator.' },
  404: { title: 'Page not found', hint: 'The link may be old, or the paper not harvested yet. Search for it, or browse today’s papers.' },
  405: { title: 'That did not work', hint: 'This address does not accept that kind of request.' },
  413: { title: 'That was too big', hint: 'Send something smaller.' },
  429: { title: 'Slow down a little', hint: 'You sent many requests in a short time. Wait a moment, then try again.' },
  500: { title: 'Something broke', hint: 'It was our fault and it has been logged. Please try again in a minute.' },
  503: { title: 'Back soon', hint: 'paperboy is busy or restarting. Please try again in a minute.' },
};

function copyFor(status: number): ErrorCopy {
  return COPY[status] ?? (status >= 500 ? COPY[500]! : COPY[400]!);
}

/** A friendly error page; the message is escaped like everything else. `viewer`: who is signed in (null: nobody). */
export function errorPage(status: number, message: string, opts: { retryAfterSeconds?: number; action?: ErrorAction; viewer?: Viewer | null } = {}): RawHtml {
  const { title, hint } = copyFor(status);
  const retry = opts.retryAfterSeconds !== undefined && opts.retryAfterSeconds > 0
    ? html`<p>You can try again in ${describeWait(opts.retryAfterSeconds)}.</p>`
    : '';
  return layout(
    { title, noindex: true, viewer: opts.viewer ?? null },
    html`<section class="error-page" aria-labelledby="error-h">
  <p class="status" aria-hidden="true">${status}</p>
  <h1 id="error-h">${title}</h1>
  <p>${message}</p>
  <p class="muted">${hint}</p>
  ${retry}
  <p class="next-steps">${opts.action ? html`<a class="button primary" href="${opts.action.href}">${opts.action.label}</a><a class="button" href="/">Today’s papers</a>` : html`<a class="button primary" href="/">Today’s papers</a>`}<a class="button" href="/categories">Browse categories</a></p>
</section>`,
  );
}
