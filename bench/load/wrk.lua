-- wrk script of bench/*.sh. Without LOAD_METHOD wrk sends the URL's own GET unchanged (its fast,
-- static path); with LOAD_METHOD=GET or POST each request goes to LOAD_PREFIX followed by a random
-- key below LOAD_KEYS (POST sends the body "hello world", as the peer harness does).
-- After the run it prints one line to parse: RESULT name=value ..., latencies in microseconds.
local method = os.getenv("LOAD_METHOD") or ""

if method ~= "" then
  local prefix = os.getenv("LOAD_PREFIX") or "/stress-test/"
  local keys = tonumber(os.getenv("LOAD_KEYS") or "") or 10000
  local body = nil
  if method == "POST" then
    body = "hello world"
  end

  function init(args)
    math.randomseed(os.time())
  end

  function request()
    return wrk.format(method, prefix .. math.random(0, keys - 1), nil, body)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d errors=%d"
      .. " connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout, e.connect, e.read, e.write, e.status, e.timeout))
end
