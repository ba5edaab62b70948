-- Replaces what admit.lua reserved for one request by the real usage. Idempotent per request.
-- KEYS[1]: the reservation marker (modes settle/release) or the late marker (mode late);
-- KEYS[1 + i]: the key of check i, as in admit.lua; KEYS[n + 2]: the open-reservation index.
-- ARGV: now_ms, request_id, window_ms, bucket_ms, mode, tombstone_ttl_ms, reserved_at_ms, n,
--       then per check: type, reserved, actual, delta (= actual - reserved), ttl_ms
-- Modes: settle (real usage), release (the request never ran: its request count goes too),
--        late (usage of a request admitted locally while Redis was down: nothing was reserved).
-- Settle and release leave a tombstone ('d') in the marker, so a duplicate does nothing and an
-- admit that arrives after them (its caller timed out) reserves nothing. One that finds no marker
-- at all came before its admit, or after the sweeper gave the reservation back: nothing is held,
-- so a settle adds the real usage as a late one would and a release only leaves the tombstone.
-- rpm/tpm change the bucket of reserved_at_ms, and only while it counts (window.lua): a request
-- whose bucket left the window has left it with the amount it had.
-- Returns 1 if applied against a reservation, 2 if applied with nothing reserved, 0 if this
-- request was already settled.
local mode = ARGV[5]
local n = tonumber(ARGV[8])
local held, windows_held = true, true
if mode == 'late' then
  if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[6]) then return 0 end
  held, windows_held = false, false
else
  local marker = redis.call('GET', KEYS[1])
  if marker == 'd' then return 0 end
  redis.call('SET', KEYS[1], 'd', 'PX', ARGV[6])
  redis.call('ZREM', KEYS[n + 2], ARGV[2])
  if not marker then
    if mode == 'release' then return 2 end
    held, windows_held = false, false
  elseif string.sub(marker, 1, 1) == '[' then
    -- Reserved by a node still on the sliding-log scripts (a rolling upgrade): its quota counters
    -- hold the estimate, its rpm/tpm entries are in the old keys, not in these windows.
    windows_held = false
  end
end

BUCKET = tonumber(ARGV[4])
SPAN = tonumber(ARGV[3]) / BUCKET
local cur, b = bucket_of(tonumber(ARGV[1])), bucket_of(tonumber(ARGV[7]))
for i = 1, n do
  local a = 8 + (i - 1) * 5
  local kind, reserved, actual, delta, ttl = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local key = KEYS[1 + i]
  if kind == 'q' then
    local change = held and delta or actual
    if change ~= '0' then
      if redis.call('INCRBY', key, change) < 0 then redis.call('SET', key, '0', 'KEEPTTL') end
      if tonumber(ttl) > 0 and redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ttl) end
    end
  elseif windows_held then
    -- A release takes the request back out (for rpm its delta is 0: a request counts once).
    local change = mode == 'release' and '-' .. reserved or delta
    if change ~= '0' and change ~= '-0' then win_take_back(key, b, cur, change) end
  elseif mode ~= 'release' and actual ~= '0' and b >= cur - SPAN then
    win_add(key, b, actual, tonumber(redis.call('HGET', key, 'o')))
  end
end
return held and 1 or 2
