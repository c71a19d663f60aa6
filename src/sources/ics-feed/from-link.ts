import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log.js';
import type { SourceConfig } from '../../model/link.js';
import type { SplitLimits } from '../ics-split.js';
import { IcsFeedStorage } from './storage.js';

type IcsSource = Extract<SourceConfig, { type: 'ics' }>;

/** The storage for one link's ICS feed (always read-only). */
export function icsStorageFor(
  source: IcsSource,
  settings: Config['sources']['ics'],
  options: { logger?: Logger; limits?: SplitLimits } = {},
): IcsFeedStorage {
  return new IcsFeedStorage({
    url: source.url,
    settings,
    ...(source.headers ? { headers: source.headers } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}
