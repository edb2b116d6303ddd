/** An error a route throws on purpose; each surface renders it (HTML page or JSON {error:{code,message}}). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
