--[[
  Patches a ledger entry: sets and deletes fields, moves its state, appends a timeline event. Terminal
  states stay terminal: the first terminal write wins.

  Input:
    KEYS[1] entry hash P:ledger:req:<id>

    ARGV[1] prefix
    ARGV[2] request id
    ARGV[3] now (epoch ms)
    ARGV[4] retention seconds
    ARGV[5] timeline cap
    ARGV[6] event JSON, or '' for none
    ARGV[7] allowed current states (comma list), or '' for any
    ARGV[8] new state, or '' to keep the current one
    ARGV[9] number of field pairs N
    ARGV[10 .. 9 + 2N] N field/value pairs to set
    ARGV[10 + 2N ..]   names of fields to delete

  Output:
    'ok' | 'missing' | 'precondition' | 'terminal'; only 'ok' wrote anything.
]]
local entryKey = KEYS[1]
local prefix = ARGV[1]
local id = ARGV[2]
local now = ARGV[3]
local retention = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local eventJson = ARGV[6]
local allowedStates = ARGV[7]
local newState = ARGV[8]
local pairCount = tonumber(ARGV[9])
local sets = {}
for i = 1, pairCount do
  sets[i] = { name = ARGV[8 + 2 * i], value = ARGV[9 + 2 * i] }
end
local deletes = {}
for i = 10 + 2 * pairCount, #ARGV do
  deletes[#deletes + 1] = ARGV[i]
end

--- @include "includes/ledger-prelude"

if redis.call('EXISTS', entryKey) == 0 then
  return 'missing'
end
local state = redis.call('HGET', entryKey, 'state')
if allowedStates ~= '' then
  local allowed = false
  for s in string.gmatch(allowedStates, '[^,]+') do
    if s == state then
      allowed = true
    end
  end
  if not allowed then
    return 'precondition'
  end
end
-- The first terminal write wins, with its result: a second runner of the same request (a stalled
-- job taken over, a re-queued lost job) that reaches an end too must not overwrite it.
if newState ~= '' and TERMINAL[state] then
  return 'terminal'
end
local idx = prefix .. ':ledger:idx:'
local dataKey = entryKey .. ':data'
if #sets > 0 then
  local tenant = redis.call('HGET', entryKey, 'tenant')
  local main = {}
  local data = {}
  for _, field in ipairs(sets) do
    if field.name == 'tenant' and tenant and tenant ~= field.value then
      redis.call('ZREM', idx .. 'tenant:' .. tenant, id)
    end
    local target = DATA_FIELDS[field.name] and data or main
    target[#target + 1] = field.name
    target[#target + 1] = field.value
  end
  if #main > 0 then
    redis.call('HSET', entryKey, unpack(main))
  end
  if #data > 0 then
    redis.call('HSET', dataKey, unpack(data))
  end
end
for _, name in ipairs(deletes) do
  redis.call('HDEL', DATA_FIELDS[name] and dataKey or entryKey, name)
end
if newState ~= '' and newState ~= state then
  redis.call('ZREM', idx .. 'state:' .. state, id)
end
pushEvent(entryKey, eventJson, cap)
touch(prefix, id, now, retention)
return 'ok'
