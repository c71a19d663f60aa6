import type { Config } from '../../config/schema.js';
import type { Logger } from '../../log.js';
import type { SourceConfig } from '../../model/link.js';
import type { SplitLimits, SplitResult } from '../ics-split.js';
import { IcsFeedStorage } from './storage.js';

type IcsSource = Extract<SourceConfig, { type: 'ics' }>;

/** The storage for one link's ICS feed (always read-only). */
export function icsStorageFor(
  source: IcsSource,
  sources: Pick<Config['sources'], 'ics' | 'allowHosts'>,
  options: {
    logger?: Logger;
    limits?: SplitLimits;
    split?: (text: string, limits: SplitLimits, near: number) => Promise<SplitResult>;
  } = {},
): IcsFeedStorage {
  return new IcsFeedStorage({
    url: source.url,
    settings: sources.ics,
    allowHosts: sources.allowHosts,
    ...(source.headers ? { headers: source.headers } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.split ? { split: options.split } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}
