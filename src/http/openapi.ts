// The OpenAPI 3.1 document, written from the zod schemas every route parses and answers with
// (route-spec.ts, openapi-from-zod.ts): nothing here describes a route by hand.

import { feedRouteDocs } from '../publish/feed-route-docs.js';
import { adminRouteDocs } from './admin-route-docs.js';
import { channelRouteDocs } from './channel-route-docs.js';
import { openApiPaths } from './openapi-from-zod.js';
import { publicRouteDocs } from './public-routes.js';
import type { RouteDoc } from './route-spec.js';
import { subscriptionRouteDocs } from './subscription-routes.js';

/** Every route the HTTP server registers, as described for the document. */
export const routeDocs: readonly RouteDoc[] = [
  ...publicRouteDocs,
  ...Object.values(adminRouteDocs),
  ...Object.values(subscriptionRouteDocs),
  ...Object.values(channelRouteDocs),
  ...Object.values(feedRouteDocs),
];

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'talkcal-sync admin API',
    version: '0.1.0',
    description:
      'Users, links, syncs, status and conflicts of the talkcal-sync daemon. Every /api route needs ' +
      '`Authorization: Bearer <TALKCAL_ADMIN_TOKEN>`. No answer ever contains a token or a source credential.',
  },
  security: [{ admin: [] }],
  components: {
    securitySchemes: {
      admin: { type: 'http', scheme: 'bearer' },
      metrics: { type: 'http', scheme: 'bearer', description: 'http.metricsToken, when set' },
    },
  },
  paths: openApiPaths(routeDocs),
};
