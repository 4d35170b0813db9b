--[[
  Shared by every mutating ledger script (see the key layout in src/ledger/ledger.ts): the terminal
  states, the fields kept in the entry's :data hash, and the two steps every write ends with.
  Included with `--- @include "includes/ledger-prelude"`; it reads no KEYS or ARGV itself.
]]
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
