// /api/docs: the API's documentation as a readable page of this site, made from the same OpenAPI
// document as /api/openapi.json: no scripts, no remote assets.
import type { FastifyInstance } from 'fastify';
import { apiRoute, describeApi, representation, type AppDeps } from '../../http/index.ts';
import { html, type HtmlValue, type RawHtml } from '../../lib/html.ts';
import { layout } from '../layout.ts';

type Json = Record<string, any>;

export function registerApiDocsRoute(app: FastifyInstance, deps: AppDeps): void {
  let page: string | undefined;
  apiRoute(app, deps, {
    method: 'GET',
    path: '/api/docs',
    operationId: 'getApiDocs',
    tags: ['meta'],
    summary: 'This documentation as a web page',
    cache: { maxAge: 300 },
    responses: { 200: { description: 'HTML', contentTypes: ['text/html'] } },
    handler: async () => {
      // Built on first request, when every surface has registered its routes.
      page ??= docsPage(describeApi(app, deps.config.baseUrl)).value;
      return representation(page, 'text/html; charset=utf-8');
    },
  });
}

function anchor(method: string, path: string): string {
  return `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
}

export function docsPage(doc: Json): RawHtml {
  const ops: Array<{ method: string; path: string; op: Json }> = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) ops.push({ method: method.toUpperCase(), path, op: op as Json });
  }
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>;
  const body = html`<article class="api-docs">
  <h1>${doc.info.title}</h1>
  <p>${doc.info.description}</p>
  <p>Base URL: <code>${doc.servers?.[0]?.url ?? ''}</code> · Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${doc.openapi}) · Feeds: see the README, “JSON API and feeds”.</p>
  <h2>Endpoints</h2>
  <ul class="api-toc">${ops.map((o) => html`<li><a href="#${anchor(o.method, o.path)}"><code>${o.method} ${o.path}</code></a> — ${o.op.summary}</li>`)}</ul>
  ${ops.map((o) => operation(o.method, o.path, o.op))}
  <h2 id="schemas">Schemas</h2>
  ${Object.entries(schemas).map(([name, schema]) => html`<section class="api-schema"><h3 id="schema-${name}">${name}</h3>${schema.description ? html`<p>${schema.description}</p>` : ''}${schemaView(schema)}</section>`)}
</article>`;
  return layout({ title: 'API', description: 'The paperboy JSON API: endpoints, parameters and response shapes.' }, body);
}

function operation(method: string, path: string, op: Json): RawHtml {
  const params = (op.parameters ?? []) as Json[];
  return html`<section class="api-op" id="${anchor(method, path)}">
  <h3><code>${method} ${path}</code></h3>
  <p><strong>${op.summary}</strong>${op.security ? html` · <em>needs an API token</em>` : ''}</p>
  ${op.description ? html`<p>${op.description}</p>` : ''}
  ${params.length > 0
    ? html`<table class="api-params"><thead><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${params.map(
        (p) => html`<tr><td><code>${p.name}</code>${p.required ? ' (required)' : ''}</td><td>${p.in}</td><td>${typeLabel(p.schema)}</td><td>${p.description ?? ''}</td></tr>`,
      )}</tbody></table>`
    : ''}
  ${op.requestBody ? html`<p>Request body (JSON):</p>${schemaView(op.requestBody.content['application/json'].schema)}` : ''}
  <dl class="api-responses">${Object.entries(op.responses as Record<string, Json>).map(
    ([status, r]) => html`<dt>${status}</dt><dd>${r.description}${responseBody(r)}</dd>`,
  )}</dl>
</section>`;
}

function responseBody(r: Json): HtmlValue {
  const content = (r.content ?? {}) as Record<string, Json>;
  return Object.entries(content).map(([type, c]) =>
    type === 'application/json' ? html`<div class="api-body"><code>${type}</code>: ${schemaView(c.schema)}</div>` : html` <code>${type}</code>`,
  );
}

/** A one-line type: string, integer, array of Paper, "trending" | "publishedAt"… */
function typeLabel(s: Json | undefined): HtmlValue {
  if (!s) return 'any';
  if (s.$ref) {
    const name = String(s.$ref).split('/').pop()!;
    return html`<a href="#schema-${name}">${name}</a>`;
  }
  if (s.enum) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return html`${(s.anyOf as Json[]).map((x, i) => html`${i > 0 ? ' or ' : ''}${typeLabel(x)}`)}`;
  if (s.type === 'array') return html`array of ${typeLabel(s.items)}`;
  const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  // zod's .int() adds the safe-integer range; only bounds someone chose are worth showing.
  const chosen = (n: unknown) => typeof n === 'number' && Math.abs(n) < Number.MAX_SAFE_INTEGER;
  const bounds = [chosen(s.minimum) ? `≥ ${s.minimum}` : '', chosen(s.maximum) ? `≤ ${s.maximum}` : ''].filter(Boolean).join(', ');
  return bounds ? `${type} (${bounds})` : type;
}

/** Objects as a nested field list; everything else as its type label. */
function schemaView(s: Json | undefined, depth = 0): HtmlValue {
  if (!s) return '';
  const target = s.type === 'array' && s.items?.type === 'object' ? s.items : s;
  if (target.type !== 'object' || !target.properties || depth > 3) return html`<span class="api-type">${typeLabel(s)}</span>`;
  const required = new Set<string>(target.required ?? []);
  return html`${target !== s ? 'array of ' : ''}<ul class="api-fields">${Object.entries(target.properties as Record<string, Json>).map(
    ([name, field]) =>
      html`<li><code>${name}</code>${required.has(name) ? '' : '?'}: ${field.type === 'object' || field.items?.type === 'object' ? schemaView(field, depth + 1) : typeLabel(field)}${field.description ? html` — ${field.description}` : ''}</li>`,
  )}</ul>`;
}
