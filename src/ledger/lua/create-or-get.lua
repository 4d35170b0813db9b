--[[
  Finds the ledger entry of a RITM, or creates it. A mapping left behind by an expired entry is
  replaced; a number already mapped to another live entry keeps its first owner.

  Input:
    KEYS[1] ritm map        P:ledger:ritm:<sys_id>
    KEYS[2] number map      P:ledger:number:<RITM number>
    KEYS[3] candidate entry P:ledger:req:<candidate id>

    ARGV[1] prefix
    ARGV[2] candidate request id (derived from the sys_id)
    ARGV[3] ritmSysId
    ARGV[4] RITM number
    ARGV[5] catalog item key
    ARGV[6] now (epoch ms)
    ARGV[7] received event JSON

  Output:
    { requestId, 1 if created else 0 }
]]
local ritmMapKey = KEYS[1]
local numberMapKey = KEYS[2]
local entryKey = KEYS[3]
local prefix = ARGV[1]
local id = ARGV[2]
local ritmSysId = ARGV[3]
local number = ARGV[4]
local item = ARGV[5]
local now = ARGV[6]
local receivedEvent = ARGV[7]

--- @include "includes/ledger-prelude"

local existing = redis.call('GET', ritmMapKey)
if existing and redis.call('EXISTS', prefix .. ':ledger:req:' .. existing) == 1 then
  return { existing, 0 }
end
redis.call('SET', ritmMapKey, id)
if redis.call('EXISTS', entryKey) == 1 then
  -- The id is derived from the sys_id: an entry that lost only its index keys is found again,
  -- never reset.
  return { id, 0 }
end
local owner = redis.call('GET', numberMapKey)
if (not owner) or redis.call('EXISTS', prefix .. ':ledger:req:' .. owner) == 0 then
  redis.call('SET', numberMapKey, id)
end
redis.call('HSET', entryKey, 'ritmSysId', ritmSysId, 'number', number, 'item', item, 'state', 'received',
  'step', 'intake', 'createdAt', now, 'cancelRequested', '0')
pushEvent(entryKey, receivedEvent, 1)
redis.call('ZADD', prefix .. ':ledger:idx:open', now, id)
touch(prefix, id, now, 0)
return { id, 1 }
