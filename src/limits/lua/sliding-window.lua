--[[
  Counts one request against a sliding-window limit: this window's counter plus the previous
  window's, weighted by how much of it still overlaps the sliding window. A refused request is
  not counted.

  Input:
    KEYS[1] counter of the current fixed window
    KEYS[2] counter of the previous fixed window

    ARGV[1] limit (requests per window)
    ARGV[2] window length in milliseconds
    ARGV[3] milliseconds elapsed in the current window

  Output:
    { allowed (1 or 0), remaining, retryAfterMs (0 when allowed) }
]]
local currentKey = KEYS[1]
local previousKey = KEYS[2]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])

local current = tonumber(redis.call('GET', currentKey) or '0')
local previous = tonumber(redis.call('GET', previousKey) or '0')
local overlap = (window - elapsed) / window
local used = previous * overlap + current
if used + 1 > limit then
  local wait = window - elapsed
  if current < limit and previous > 0 then
    -- The previous window's weight falls linearly; wait until it has fallen far enough.
    local excess = used + 1 - limit
    wait = math.min(wait, math.ceil(excess / previous * window))
  end
  return { 0, 0, math.max(wait, 1) }
end
redis.call('INCR', currentKey)
redis.call('PEXPIRE', currentKey, window * 2)
return { 1, math.floor(limit - used - 1), 0 }
