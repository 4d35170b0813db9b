--[[
  Releases a lock only if it still holds the caller's token, in one step. A GET then a DEL sent
  separately would let the lock expire and be taken over in between, and the DEL would then free
  the new holder's lock.

  Input:
    KEYS[1] lock key

    ARGV[1] token of the holder releasing it

  Output:
    1 if the lock was deleted, 0 if it had expired or another holder has it now.
]]
local lockKey = KEYS[1]
local token = ARGV[1]

if redis.call('GET', lockKey) == token then
  return redis.call('DEL', lockKey)
end
return 0
