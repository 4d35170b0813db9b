--[[
  Gives a request the millisecond tag (1-999) its tasks on one instance carry in their window
  start, unique among the requests that used a tag on that instance within the TTL: adoption
  recognises a request's own task by it, so two requests must never share one. A request keeps the
  tag it has; a new one takes its preferred tag if free, else the next free one.

  Input:
    KEYS[1] the request's tag    P:tasks:tagof:<request id>:<vm guid>
    KEYS[2] the instance's tags  P:tasks:tags:<vm guid>  hash tag -> "<request id>|<expires at ms>"

    ARGV[1] request id
    ARGV[2] preferred tag (1-999)
    ARGV[3] now, epoch ms
    ARGV[4] TTL, ms

  Output:
    the tag (1-999), or 0 when every tag is taken
]]
local ownKey = KEYS[1]
local tagsKey = KEYS[2]
local requestId = ARGV[1]
local preferred = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])

local function take(tag)
  redis.call('HSET', tagsKey, tostring(tag), requestId .. '|' .. tostring(now + ttl))
  redis.call('SET', ownKey, tostring(tag), 'PX', ttl)
  redis.call('PEXPIRE', tagsKey, ttl)
  return tag
end

local own = redis.call('GET', ownKey)
if own then
  return take(tonumber(own))
end
for i = 0, 998 do
  local tag = ((preferred - 1 + i) % 999) + 1
  local holder = redis.call('HGET', tagsKey, tostring(tag))
  if not holder then
    return take(tag)
  end
  local sep = string.find(holder, '|', 1, true)
  local holderId = string.sub(holder, 1, sep - 1)
  local expiresAt = tonumber(string.sub(holder, sep + 1))
  if holderId == requestId or expiresAt <= now then
    return take(tag)
  end
end
return 0
