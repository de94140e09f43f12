-- make bench-serve's wrk script: each request POSTs the next account of a
-- file (one JSON per line), cycling; each wrk thread starts at its own
-- place in the file so that threads do not send the same account at once.
--   wrk -t2 -c32 -d5s -s bench/serve-wrk.lua http://127.0.0.1:PORT/v1/decide -- ACCOUNTS.ndjson
-- At the end one line for bench/serve.sh to read (latencies in microseconds):
--   wrk: requests=N seconds=S rps=R p50_us=X p99_us=X non2xx=N connect=N read=N write=N timeout=N

local accounts = {}
local next_one = 1
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("start", counter)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  if not path then error("serve-wrk.lua: give the accounts file after --") end
  for line in io.lines(path) do
    if #line > 0 then accounts[#accounts + 1] = line end
  end
  if #accounts == 0 then error("serve-wrk.lua: " .. path .. " has no account") end
  next_one = ((start or 1) - 1) * math.floor(#accounts / 7) % #accounts + 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local body = accounts[next_one]
  next_one = next_one % #accounts + 1
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk: requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read, e.write, e.timeout))
end
