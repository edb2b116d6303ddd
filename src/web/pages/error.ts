import { html, type RawHtml } from '../../lib/html.ts';
import { layout } from '../layout.ts';

const TITLES: Record<number, string> = {
  400: 'That request did not make sense',
  403: 'Not allowed',
  404: 'Page not found',
  429: 'Slow down a little',
  500: 'Something broke',
};

/** A friendly error page; the message is escaped like everything else. */
export function errorPage(status: number, message: string): RawHtml {
  const title = TITLES[status] ?? (status >= 500 ? TITLES[500]! : TITLES[400]!);
  return layout(
    { title },
    html`<section class="error-page">
  <p class="status">${status}</p>
  <h1>${title}</h1>
  <p>${message}</p>
  <p><a href="/">Back to today's papers</a> or try a search above.</p>
</section>`,
  );
}
