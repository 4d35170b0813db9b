--[[
  Admits a request's start within its tenant's per-window limit, or puts it in the tenant's line
  and says when to ask again (see src/tenancy/tenant-starts.ts for the keys and the reasoning).

  Numbers reach Redis commands through redis.call (formatted exactly); they are never concatenated
  in Lua, whose tostring would write an epoch in ms as 1.7e+12 (hence nowText below).

  Input:
    KEYS[1] window zset    P:tenant-starts:<tenant>
    KEYS[2] line zset      P:tenant-starts:<tenant>:line
    KEYS[3] deadline zset  P:tenant-starts:<tenant>:deadline
    KEYS[4] ledger entry hash
    KEYS[5] ledger entry :data hash

    ARGV[1] request id
    ARGV[2] now (epoch ms)
    ARGV[3] limit (starts per window, >= 1)
    ARGV[4] window length in milliseconds
    ARGV[5] when the request first had to wait (epoch ms)
    ARGV[6] name of the admission field in the :data hash

  Output:
    { 1, fresh (1 when this call took the slot), admittedAt } or { 0, retryAt, requests ahead }
]]
local windowKey = KEYS[1]
local lineKey = KEYS[2]
local deadlineKey = KEYS[3]
local entryKey = KEYS[4]
local dataKey = KEYS[5]
local id = ARGV[1]
local nowText = ARGV[2]
local now = tonumber(nowText)
local limit = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local queuedAt = tonumber(ARGV[5])
local field = ARGV[6]

-- Admitted before, however long ago: a rerun never counts again.
local marked = redis.call('HGET', dataKey, field)
if marked then
  return {1, 0, tonumber(marked)}
end
redis.call('ZREMRANGEBYSCORE', windowKey, '-inf', now - window)
local score = redis.call('ZSCORE', windowKey, id)
if score then
  return {1, 0, tonumber(score)}
end

-- Waiters that did not come back by their deadline are gone; they must not hold the line.
local gone = redis.call('ZRANGEBYSCORE', deadlineKey, '-inf', '(' .. nowText, 'LIMIT', 0, 500)
if #gone > 0 then
  redis.call('ZREM', lineKey, unpack(gone))
  redis.call('ZREM', deadlineKey, unpack(gone))
end

local card = redis.call('ZCARD', windowKey)
local free = limit - card
redis.call('ZADD', lineKey, 'NX', queuedAt, id)
local rank = redis.call('ZRANK', lineKey, id)
if rank < free then
  redis.call('ZADD', windowKey, now, id)
  redis.call('PEXPIRE', windowKey, 2 * window)
  redis.call('ZREM', lineKey, id)
  redis.call('ZREM', deadlineKey, id)
  -- Only into an entry that exists: never leave a stray :data hash without its entry.
  if redis.call('EXISTS', entryKey) == 1 then
    redis.call('HSET', dataKey, field, now)
  end
  return {1, 1, now}
end

-- Not yet: when does the slot for this place in the line free up? Releases, oldest first: the
-- admissions in the window (score + window), then the free slots the waiters ahead are about to
-- take (now + window). Beyond those, each slot is taken again when released and released one
-- window later, so the last 'limit' releases repeat with the window as period.
local k = rank - free
local n = math.max(card, limit)
local function release(i)
  if i < card then
    return tonumber(redis.call('ZRANGE', windowKey, i, i, 'WITHSCORES')[2]) + window
  end
  return now + window
end
local retryAt
if k < n then
  retryAt = release(k)
else
  local j = k - n
  retryAt = release(n - limit + j % limit) + (math.floor(j / limit) + 1) * window
end
local deadline = retryAt + window
redis.call('ZADD', deadlineKey, deadline, id)
local keep = deadline - now + window
for _, key in ipairs({lineKey, deadlineKey}) do
  if redis.call('PTTL', key) < keep then
    redis.call('PEXPIRE', key, keep)
  end
end
return {0, retryAt, rank}
