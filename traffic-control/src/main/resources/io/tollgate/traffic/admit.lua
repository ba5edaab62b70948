-- Checks every limit of one request and, only if all pass, reserves it against all of them.
-- Atomic (one script), one round trip. See io.tollgate.traffic.package-info for the design.
-- KEYS[1]: the reservation marker; KEYS[2i], KEYS[2i+1]: the two keys of check i;
-- KEYS[2n+2]: the index of open reservations (ZSET member request_id, score deadline_ms).
-- ARGV: now_ms, request_id, window_ms, marker_ttl_ms, n, deadline_ms,
--       then per check: type, limit, amount, ttl_ms
--   type c: sliding log of requests (ZSET member request_id, score time)
--   type s: sliding log of amounts (ZSET member request_id:amount, score time) + running sum key
--   type q: period counter (string integer; TTL ttl_ms, none if 0)
-- Returns {admitted 1/0, failed check index (0: none), retry_ms, then per check: used, reset_ms},
-- or {2, 0, 0} if the marker already exists: this request was settled or released before its admit
-- got here (the admit's caller timed out and gave up), or it is being admitted twice. Nothing is
-- reserved then, so a release can never be overtaken by its own admit.
-- The marker of an admitted request holds what was reserved ([[type, key, sum_key, amount], ...],
-- amounts as strings so that cjson cannot round them), so sweep.lua can give it back without the
-- request; settle.lua turns it into a tombstone ('d').
if redis.call('EXISTS', KEYS[1]) == 1 then return {2, 0, 0} end

local now = tonumber(ARGV[1])
local id = ARGV[2]
local window = tonumber(ARGV[3])
local n = tonumber(ARGV[5])
local index = KEYS[2 * n + 2]
local cutoff = now - window

local function amount_of(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

local function oldest_reset(key)
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #first == 0 then return window end
  return tonumber(first[2]) + window - now
end

-- Drops entries that left the window and returns the sum of the rest.
local function trim_sum(key, sum_key)
  local expired = redis.call('ZRANGEBYSCORE', key, '-inf', cutoff)
  if #expired > 0 then
    local gone = 0
    for _, m in ipairs(expired) do gone = gone + amount_of(m) end
    redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
    redis.call('DECRBY', sum_key, string.format('%d', gone))
  end
  if redis.call('ZCARD', key) == 0 then
    redis.call('DEL', sum_key)
    return 0
  end
  local sum = tonumber(redis.call('GET', sum_key) or '-1')
  if sum < 0 then
    -- The running sum was lost (evicted) or went wrong: rebuild it from the entries.
    sum = 0
    for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do sum = sum + amount_of(m) end
    redis.call('SET', sum_key, string.format('%d', sum), 'PX', window)
  end
  return sum
end

-- Time until enough of the oldest entries leave the window to free `need`.
local function retry_ms(key, kind, need)
  if kind == 'c' then
    local e = redis.call('ZRANGE', key, need - 1, need - 1, 'WITHSCORES')
    if #e == 0 then return window end
    return tonumber(e[2]) + window - now
  end
  local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  local freed = 0
  for j = 1, #entries, 2 do
    freed = freed + amount_of(entries[j])
    if freed >= need then return tonumber(entries[j + 1]) + window - now end
  end
  return window
end

local used, reset = {}, {}
local failed, retry = 0, 0
for i = 1, n do
  local a = 6 + (i - 1) * 4
  local kind, limit, amount = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local key, sum_key = KEYS[2 * i], KEYS[2 * i + 1]
  if kind == 'c' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
    used[i] = redis.call('ZCARD', key)
    reset[i] = oldest_reset(key)
  elseif kind == 's' then
    used[i] = trim_sum(key, sum_key)
    reset[i] = oldest_reset(key)
  else
    used[i] = tonumber(redis.call('GET', key) or '0')
    reset[i] = -1
  end
  if failed == 0 and used[i] + amount > limit then
    failed = i
    if kind ~= 'q' and amount <= limit then retry = retry_ms(key, kind, used[i] + amount - limit) end
  end
end

if failed == 0 then
  local held = {}
  for i = 1, n do
    local a = 6 + (i - 1) * 4
    local kind, amount, ttl = ARGV[a + 1], ARGV[a + 3], ARGV[a + 4]
    local key, sum_key = KEYS[2 * i], KEYS[2 * i + 1]
    if kind == 'c' then
      redis.call('ZADD', key, ARGV[1], id)
      redis.call('PEXPIRE', key, ARGV[3])
    elseif kind == 's' then
      redis.call('ZADD', key, ARGV[1], id .. ':' .. amount)
      redis.call('INCRBY', sum_key, amount)
      redis.call('PEXPIRE', key, ARGV[3])
      redis.call('PEXPIRE', sum_key, ARGV[3])
    else
      redis.call('INCRBY', key, amount)
      if tonumber(ttl) > 0 then redis.call('PEXPIRE', key, ttl) end
    end
    used[i] = used[i] + tonumber(amount)
    held[i] = {kind, key, sum_key, amount}
  end
  redis.call('SET', KEYS[1], cjson.encode(held), 'PX', ARGV[4])
  redis.call('ZADD', index, ARGV[6], id)
end

local out = {failed == 0 and 1 or 0, failed, retry}
for i = 1, n do
  out[#out + 1] = used[i]
  out[#out + 1] = reset[i]
end
return out
