-- wrk script for `make load`: GET /v1/scores/{id} with the ids of ids.txt in turn, or one queue page,
-- with the bearer token. Arguments after `--`: mode (scores|queue), token, ids file or queue name.
local mode, token, arg3
local ids = {}
local n = 0

function init(args)
  mode, token, arg3 = args[1], args[2], args[3]
  wrk.headers["Authorization"] = "Bearer " .. token
  if mode == "scores" then
    for line in io.lines(arg3) do
      if line ~= "" and line ~= "account_id" then ids[#ids + 1] = line end
    end
    -- Each thread starts at a different place in the list.
    n = math.random(#ids)
  end
end

function request()
  if mode == "scores" then
    n = n % #ids + 1
    return wrk.format("GET", "/v1/scores/" .. ids[n])
  end
  return wrk.format("GET", "/v1/queues/" .. arg3 .. "?limit=100")
end

function done(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
