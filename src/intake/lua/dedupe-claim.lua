--[[
  Claims a webhook delivery on all of its dedupe keys at once, unless one of them is taken.

  Input:
    KEYS[1 .. n] dedupe keys: the event key, then (when the delivery has one) the webhook-id key

    ARGV[1] pending marker  'pending:<token>'
    ARGV[2] marker TTL in milliseconds (a crashed claimant's marker expires by itself)

  Output:
    { index of the first key already set (1-based), its value } when taken;
    nil (false in Lua) when every key was free and now holds the marker.
]]
local keys = KEYS
local marker = ARGV[1]
local ttlMs = ARGV[2]

for i, key in ipairs(keys) do
  local value = redis.call('GET', key)
  if value then
    return { i, value }
  end
end
for _, key in ipairs(keys) do
  redis.call('SET', key, marker, 'PX', ttlMs)
end
return false
