import { deleteIfOwner, LuaScript, renewIfOwner } from '../registry/lua-script.js';
import type { RedisConnection } from '../registry/redis.js';

// "This user's sync is running as job X": set when a job starts, renewed while it runs, expires on
// its own if the process dies. A second job of the same user that finds it skips; a manual trigger
// that finds it answers with the running job instead of queueing another.

// Free, or held by this same job (an attempt of it died and BullMQ handed the job out again).
const claimScript = new LuaScript(
  `local holder = redis.call('GET', KEYS[1])
if not holder or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`,
  1,
);

export class RunningMarker {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  key(userId: string): string {
    return `${this.keyPrefix}:user:{${userId}}:running`;
  }

  async claim(userId: string, jobId: string): Promise<boolean> {
    return (await claimScript.run(this.redis, [this.key(userId)], [jobId, this.ttlMs])) === 1;
  }

  async holder(userId: string): Promise<string | null> {
    return this.redis.get(this.key(userId));
  }

  async renew(userId: string, jobId: string): Promise<boolean> {
    return (await renewIfOwner.run(this.redis, [this.key(userId)], [jobId, this.ttlMs])) === 1;
  }

  async release(userId: string, jobId: string): Promise<void> {
    await deleteIfOwner.run(this.redis, [this.key(userId)], [jobId]);
  }
}
