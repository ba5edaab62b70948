-- Gives back reservations whose holder never settled them (its node died, its settlement was
-- dropped) once their deadline has passed. One batch per call; atomic, so sweepers on every edge
-- node may run at once and each reservation is given back exactly once.
-- KEYS[1]: the open-reservation index (ZSET member request_id, score deadline_ms).
-- ARGV: now_ms, batch, marker_prefix (the marker of a request is marker_prefix .. request_id),
--       window_ms, bucket_ms.
-- The marker holds what admit.lua reserved: its bucket, then per check type, amount and key. It
-- is deleted, not turned into a tombstone: a settlement that still comes later finds no
-- reservation and adds the real usage (see settle.lua), so the counters end exact either way.
-- Returns {reservations given back, index entries looked at}.
BUCKET = tonumber(ARGV[5])
SPAN = tonumber(ARGV[4]) / BUCKET
local cur = bucket_of(tonumber(ARGV[1]))

local function give_back_counter(key, amount)
  -- An expired period counter is not brought back; a live one never goes below zero.
  if redis.call('EXISTS', key) == 1 and redis.call('DECRBY', key, amount) < 0 then
    redis.call('SET', key, '0', 'KEEPTTL')
  end
end

local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local released = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local marker = ARGV[3] .. id
  local held = redis.call('GET', marker)
  if held and string.sub(held, 1, 1) == '[' then
    -- Reserved by a node on the sliding-log scripts (a rolling upgrade): [[type, key, sum_key,
    -- amount], ...]. Its rpm/tpm log entries aged out of their 60 s keys long before its deadline.
    for _, c in ipairs(cjson.decode(held)) do
      if c[1] == 'q' then give_back_counter(c[2], c[4]) end
    end
    redis.call('DEL', marker)
    released = released + 1
  elseif held and held ~= 'd' then
    local b, pos = string.match(held, '^(%d+)()')
    b = tonumber(b)
    -- A marker that does not parse (nothing else writes these keys) is dropped, never retried.
    while b and pos <= #held do
      local kind, amount, len, at = string.match(held, '^ (%a)(%d+) (%d+) ()', pos)
      if not kind then break end
      pos = at + tonumber(len)
      local key = string.sub(held, at, pos - 1)
      if kind == 'q' then
        give_back_counter(key, amount)
      elseif amount ~= '0' then
        win_take_back(key, b, cur, '-' .. amount)
      end
    end
    redis.call('DEL', marker)
    released = released + 1
  end
end
return {released, #ids}
