-- Checks every limit of one request and, only if all pass, reserves it against all of them.
-- Atomic (one script), one round trip. See io.tollgate.traffic.package-info for the design;
-- window.lua (prepended) for the rpm/tpm windows.
-- KEYS[1]: the reservation marker; KEYS[1 + i]: the key of check i;
-- KEYS[n + 2]: the index of open reservations (ZSET member request_id, score deadline_ms).
-- ARGV: now_ms, request_id, window_ms, bucket_ms, marker_ttl_ms, n, deadline_ms, marker,
--       then per check: type, limit, amount, ttl_ms
--   type c (requests) and s (tokens): a windowed counter (window.lua); ttl_ms unused
--   type q: period counter (string integer; TTL ttl_ms, none if 0)
-- Returns {admitted 1/0, failed check index (0: none), retry_ms, then per check: used, reset_ms},
-- or {2, 0, 0} if the marker already exists: this request was settled or released before its admit
-- got here (the admit's caller timed out and gave up), or it is being admitted twice. Nothing is
-- reserved then, so a release can never be overtaken by its own admit.
-- The marker of an admitted request holds what was reserved, so sweep.lua can give it back
-- without the request: the bucket, then per check ' ' type amount ' ' #key ' ' key (lengths, so
-- that any key name parses), built by RedisAdmission.marker; settle.lua turns it into a
-- tombstone ('d').
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[3])
BUCKET = tonumber(ARGV[4])
SPAN = window / BUCKET
local n = tonumber(ARGV[6])
local cur = bucket_of(now)

-- The marker is written first, NX (one call where EXISTS + SET were two), and deleted again if a
-- limit refuses: nobody sees it in between, the script being atomic.
if not redis.call('SET', KEYS[1], ARGV[8], 'NX', 'PX', ARGV[5]) then return {2, 0, 0} end

local used, reset, oldest = {}, {}, {}
local failed, retry = 0, 0
for i = 1, n do
  local a = 8 + (i - 1) * 4
  local kind, limit, amount = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local key = KEYS[1 + i]
  if kind == 'q' then
    used[i] = tonumber(redis.call('GET', key) or '0')
    reset[i] = -1
  else
    used[i], oldest[i] = win_state(key, cur)
    reset[i] = oldest[i] and leaves_in(oldest[i], now) or window
  end
  if failed == 0 and used[i] + amount > limit then
    failed = i
    if kind ~= 'q' and amount <= limit then
      retry = win_retry(key, oldest[i] or cur, cur, now, used[i] + amount - limit)
    end
  end
end

if failed > 0 then
  redis.call('DEL', KEYS[1])
else
  for i = 1, n do
    local a = 8 + (i - 1) * 4
    local kind, amount, ttl = ARGV[a + 1], ARGV[a + 3], ARGV[a + 4]
    local key = KEYS[1 + i]
    if kind == 'q' then
      -- The TTL (period end + a day) is set when the counter is created; settle.lua does the same.
      if redis.call('INCRBY', key, amount) == tonumber(amount) and tonumber(ttl) > 0 then
        redis.call('PEXPIRE', key, ttl)
      end
    elseif amount ~= '0' then
      win_add(key, cur, amount, oldest[i])
      if not oldest[i] or cur < oldest[i] then oldest[i] = cur end
      reset[i] = leaves_in(oldest[i], now)
    end
    used[i] = used[i] + tonumber(amount)
  end
  redis.call('ZADD', KEYS[n + 2], ARGV[7], ARGV[2])
end

local out = {failed == 0 and 1 or 0, failed, retry}
for i = 1, n do
  out[#out + 1] = used[i]
  out[#out + 1] = reset[i]
end
return out
