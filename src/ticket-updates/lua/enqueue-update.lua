--[[
  Appends an update to a ticket's outbox with the next sequence number in one step, so two writers
  can never push out of order with respect to their numbers. For progress, only one placeholder is
  kept pending: the flusher turns it into a note carrying the latest value.

  Input:
    KEYS[1] sequence counter   P:outbox:<requestId>:seq
    KEYS[2] pending list       P:outbox:<requestId>:pending
    KEYS[3] tickets set        P:outbox:tickets
    KEYS[4] once-tags set      P:outbox:<requestId>:once

    ARGV[1] update JSON (without id and seq)
    ARGV[2] request id
    ARGV[3] once tag, or '' (an update with a tag already used is not added again)
    ARGV[4] how long the once-tags are kept, in milliseconds

  Output:
    { added (1 or 0), seq (0 when refused by its once tag) }
]]
local seqKey = KEYS[1]
local pendingKey = KEYS[2]
local ticketsKey = KEYS[3]
local onceKey = KEYS[4]
local updateJson = ARGV[1]
local requestId = ARGV[2]
local onceTag = ARGV[3]
local onceRetentionMs = ARGV[4]

if onceTag ~= '' then
  if redis.call('SADD', onceKey, onceTag) == 0 then
    return {0, 0}
  end
  redis.call('PEXPIRE', onceKey, onceRetentionMs)
end
local seq = redis.call('INCR', seqKey)
local update = cjson.decode(updateJson)
update.seq = seq
update.id = requestId .. '#' .. seq
if update.kind == 'progress' then
  local items = redis.call('LRANGE', pendingKey, 0, -1)
  for _, raw in ipairs(items) do
    local existing = cjson.decode(raw)
    if existing.kind == 'progress' then
      return {0, seq}
    end
  end
end
redis.call('RPUSH', pendingKey, cjson.encode(update))
redis.call('SADD', ticketsKey, requestId)
return {1, seq}
