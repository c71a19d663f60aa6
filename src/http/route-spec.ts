import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

// A route described by zod schemas: addRoute registers it and parses its params, query and body with
// them (a ZodError is the error handler's 400) and checks its JSON answers against the schema of the
// answer's status; openapi-from-zod.ts writes the OpenAPI document from the same descriptions, so the
// document cannot drift from what the routes accept and answer.

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  description: string;
  contentType: string;
  schema?: z.ZodType;
  headers?: Record<string, string>;
}

export interface RouteDoc {
  method: Method;
  /** The fastify URL (`:userId` for a path parameter). */
  url: string;
  /** The OpenAPI path when the fastify URL cannot say it (a wildcard route). */
  openApiPath?: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /**
   * The service the route calls parses the body with `body` itself (its typed errors name the input
   * better, and it completes the body first, e.g. with the path's id): the handler gets it raw.
   */
  bodyParsedByService?: true;
  bodyType?: string;
  /** Which token the route asks for: none (public), the metrics token when set, or the admin token. */
  auth: 'none' | 'metrics' | 'admin';
  responses: Record<string, RouteResponse>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<D extends RouteDoc> {
  params: Parsed<D['params']>;
  query: Parsed<D['query']>;
  body: D['bodyParsedByService'] extends true ? unknown : Parsed<D['body']>;
}

export type RouteHandler<D extends RouteDoc> = (
  input: RouteInput<D>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

export const jsonAnswer = (description: string, schema?: z.ZodType): RouteResponse => ({
  description,
  contentType: 'application/json',
  ...(schema ? { schema } : {}),
});

/** What the spec says the route answers with this status (undefined: nothing checked). */
function answerSchema(doc: RouteDoc, status: number): z.ZodType | undefined {
  const response = doc.responses[String(status)];
  return response?.contentType === 'application/json' ? response.schema : undefined;
}

/** A route answered what its own schema refuses: a bug, answered as a 500 and logged. */
export class AnswerSchemaError extends Error {
  constructor(doc: RouteDoc, status: number, cause: z.ZodError) {
    const first = cause.issues[0];
    super(
      `${doc.method.toUpperCase()} ${doc.url} answered ${status} outside its schema` +
        (first ? ` (${first.path.join('.')}: ${first.message})` : ''),
      { cause },
    );
    this.name = 'AnswerSchemaError';
  }
}

export function addRoute<D extends RouteDoc>(app: FastifyInstance, doc: D, handler: RouteHandler<D>): void {
  app.route({
    method: doc.method.toUpperCase() as Uppercase<Method>,
    url: doc.url,
    preSerialization: async (_request, reply, payload: unknown) => {
      const schema = answerSchema(doc, reply.statusCode);
      if (!schema) return payload;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new AnswerSchemaError(doc, reply.statusCode, parsed.error);
      return parsed.data;
    },
    handler: async (request, reply) => {
      const input = {
        params: doc.params?.parse(request.params),
        query: doc.query?.parse(request.query),
        body: doc.bodyParsedByService ? request.body : doc.body?.parse(request.body ?? {}),
      } as RouteInput<D>;
      return handler(input, request, reply);
    },
  });
}
