import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { ChannelAdminKeyMissingError } from '../channel/errors.js';
import { CalendarNotDeletableError } from '../daemon/errors.js';
import { KakaoAppKeyMissingError } from '../kakao/errors.js';
import type { Logger } from '../log.js';
import { TalkcalError } from '../model/errors.js';
import { QuotaDeferredError, SyncJobFailedError } from '../queue/errors.js';
import {
  InvalidPageRequestError,
  InvalidRegistryInputError,
  LinkNotFoundError,
  SubCalendarLimitError,
  UserNotFoundError,
} from '../registry/errors.js';
import { FeedBlockedAddressError } from '../sources/ics-feed/errors.js';

// Typed errors become answers with a status and their message (written for people, never holding
// a secret); anything else is a bug: logged, answered with a generic 500.

const statusByType: [abstract new (...args: never[]) => TalkcalError, number][] = [
  [UserNotFoundError, 404],
  [LinkNotFoundError, 404],
  [InvalidRegistryInputError, 400],
  [InvalidPageRequestError, 400],
  [SubCalendarLimitError, 409],
  [SyncJobFailedError, 409],
  [QuotaDeferredError, 503],
  [FeedBlockedAddressError, 400],
  [ChannelAdminKeyMissingError, 409],
  [KakaoAppKeyMissingError, 409],
  [CalendarNotDeletableError, 409],
];

function statusOf(error: TalkcalError): number {
  const known = statusByType.find(([type]) => error instanceof type)?.[1];
  return known ?? (error.scope === 'item' ? 400 : 500);
}

export function errorHandler(logger: Logger) {
  return (error: FastifyError | Error, _request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ZodError) {
      return reply.code(400).send({
        error: 'invalid input',
        issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    if (error instanceof TalkcalError) {
      const status = statusOf(error);
      return reply.code(status).send({ error: error.message, kind: error.name });
    }
    const status = (error as FastifyError).statusCode;
    if (status && status < 500) return reply.code(status).send({ error: error.message });
    logger.error({ err: error }, 'unexpected error in HTTP handler');
    return reply.code(500).send({ error: 'internal error' });
  };
}
