--[[
  Merges a patch into the recorded task of a step. The guid of a recorded task never changes.

  Input:
    KEYS[1] entry hash P:ledger:req:<id>

    ARGV[1] prefix
    ARGV[2] request id
    ARGV[3] now (epoch ms)
    ARGV[4] retention seconds
    ARGV[5] step
    ARGV[6] patch JSON (a null value removes the field)

  Output:
    'ok' | 'missing' (no entry, or no task recorded for the step)
]]
local entryKey = KEYS[1]
local prefix = ARGV[1]
local id = ARGV[2]
local now = ARGV[3]
local retention = tonumber(ARGV[4])
local step = ARGV[5]
local patchJson = ARGV[6]

--- @include "includes/ledger-prelude"

if redis.call('EXISTS', entryKey) == 0 then
  return 'missing'
end
local dataKey = entryKey .. ':data'
local field = 'task:' .. step
local raw = redis.call('HGET', dataKey, field)
if not raw then
  return 'missing'
end
local task = cjson.decode(raw)
for k, v in pairs(cjson.decode(patchJson)) do
  if k ~= 'guid' then
    if v == cjson.null then
      task[k] = nil
    else
      task[k] = v
    end
  end
end
redis.call('HSET', dataKey, field, cjson.encode(task))
touch(prefix, id, now, retention)
return 'ok'
