-- Replaces what admit.lua reserved for one request by the real usage. Idempotent per request.
-- KEYS[1]: the reservation marker (modes settle/release) or the late marker (mode late);
-- KEYS[2i], KEYS[2i+1]: the keys of check i, as in admit.lua; KEYS[2n+2]: the open-reservation index.
-- ARGV: now_ms, request_id, window_ms, mode, tombstone_ttl_ms, reserved_at_ms, n,
--       then per check: type, reserved, actual, delta (= actual - reserved), ttl_ms
-- Modes: settle (real usage), release (the request never ran: its request count goes too),
--        late (usage of a request admitted locally while Redis was down: nothing was reserved).
-- Settle and release leave a tombstone ('d') in the marker, so a duplicate does nothing and an
-- admit that arrives after them (its caller timed out) reserves nothing. One that finds no marker
-- at all came before its admit, or after the sweeper gave the reservation back: nothing is held,
-- so a settle adds the real usage as a late one would and a release only leaves the tombstone.
-- Returns 1 if applied against a reservation, 2 if applied with nothing reserved, 0 if this
-- request was already settled.
local mode = ARGV[4]
local n = tonumber(ARGV[7])
local id = ARGV[2]
local held = true
if mode == 'late' then
  if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[5]) then return 0 end
  held = false
else
  local marker = redis.call('GET', KEYS[1])
  if marker == 'd' then return 0 end
  redis.call('SET', KEYS[1], 'd', 'PX', ARGV[5])
  redis.call('ZREM', KEYS[2 * n + 2], id)
  if not marker then
    if mode == 'release' then return 2 end
    held = false
  end
end

local now, window, at = tonumber(ARGV[1]), ARGV[3], ARGV[6]
local in_window = tonumber(at) > now - tonumber(window)
for i = 1, n do
  local a = 7 + (i - 1) * 5
  local kind, reserved, actual, delta, ttl = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local key, sum_key = KEYS[2 * i], KEYS[2 * i + 1]
  if kind == 'q' then
    local change = held and delta or actual
    if change ~= '0' then
      if redis.call('INCRBY', key, change) < 0 then redis.call('SET', key, '0', 'KEEPTTL') end
      if tonumber(ttl) > 0 and redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ttl) end
    end
  elseif kind == 's' then
    if not held then
      if in_window and actual ~= '0' then
        redis.call('ZADD', key, at, id .. ':' .. actual)
        redis.call('PEXPIRE', key, window)
        if redis.call('EXISTS', sum_key) == 1 then redis.call('INCRBY', sum_key, actual) end
      end
    elseif redis.call('ZREM', key, id .. ':' .. reserved) == 1 then
      -- Still in the window: the real amount takes the reserved one's place (same time).
      if actual ~= '0' then redis.call('ZADD', key, at, id .. ':' .. actual) end
      -- A missing or broken running sum is rebuilt from the entries by the next admission.
      if redis.call('EXISTS', sum_key) == 1 and redis.call('INCRBY', sum_key, delta) < 0 then
        redis.call('DEL', sum_key)
      end
    end
  else
    if mode == 'release' then
      redis.call('ZREM', key, id)
    elseif not held and in_window then
      redis.call('ZADD', key, at, id)
      redis.call('PEXPIRE', key, window)
    end
  end
end
return held and 1 or 2
