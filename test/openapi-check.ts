// Validates HTTP responses against /api/openapi.json with ajv (JSON Schema 2020-12), the way a
// generated client would read them.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, any>;

export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  constructor(readonly doc: Json) {}

  /** The documented operation for a method and concrete path (/api/papers/2606.00101). */
  operation(method: string, path: string): { template: string; op: Json } {
    const m = method.toLowerCase();
    // Most literal characters first: /api/papers/{id}/comments before /api/papers/{id}, whose id may hold a slash.
    const literal = (t: string) => t.replace(/\{[^}]+\}/g, '').length;
    const paths = Object.entries(this.doc.paths as Record<string, Json>).sort(([a], [b]) => literal(b) - literal(a));
    for (const [template, item] of paths) {
      const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '(.+)')}$`);
      if (re.test(path) && item[m]) return { template, op: item[m] };
    }
    throw new Error(`${method} ${path} is not in the OpenAPI document`);
  }

  /** Throws unless status, content type and JSON body match the document. */
  async check(method: string, url: string, res: Response): Promise<unknown> {
    const path = new URL(url).pathname;
    const { template, op } = this.operation(method, path);
    const spec = op.responses[String(res.status)];
    if (!spec) throw new Error(`${method} ${template}: status ${res.status} is not documented`);
    const text = await res.text();
    if (!spec.content) {
      if (text !== '') throw new Error(`${method} ${template} ${res.status}: documented without a body, got ${text.slice(0, 80)}`);
      return undefined;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = spec.content[type];
    if (!media) throw new Error(`${method} ${template} ${res.status}: content type ${type} not documented (${Object.keys(spec.content).join(', ')})`);
    if (type !== 'application/json') return text;
    const body = JSON.parse(text);
    const key = `${template} ${method} ${res.status}`;
    const validate = this.cache.get(key) ?? this.ajv.compile({ ...media.schema, components: this.doc.components });
    this.cache.set(key, validate);
    if (!validate(body)) throw new Error(`${method} ${path} ${res.status} does not match the OpenAPI schema: ${this.ajv.errorsText(validate.errors)}`);
    return body;
  }
}
