// The double opt-in mail: one link that confirms (a GET on it is enough).
import type { MailMessage } from '../mail/index.ts';
import { describeTopics, type Preferences } from './preferences.ts';
import { confirmUrl } from './links.ts';
import { CONFIRM_TTL_MS } from './subscriptions.ts';
import { html, safeUrl } from '../lib/html.ts';

export function confirmationMail(baseUrl: string, email: string, token: string, prefs: Preferences, change: boolean): MailMessage {
  const url = confirmUrl(baseUrl, token);
  const what = `the ${prefs.frequency} paperboy digest (${describeTopics(prefs.topics)}${prefs.minUpvotes > 0 ? `, at least ${prefs.minUpvotes} upvotes` : ''})`;
  const days = Math.round(CONFIRM_TTL_MS / 86_400_000);
  const intro = change ? `Someone (hopefully you) asked to change your subscription to ${what}.` : `Someone (hopefully you) asked to subscribe ${email} to ${what}.`;
  const text = `${intro}\n\nTo confirm, open this link within ${days} days:\n\n${url}\n\nIf this was not you, ignore this mail: nothing will be sent without your confirmation.\n`;
  const body = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:24px 12px;background:#f3f4f6;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background:#ffffff;border:1px solid #e3e6eb;border-radius:8px;">
<tr><td style="padding:24px;font-size:15px;line-height:1.5;color:#1a1d23;">
<p style="margin:0 0 12px;">${intro}</p>
<p style="margin:0 0 20px;"><a href="${safeUrl(url)}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:600;">Confirm subscription</a></p>
<p style="margin:0;font-size:13px;color:#5b6270;">The link works for ${days} days. If this was not you, ignore this mail: nothing will be sent without your confirmation.</p>
</td></tr></table></td></tr></table></body></html>`;
  return { to: email, subject: change ? 'Confirm your paperboy digest changes' : 'Confirm your paperboy digest subscription', text, html: body.value };
}
