// Validates HTTP responses against /api/openapi.json with ajv (JSON Schema 2020-12), the way a
// generated client would read them, and remembers which documented responses it has seen.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';

type Json = Record<string, any>;

export class OpenApiChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly seen = new Set<string>();
  constructor(readonly doc: Json) {}

  /** Every documented response as "METHOD /template STATUS". */
  documented(): string[] {
    return Object.entries(this.doc.paths as Record<string, Json>).flatMap(([template, item]) =>
      Object.entries(item).flatMap(([method, op]) => Object.keys((op as Json).responses).map((status) => `${method.toUpperCase()} ${template} ${status}`)),
    );
  }

  /** Documented responses no check() has passed yet. */
  unchecked(): string[] {
    return this.documented().filter((key) => !this.seen.has(key));
  }

  /** The documented operation for a method and concrete path (/api/papers/2606.00101); literal segments win over parameters. */
  operation(method: string, path: string): { template: string; op: Json } {
    const m = method.toLowerCase();
    const matches = Object.entries(this.doc.paths as Record<string, Json>).filter(([template, item]) => {
      const re = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '(.+)')}$`);
      return re.test(path) && item[m];
    });
    const params = (template: string) => (template.match(/\{/g) ?? []).length;
    // Then most literal characters: /api/papers/{id}/comments before /api/papers/{id}, whose id may hold a slash.
    const literal = (template: string) => template.replace(/\{[^}]+\}/g, '').length;
    const [best] = matches.sort(([a], [b]) => params(a) - params(b) || literal(b) - literal(a));
    if (!best) throw new Error(`${method} ${path} is not in the OpenAPI document`);
    return { template: best[0], op: best[1][m] };
  }

  /** Throws unless status, content type and JSON body match the document. */
  async check(method: string, url: string, res: Response): Promise<unknown> {
    const path = new URL(url).pathname;
    const { template, op } = this.operation(method, path);
    const spec = op.responses[String(res.status)];
    if (!spec) throw new Error(`${method} ${template}: status ${res.status} is not documented`);
    const text = await res.text();
    const seen = `${method.toUpperCase()} ${template} ${res.status}`;
    if (!spec.content) {
      if (text !== '') throw new Error(`${method} ${template} ${res.status}: documented without a body, got ${text.slice(0, 80)}`);
      this.seen.add(seen);
      return undefined;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = spec.content[type];
    if (!media) throw new Error(`${method} ${template} ${res.status}: content type ${type} not documented (${Object.keys(spec.content).join(', ')})`);
    if (type !== 'application/json') {
      this.seen.add(seen);
      return text;
    }
    const body = JSON.parse(text);
    const key = `${template} ${method} ${res.status}`;
    const validate = this.cache.get(key) ?? this.ajv.compile({ ...media.schema, components: this.doc.components });
    this.cache.set(key, validate);
    if (!validate(body)) throw new Error(`${method} ${path} ${res.status} does not match the OpenAPI schema: ${this.ajv.errorsText(validate.errors)}`);
    this.seen.add(seen);
    return body;
  }
}
