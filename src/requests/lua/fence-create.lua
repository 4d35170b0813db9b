--[[
  The last check before a Storware create call, so that a runner whose checks went stale (frozen,
  or cut off from Redis, past its locks) never creates: this runner must still hold the instance's
  task lock and the request's job lock, and no runner may have recorded a task for the step
  meanwhile. When all hold, the task lock is extended to cover the call, so no other runner can
  search or create until this create has answered or timed out.

  Input:
    KEYS[1] task lock       P:tasks:lock:<type>:<vm guid> (unused when ARGV[1] is '')
    KEYS[2] ledger data     P:ledger:req:<request id>:data
    KEYS[3] job lock        <queue prefix>:requests:<job id>:lock (unused when ARGV[3] is '')

    ARGV[1] task lock token ('' for a step with no instance, which takes no task lock)
    ARGV[2] task lock TTL from now, ms
    ARGV[3] job lock token ('' when the run holds no job lock)
    ARGV[4] step

  Output:
    'ok' | 'task_lock_lost' | 'job_lock_lost' | 'recorded'
]]
local taskLockKey = KEYS[1]
local dataKey = KEYS[2]
local jobLockKey = KEYS[3]
local taskLockToken = ARGV[1]
local taskLockTtl = tonumber(ARGV[2])
local jobLockToken = ARGV[3]
local step = ARGV[4]

if jobLockToken ~= '' and redis.call('GET', jobLockKey) ~= jobLockToken then
  return 'job_lock_lost'
end
if taskLockToken ~= '' and redis.call('GET', taskLockKey) ~= taskLockToken then
  return 'task_lock_lost'
end
if redis.call('HEXISTS', dataKey, 'task:' .. step) == 1 then
  return 'recorded'
end
if taskLockToken ~= '' then
  redis.call('PEXPIRE', taskLockKey, taskLockTtl)
end
return 'ok'
