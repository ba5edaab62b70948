-- Windowed counters for rpm and tpm, prepended to admit.lua, settle.lua and sweep.lua.
-- One HASH per limit: field <bucket> (bucket = floor(time_ms / BUCKET), a decimal integer) holds
-- what was admitted in that bucket, 't' the total of the fields, 'o' the oldest bucket that may hold
-- something (no field is older). Bucket b counts while b >= floor(now / BUCKET) - SPAN, so a request
-- counts for between SPAN and SPAN + 1 buckets after its admission (60 to 61 s), never less: the
-- limit holds in every rolling window. Work and memory are bounded by SPAN + 3 fields whatever the
-- traffic. Buckets that left are dropped lazily, once the oldest one has left: one HGETALL of that
-- bounded hash. The key expires SPAN + 2 buckets after its newest bucket was created, so a window
-- that went idle disappears whole.
local BUCKET, SPAN -- set by the script: bucket width (ms), buckets per window

local function bucket_of(ms)
  return math.floor(ms / BUCKET)
end

-- When bucket b stops counting, in ms from now.
local function leaves_in(b, now)
  return (b + SPAN + 1) * BUCKET - now
end

-- The total and the oldest bucket of a window at bucket cur, after dropping what left it;
-- oldest is nil when the window is empty (its key is gone then).
local function win_state(key, cur)
  local s = redis.call('HMGET', key, 't', 'o')
  local oldest = tonumber(s[2])
  if not oldest then return 0, nil end
  local first = cur - SPAN
  if oldest >= first then return tonumber(s[1]) or 0, oldest end
  local all = redis.call('HGETALL', key)
  local gone, total, min = {}, 0, nil
  for j = 1, #all, 2 do
    local b = tonumber(all[j])
    if b then
      if b < first then
        gone[#gone + 1] = all[j]
      else
        -- The total is rebuilt from the buckets that stay: a drift cannot outlive a window.
        total = total + tonumber(all[j + 1])
        if not min or b < min then min = b end
      end
    end
  end
  if not min then
    redis.call('DEL', key)
    return 0, nil
  end
  if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
  redis.call('HSET', key, 't', string.format('%d', total), 'o', min)
  return total, min
end

-- Time until the oldest buckets that together hold `need` have left the window (from oldest on,
-- at most SPAN + 1 of them after win_state).
local function win_retry(key, oldest, cur, now, need)
  local last = math.max(cur, oldest)
  local fields = {}
  for b = oldest, last do fields[#fields + 1] = b end
  local amounts = redis.call('HMGET', key, unpack(fields))
  local freed = 0
  for j = 1, #amounts do
    freed = freed + (tonumber(amounts[j]) or 0)
    if freed >= need then return leaves_in(oldest + j - 1, now) end
  end
  return leaves_in(last, now)
end

-- Adds change (a decimal string, may be negative) to bucket b of a window whose oldest bucket is
-- oldest (nil: empty). A bucket never goes below zero; an emptied one is dropped, an emptied
-- window deleted.
local function win_add(key, b, change, oldest)
  local delta = tonumber(change)
  local v = redis.call('HINCRBY', key, b, change)
  if v <= 0 then
    redis.call('HDEL', key, b)
    if v < 0 then change = string.format('%d', delta - v) end
  end
  if redis.call('HINCRBY', key, 't', change) <= 0 then
    redis.call('DEL', key)
    return
  end
  if not oldest or b < oldest then redis.call('HSET', key, 'o', b) end
  -- A new bucket: the key must outlive it (one bucket of margin for clock differences).
  if v == delta and delta > 0 then redis.call('PEXPIRE', key, (SPAN + 2) * BUCKET) end
end

-- Gives back `change` on bucket b of a window, if b still counts there: not left the window by
-- bucket cur, not dropped (older than the oldest bucket kept).
local function win_take_back(key, b, cur, change)
  if b < cur - SPAN then return end
  local oldest = tonumber(redis.call('HGET', key, 'o'))
  if oldest and b >= oldest then win_add(key, b, change, oldest) end
end
