import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

// `Authorization: Bearer <http.adminToken>`, compared in constant time. An empty configured token
// disables the admin API altogether.

export function adminAuth(adminToken: string) {
  const expected = Buffer.from(adminToken);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (adminToken === '') {
      await reply.code(503).send({ error: 'admin API disabled: set TALKCAL_ADMIN_TOKEN' });
      return reply;
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    const given = Buffer.from(match?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing or wrong admin token' });
      return reply;
    }
  };
}
