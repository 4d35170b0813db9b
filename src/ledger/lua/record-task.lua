--[[
  Records the Storware task of a step, first writer wins: a second runner that created or adopted
  another task gets the recorded one back.

  Input:
    KEYS[1] entry hash P:ledger:req:<id>

    ARGV[1] prefix
    ARGV[2] request id
    ARGV[3] now (epoch ms)
    ARGV[4] retention seconds
    ARGV[5] timeline cap
    ARGV[6] step
    ARGV[7] task JSON
    ARGV[8] event JSON

  Output:
    { 'recorded' | 'exists' | 'missing', task JSON that won ('' when missing) }
]]
local entryKey = KEYS[1]
local prefix = ARGV[1]
local id = ARGV[2]
local now = ARGV[3]
local retention = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local step = ARGV[6]
local taskJson = ARGV[7]
local eventJson = ARGV[8]

--- @include "includes/ledger-prelude"

if redis.call('EXISTS', entryKey) == 0 then
  return { 'missing', '' }
end
local dataKey = entryKey .. ':data'
local field = 'task:' .. step
local existing = redis.call('HGET', dataKey, field)
if existing then
  return { 'exists', existing }
end
redis.call('HSET', dataKey, field, taskJson)
pushEvent(entryKey, eventJson, cap)
touch(prefix, id, now, retention)
return { 'recorded', taskJson }
