-- Gives back reservations whose holder never settled them (its node died, its settlement was
-- dropped) once their deadline has passed. One batch per call; atomic, so sweepers on every edge
-- node may run at once and each reservation is given back exactly once.
-- KEYS[1]: the open-reservation index (ZSET member request_id, score deadline_ms).
-- ARGV: now_ms, batch, marker_prefix (the marker of a request is marker_prefix .. request_id).
-- The marker holds what admit.lua reserved: [[type, key, sum_key, amount], ...]. It is deleted,
-- not turned into a tombstone: a settlement that still comes later finds no reservation and adds
-- the real usage (see settle.lua), so the counters end exact either way.
-- Returns {reservations given back, index entries looked at}.
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local released = 0
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local marker = ARGV[3] .. id
  local held = redis.call('GET', marker)
  if held and string.sub(held, 1, 1) == '[' then
    for _, c in ipairs(cjson.decode(held)) do
      local kind, key, sum_key, amount = c[1], c[2], c[3], c[4]
      if kind == 'c' then
        redis.call('ZREM', key, id)
      elseif kind == 's' then
        -- An entry already gone left the window, and the running sum with it.
        if redis.call('ZREM', key, id .. ':' .. amount) == 1 and redis.call('EXISTS', sum_key) == 1
            and redis.call('DECRBY', sum_key, amount) < 0 then
          redis.call('DEL', sum_key)
        end
      elseif redis.call('EXISTS', key) == 1 and redis.call('DECRBY', key, amount) < 0 then
        -- An expired period counter is not brought back; a live one never goes below zero.
        redis.call('SET', key, '0', 'KEEPTTL')
      end
    end
    redis.call('DEL', marker)
    released = released + 1
  end
end
return {released, #ids}
