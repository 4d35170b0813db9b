--[[
  Removes the head of a ticket's pending list only if it is still the update just applied, clears
  the in-flight marker, and takes the ticket out of the tickets set once nothing is pending.

  Input:
    KEYS[1] pending list   P:outbox:<requestId>:pending
    KEYS[2] in-flight key  P:outbox:<requestId>:inflight
    KEYS[3] tickets set    P:outbox:tickets

    ARGV[1] id of the applied update ('<requestId>#<seq>')
    ARGV[2] request id

  Output:
    1
]]
local pendingKey = KEYS[1]
local inflightKey = KEYS[2]
local ticketsKey = KEYS[3]
local updateId = ARGV[1]
local requestId = ARGV[2]

local head = redis.call('LINDEX', pendingKey, 0)
if head and cjson.decode(head).id == updateId then
  redis.call('LPOP', pendingKey)
end
redis.call('DEL', inflightKey)
if redis.call('LLEN', pendingKey) == 0 then
  redis.call('SREM', ticketsKey, requestId)
end
return 1
