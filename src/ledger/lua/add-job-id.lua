--[[
  Adds a BullMQ job id to the entry's comma list of job ids, once.

  Input:
    KEYS[1] entry hash P:ledger:req:<id>

    ARGV[1] prefix
    ARGV[2] request id
    ARGV[3] now (epoch ms)
    ARGV[4] retention seconds
    ARGV[5] job id (no commas)

  Output:
    'ok' | 'missing'
]]
local entryKey = KEYS[1]
local prefix = ARGV[1]
local id = ARGV[2]
local now = ARGV[3]
local retention = tonumber(ARGV[4])
local jobId = ARGV[5]

--- @include "includes/ledger-prelude"

if redis.call('EXISTS', entryKey) == 0 then
  return 'missing'
end
local dataKey = entryKey .. ':data'
local current = redis.call('HGET', dataKey, 'jobIds')
if current then
  for j in string.gmatch(current, '[^,]+') do
    if j == jobId then
      return 'ok'
    end
  end
  redis.call('HSET', dataKey, 'jobIds', current .. ',' .. jobId)
else
  redis.call('HSET', dataKey, 'jobIds', jobId)
end
touch(prefix, id, now, retention)
return 'ok'
