// POST /api/subscriptions {email, frequency, topics?, minUpvotes?} → 202; the confirmation link is mailed.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiErrorSchema, apiRoute, type AppDeps } from '../http/index.ts';
import { subscribe, subscribeSchema } from '../digest/index.ts';

const PendingSchema = z
  .object({ status: z.literal('pending'), message: z.string() })
  .meta({ id: 'SubscriptionPending' });

export function registerSubscriptionApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  apiRoute(app, deps, {
    method: 'POST',
    path: '/api/subscriptions',
    operationId: 'subscribeToDigest',
    tags: ['digest'],
    summary: 'Subscribe an address to the email digest',
    description:
      'Double opt-in: nothing is sent until the link mailed to the address is followed. The answer is the same ' +
      'whether or not the address was known, so it reveals nothing about other subscribers.',
    body: subscribeSchema,
    rateLimit: { max: 30, timeWindow: 60_000 },
    responses: {
      202: { description: 'Recorded; a confirmation link is on its way', schema: PendingSchema },
      400: { description: 'A malformed field, named in the message', schema: ApiErrorSchema },
      429: { description: 'Too many requests from this address; retry after the Retry-After header', schema: ApiErrorSchema },
    },
    handler: async ({ body, reply }) => {
      if (await subscribe(deps.db, body, { baseUrl: deps.config.baseUrl, now: deps.now(), log: deps.log })) deps.mail.kick();
      reply.code(202);
      return { status: 'pending', message: 'If the address can receive mail, a confirmation link is on its way. Nothing is sent until it is followed.' };
    },
  });
}
