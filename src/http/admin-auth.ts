import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminLoginBody } from './public-routes.js';

// `Authorization: Bearer <http.adminToken>`, compared in constant time. An empty configured token
// disables the admin API altogether. The dashboard also accepts a session cookie set by
// /admin/login (browsers cannot send a bearer header by themselves); the cookie holds an HMAC of
// the token, never the token, is HttpOnly and SameSite=Strict, and opens only /admin/*.

const cookieName = 'talkcal_admin';

/** Compares two secrets in constant time. */
export const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function sessionValue(adminToken: string): string {
  return createHmac('sha256', adminToken).update('talkcal admin dashboard session').digest('base64url');
}

function cookieOf(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

export function adminAuth(adminToken: string, options: { allowSessionCookie?: boolean } = {}) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (adminToken === '') {
      await reply.code(503).send({ error: 'admin API disabled: set TALKCAL_ADMIN_TOKEN' });
      return reply;
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && sameSecret(bearer, adminToken)) return;
    const cookie = options.allowSessionCookie ? cookieOf(request) : undefined;
    if (cookie !== undefined && sameSecret(cookie, sessionValue(adminToken))) return;
    // A browser opening the dashboard without a session is sent to sign in, not shown JSON.
    if (options.allowSessionCookie && /\btext\/html\b/.test(request.headers.accept ?? '')) {
      await reply.redirect('/admin/login', 303);
      return reply;
    }
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer')
      .send({ error: 'missing or wrong admin token' });
    return reply;
  };
}

const loginPage = (problem: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>talkcal admin</title></head>
<body><h1>talkcal admin</h1>${problem ? `<p id="problem">${problem}</p>` : ''}
<form method="post" action="/admin/login"><label>Admin token <input type="password" name="token" autocomplete="off"></label>
<button type="submit">Open the dashboard</button></form></body></html>`;

/** GET/POST /admin/login: trades the admin token for a dashboard session cookie. */
export function registerAdminLogin(app: FastifyInstance, adminToken: string): void {
  app.get('/admin/login', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(loginPage('')),
  );
  app.post('/admin/login', async (request, reply) => {
    const token = adminLoginBody.safeParse(request.body).data?.token;
    if (adminToken === '' || token === undefined || !sameSecret(token, adminToken)) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage('Wrong token.'));
    }
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return reply
      .header(
        'set-cookie',
        `${cookieName}=${sessionValue(adminToken)}; Path=/admin; HttpOnly; SameSite=Strict${secure}`,
      )
      .redirect('/admin/queues', 303);
  });
}
