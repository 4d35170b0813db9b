/**
 * The ledger's Lua scripts. Every write that touches more than one key, or that must read before
 * it writes (first writer wins, terminal states stay terminal, de-duplicated job ids), runs as one
 * script, so concurrent intake, workers and the poller never interleave inside an update and no
 * JSON blob is ever read, changed in Node and written back.
 *
 * Scripts derive index and mapping keys from the prefix passed in ARGV (as BullMQ's own scripts
 * do). That is safe on Redis Cluster because the prefix is a hash tag (`{sic}`): every key below it
 * hashes to the same slot as the declared KEYS.
 */
import { luaScript } from '../redis/lua-script';

/** Shared by every mutating script; see the key layout in ledger.ts. */
const PRELUDE = `
local TERMINAL = { succeeded = true, failed = true, rejected = true, cancelled = true, expired = true }
-- Fields with long values live in the entry's :data hash, so the main hash stays compact.
local DATA_FIELDS = { approval = true, window = true, result = true, lastError = true }

-- Bumps updatedAt and re-scores the entry in each index it belongs to. For a terminal entry it
-- also takes it out of the open set and (re)starts the retention clock on all of its keys, so
-- a key created after the terminal write (a late task record) cannot outlive the entry.
local function touch(prefix, id, now, retention)
  local base = prefix .. ':ledger:'
  local entryKey = base .. 'req:' .. id
  redis.call('HSET', entryKey, 'updatedAt', now)
  local f = redis.call('HMGET', entryKey, 'state', 'tenant', 'item', 'ritmSysId', 'number')
  local idx = base .. 'idx:'
  redis.call('ZADD', idx .. 'updated', now, id)
  redis.call('ZADD', idx .. 'state:' .. f[1], now, id)
  if f[2] then
    redis.call('ZADD', idx .. 'tenant:' .. f[2], now, id)
  end
  redis.call('ZADD', idx .. 'item:' .. f[3], now, id)
  if TERMINAL[f[1]] then
    redis.call('ZREM', idx .. 'open', id)
    redis.call('EXPIRE', entryKey, retention)
    redis.call('EXPIRE', entryKey .. ':timeline', retention)
    redis.call('EXPIRE', entryKey .. ':data', retention)
    local ritmKey = base .. 'ritm:' .. f[4]
    if redis.call('GET', ritmKey) == id then
      redis.call('EXPIRE', ritmKey, retention)
    end
    local numberKey = base .. 'number:' .. f[5]
    if redis.call('GET', numberKey) == id then
      redis.call('EXPIRE', numberKey, retention)
    end
  end
end

local function pushEvent(entryKey, eventJson, cap)
  if eventJson ~= '' then
    local timeline = entryKey .. ':timeline'
    redis.call('RPUSH', timeline, eventJson)
    redis.call('LTRIM', timeline, -cap, -1)
  end
end
`;

/**
 * KEYS: ritm map, number map, candidate entry hash.
 * ARGV: prefix, candidate id, ritmSysId, number, item, now, received event JSON.
 * Returns { requestId, 1 if created else 0 }. A mapping left behind by an expired entry is
 * replaced; a number already mapped to another live entry keeps its first owner.
 */
export const createOrGetScript = luaScript(`${PRELUDE}
local prefix = ARGV[1]
local existing = redis.call('GET', KEYS[1])
if existing and redis.call('EXISTS', prefix .. ':ledger:req:' .. existing) == 1 then
  return { existing, 0 }
end
local id = ARGV[2]
redis.call('SET', KEYS[1], id)
if redis.call('EXISTS', KEYS[3]) == 1 then
  -- The id is derived from the sys_id: an entry that lost only its index keys is found again,
  -- never reset.
  return { id, 0 }
end
local owner = redis.call('GET', KEYS[2])
if (not owner) or redis.call('EXISTS', prefix .. ':ledger:req:' .. owner) == 0 then
  redis.call('SET', KEYS[2], id)
end
redis.call('HSET', KEYS[3], 'ritmSysId', ARGV[3], 'number', ARGV[4], 'item', ARGV[5], 'state', 'received',
  'step', 'intake', 'createdAt', ARGV[6], 'cancelRequested', '0')
pushEvent(KEYS[3], ARGV[7], 1)
redis.call('ZADD', prefix .. ':ledger:idx:open', ARGV[6], id)
touch(prefix, id, ARGV[6], 0)
return { id, 1 }
`);

/**
 * KEYS: entry hash.
 * ARGV: prefix, id, now, retention seconds, timeline cap, event JSON or '', allowed states
 * (comma list) or '', new state or '', number of field pairs N, N field/value pairs, then the
 * names of fields to delete.
 * Returns 'ok' | 'missing' | 'precondition' | 'terminal'; only 'ok' wrote anything.
 */
export const updateScript = luaScript(`${PRELUDE}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
local state = redis.call('HGET', KEYS[1], 'state')
if ARGV[7] ~= '' then
  local allowed = false
  for s in string.gmatch(ARGV[7], '[^,]+') do
    if s == state then
      allowed = true
    end
  end
  if not allowed then
    return 'precondition'
  end
end
local newState = ARGV[8]
-- The first terminal write wins, with its result: a second runner of the same request (a stalled
-- job taken over, a re-queued lost job) that reaches an end too must not overwrite it.
if newState ~= '' and TERMINAL[state] then
  return 'terminal'
end
local id = ARGV[2]
local idx = ARGV[1] .. ':ledger:idx:'
local n = tonumber(ARGV[9])
local dataKey = KEYS[1] .. ':data'
if n > 0 then
  local tenant = redis.call('HGET', KEYS[1], 'tenant')
  local main = {}
  local data = {}
  for i = 0, n - 1 do
    local k = ARGV[10 + 2 * i]
    local v = ARGV[11 + 2 * i]
    if k == 'tenant' and tenant and tenant ~= v then
      redis.call('ZREM', idx .. 'tenant:' .. tenant, id)
    end
    local target = DATA_FIELDS[k] and data or main
    target[#target + 1] = k
    target[#target + 1] = v
  end
  if #main > 0 then
    redis.call('HSET', KEYS[1], unpack(main))
  end
  if #data > 0 then
    redis.call('HSET', dataKey, unpack(data))
  end
end
for i = 10 + 2 * n, #ARGV do
  redis.call('HDEL', DATA_FIELDS[ARGV[i]] and dataKey or KEYS[1], ARGV[i])
end
if newState ~= '' and newState ~= state then
  redis.call('ZREM', idx .. 'state:' .. state, id)
end
pushEvent(KEYS[1], ARGV[6], tonumber(ARGV[5]))
touch(ARGV[1], id, ARGV[3], tonumber(ARGV[4]))
return 'ok'
`);

/**
 * KEYS: entry hash.
 * ARGV: prefix, id, now, retention seconds, timeline cap, step, task JSON, event JSON.
 * Returns { 'recorded' | 'exists' | 'missing', task JSON that won }.
 */
export const recordTaskScript = luaScript(`${PRELUDE}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return { 'missing', '' }
end
local dataKey = KEYS[1] .. ':data'
local field = 'task:' .. ARGV[6]
local existing = redis.call('HGET', dataKey, field)
if existing then
  return { 'exists', existing }
end
redis.call('HSET', dataKey, field, ARGV[7])
pushEvent(KEYS[1], ARGV[8], tonumber(ARGV[5]))
touch(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
return { 'recorded', ARGV[7] }
`);

/**
 * KEYS: entry hash.
 * ARGV: prefix, id, now, retention seconds, step, patch JSON (null removes a field).
 * Returns 'ok' | 'missing'. The guid of a recorded task never changes.
 */
export const updateTaskScript = luaScript(`${PRELUDE}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
local dataKey = KEYS[1] .. ':data'
local field = 'task:' .. ARGV[5]
local raw = redis.call('HGET', dataKey, field)
if not raw then
  return 'missing'
end
local task = cjson.decode(raw)
for k, v in pairs(cjson.decode(ARGV[6])) do
  if k ~= 'guid' then
    if v == cjson.null then
      task[k] = nil
    else
      task[k] = v
    end
  end
end
redis.call('HSET', dataKey, field, cjson.encode(task))
touch(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
return 'ok'
`);

/**
 * KEYS: entry hash.
 * ARGV: prefix, id, now, retention seconds, job id (no commas).
 * Returns 'ok' | 'missing'.
 */
export const addJobIdScript = luaScript(`${PRELUDE}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 'missing'
end
local dataKey = KEYS[1] .. ':data'
local current = redis.call('HGET', dataKey, 'jobIds')
if current then
  for j in string.gmatch(current, '[^,]+') do
    if j == ARGV[5] then
      return 'ok'
    end
  end
  redis.call('HSET', dataKey, 'jobIds', current .. ',' .. ARGV[5])
else
  redis.call('HSET', dataKey, 'jobIds', ARGV[5])
end
touch(ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]))
return 'ok'
`);
