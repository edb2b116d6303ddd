// URLs and mail addresses in digest mail, all built from BASE_URL.
import { signSubscriptionToken } from './tokens.ts';

export function confirmUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/digest/confirm?token=${encodeURIComponent(token)}`;
}

export function manageUrl(baseUrl: string, secret: string, sub: { id: number; email: string }): string {
  return `${baseUrl}/digest/manage?token=${signSubscriptionToken(secret, 'manage', sub.id, sub.email)}`;
}

/** The RFC 8058 one-click URL: GET shows a confirmation page, POST unsubscribes. */
export function unsubscribeUrl(baseUrl: string, secret: string, sub: { id: number; email: string }): string {
  return `${baseUrl}/digest/unsubscribe/${signSubscriptionToken(secret, 'unsubscribe', sub.id, sub.email)}`;
}

/** The bare address in MAIL_FROM ("paperboy <news@x.org>" → "news@x.org"). */
function senderAddress(mailFrom: string): string {
  const m = /<([^>]+)>/.exec(mailFrom);
  return (m ? m[1]! : mailFrom).trim();
}

/** List-Unsubscribe and List-Unsubscribe-Post (RFC 2369, RFC 8058). */
export function unsubscribeHeaders(baseUrl: string, secret: string, mailFrom: string, sub: { id: number; email: string }): Record<string, string> {
  const token = signSubscriptionToken(secret, 'unsubscribe', sub.id, sub.email);
  const mailto = `mailto:${senderAddress(mailFrom)}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(baseUrl, secret, sub)}>, <${mailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

export function mailDomain(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
