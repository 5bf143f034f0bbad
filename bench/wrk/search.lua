-- wrk script of kho-bench: GET /api/search?q=... rotating through the benchmark's query mix.
--
--   wrk -t2 -c8 -d10s --timeout 10s -s bench/wrk/search.lua http://127.0.0.1:PORT -- PATHS_FILE THREADS
--
-- PATHS_FILE holds one request path per line, already percent-encoded (/api/search?q=s%E1%BA%A1ch);
-- THREADS is wrk's -t, so each thread starts at its own offset in the mix. Every connection of a thread
-- takes the thread's next path. done() prints one JSON line (latencies in microseconds) that kho-bench
-- reads; wrk's own summary comes before it.

local next_thread = 0

function setup(thread)
   thread:set("thread_number", next_thread)
   next_thread = next_thread + 1
end

local requests = {}
local position = 0

function init(args)
   local file = assert(io.open(args[1], "r"))
   for line in file:lines() do
      if #line > 0 then
         requests[#requests + 1] = wrk.format("GET", line, { ["Accept"] = "application/json" })
      end
   end
   file:close()
   assert(#requests > 0, "no request paths in " .. args[1])
   local threads = tonumber(args[2]) or 1
   position = math.floor((thread_number or 0) * #requests / threads)
end

function request()
   position = position % #requests + 1
   return requests[position]
end

function done(summary, latency, _requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
      '"status_errors":%d,"timeouts":%d,"mean_us":%.3f,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
