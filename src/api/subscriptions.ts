// POST /api/subscriptions {email, frequency, topics?, minUpvotes?} → 202; the confirmation link is mailed.
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { HttpError } from '../lib/http-error.ts';
import { parseSubscribeInput, subscribe } from '../digest/index.ts';
import type { MailSender } from '../mail/index.ts';
import type { AppDeps } from '../web/app.ts';

export async function registerSubscriptionApiRoutes(app: FastifyInstance, deps: AppDeps, mail: MailSender): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(rateLimit, { max: 30, timeWindow: 60_000 });
    scope.post('/api/subscriptions', async (req, reply) => {
      // JSON only: a cross-site form can post urlencoded bodies without CORS asking, a JSON body it cannot.
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        throw new HttpError(415, 'unsupported_media_type', 'body: send JSON with Content-Type: application/json');
      }
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        throw new HttpError(400, 'bad_request', 'body: send a JSON object {"email", "frequency", "topics"?}');
      }
      const parsed = parseSubscribeInput(req.body);
      if (!parsed.ok) throw new HttpError(400, 'bad_request', parsed.message);
      if (await subscribe(deps.db, parsed.value, { baseUrl: deps.config.baseUrl, now: deps.now(), log: deps.log })) mail.kick();
      return reply.code(202).send({ status: 'pending', message: 'If the address can receive mail, a confirmation link is on its way. Nothing is sent until it is followed.' });
    });
  });
}
