-- wrk script: POST a small chat completion; BODY_STREAM=1 asks for a stream. Prints p50/p99/p99.9 in µs.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "none")
local stream = os.getenv("BODY_STREAM") == "1"
local model = os.getenv("BENCH_MODEL") or "fixed"
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"Say the numbers from one to sixteen."}]'
  .. (stream and ',"stream":true,"stream_options":{"include_usage":true}' or '') .. '}'
function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50=%d p99=%d p999=%d errors=%d non2xx=%d\n",
    summary.requests / s, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
