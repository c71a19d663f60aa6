import { LuaScript } from '../registry/lua-script.js';

// The quota governor's atomic step, run in Redis so that every worker on every machine shares one
// budget and one rate. All four keys share the `{<prefix>:quota}` hash tag (one Cluster slot).
//
// KEYS: 1 day hash (used, per-purpose counters)  2 rate hash (sec, count)
//       3 per-user verification counters of the day  4 slow-down marker (set after a quota error)
// ARGV: 1 purpose  2 calls (this step)  3 daily budget  4 calls per second  5 write reserve share
//       6 user id  7 number of users sharing the verification budget
//       8 calls the whole reservation still needs (the budget is checked for all of them)
//       9 1 = a charge for calls already committed to: paced, never refused
// Returns {1, 0} granted, {0, 0} deferred for today, {-1, waitMs} wait for the rate limit.
export const acquireScript = new LuaScript(
  `
local purpose = ARGV[1]
local calls = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local perSecond = tonumber(ARGV[4])
local reserve = tonumber(ARGV[5])
local userId = ARGV[6]
local users = math.max(1, tonumber(ARGV[7]))
local need = math.max(calls, tonumber(ARGV[8]))
local charge = ARGV[9] == '1'
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
-- After Kakao's -10 the day counts as spent, whatever our own count says.
if redis.call('HGET', KEYS[1], 'exhausted') == '1' then used = math.max(used, budget) end
local reading = purpose == 'verify' or purpose == 'detail'
if charge then
  -- already committed to: counted, paced, never refused
elseif reading then
  local allowance = math.floor(budget * (1 - reserve))
  if used + need > allowance then return {0, 0} end
  local share = math.max(need, math.ceil(allowance / users))
  local mine = tonumber(redis.call('HGET', KEYS[3], userId) or '0')
  if mine + need > share then return {0, 0} end
elseif purpose == 'first-sync' then
  -- New users' first syncs never take the write reserve existing users' changes rely on.
  if used + need > math.floor(budget * (1 - reserve)) then return {0, 0} end
end
local t = redis.call('TIME')
local sec = tonumber(t[1])
local ms = math.floor(tonumber(t[2]) / 1000)
local limit = perSecond
if redis.call('EXISTS', KEYS[4]) == 1 then limit = math.max(1, math.floor(perSecond / 2)) end
local windowSec = tonumber(redis.call('HGET', KEYS[2], 'sec') or '0')
local count = 0
if windowSec == sec then count = tonumber(redis.call('HGET', KEYS[2], 'count') or '0') end
if count > 0 and count + calls > limit then return {-1, 1000 - ms} end
redis.call('HSET', KEYS[2], 'sec', sec, 'count', count + calls)
redis.call('PEXPIRE', KEYS[2], 5000)
redis.call('HINCRBY', KEYS[1], 'used', calls)
redis.call('HINCRBY', KEYS[1], purpose, calls)
redis.call('EXPIRE', KEYS[1], 259200)
if reading then
  redis.call('HINCRBY', KEYS[3], userId, calls)
  redis.call('EXPIRE', KEYS[3], 259200)
end
return {1, 0}
`,
  4,
);

// KEYS: 1 day hash  2 per-user verification counters.  ARGV: 1 purpose  2 calls  3 user id.
// Gives back the calls of a reservation refused part-way (another worker took the rest of the day
// meanwhile): a refused reservation takes nothing.
export const refundScript = new LuaScript(
  `
local calls = tonumber(ARGV[2])
redis.call('HINCRBY', KEYS[1], 'used', -calls)
redis.call('HINCRBY', KEYS[1], ARGV[1], -calls)
if ARGV[1] == 'verify' or ARGV[1] == 'detail' then redis.call('HINCRBY', KEYS[2], ARGV[3], -calls) end
return 1
`,
  2,
);

// KEYS: 1 day hash  2 slow-down marker.  ARGV: 1 marker lifetime ms.
// Kakao said the quota is spent: mark the day used up (its count stays the calls really made) and
// halve the rate until the reset.
export const exhaustedScript = new LuaScript(
  `
redis.call('HSET', KEYS[1], 'exhausted', 1)
redis.call('EXPIRE', KEYS[1], 259200)
redis.call('SET', KEYS[2], 1, 'PX', math.max(1, tonumber(ARGV[1])))
return 1
`,
  2,
);
