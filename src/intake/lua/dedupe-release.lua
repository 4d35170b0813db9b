--[[
  Gives a failed claim back: deletes the dedupe keys that still hold this claimant's marker (and
  only those: a key another claimant or a finalised record holds stays).

  Input:
    KEYS[1 .. n] dedupe keys of the delivery

    ARGV[1] pending marker 'pending:<token>' of this claimant

  Output:
    number of keys deleted
]]
local keys = KEYS
local marker = ARGV[1]

local released = 0
for _, key in ipairs(keys) do
  if redis.call('GET', key) == marker then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released
