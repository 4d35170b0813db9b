--[[
  Finalises a claimed delivery: every dedupe key now says which request it became.

  Input:
    KEYS[1 .. n] dedupe keys of the delivery

    ARGV[1] record            'done:<requestId>:<ticket>'
    ARGV[2] retention seconds

  Output:
    1
]]
local keys = KEYS
local record = ARGV[1]
local retentionSeconds = ARGV[2]

for _, key in ipairs(keys) do
  redis.call('SET', key, record, 'EX', retentionSeconds)
end
return 1
