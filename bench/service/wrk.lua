-- wrk script for bench/service/run.py: replays a file of requests, counts non-2xx answers, and stops each
-- thread after its share of a fixed number of responses. wrk itself only knows durations: a stopped thread
-- leaves a marker file ($WRK_RESULT.stopped.<thread>) and run.py then sends wrk SIGINT, which ends its wait
-- at once, so the elapsed time (and requests/s) covers only the requests made.
--
--   WRK_RESULT=out.json wrk -t1 -c16 -d600s -s bench/service/wrk.lua URL -- REQUESTS_FILE API_KEY TOTAL THREADS
--
-- REQUESTS_FILE has one request per line: METHOD <tab> PATH [<tab> JSON BODY]. Every thread starts at its own
-- offset in the file and cycles through it. The summary is written as JSON to $WRK_RESULT (done() runs in
-- wrk's main Lua state, which never sees the script arguments).

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local path, key, total, count = args[1], args[2], tonumber(args[3]), tonumber(args[4])
   local headers = { ["X-API-Key"] = key }
   local json_headers = { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }
   requests = {}
   for line in io.lines(path) do
      local method, target, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if body ~= nil and body ~= "" then
         table.insert(requests, wrk.format(method, target, json_headers, body))
      else
         table.insert(requests, wrk.format(method, target, headers))
      end
   end
   limit = math.ceil(total / count)
   index = (id * 7919) % #requests  -- a prime stride, so threads do not send the same sequence
   responses = 0
   non2xx = 0
   stopped = false
end

function request()
   index = index % #requests + 1
   return requests[index]
end

function response(status, headers, body)
   responses = responses + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
   if responses >= limit and not stopped then
      stopped = true
      local marker = assert(io.open(os.getenv("WRK_RESULT") .. ".stopped." .. id, "w"))
      marker:close()
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local non2xx_total, responses_total = 0, 0
   for _, thread in ipairs(threads) do
      non2xx_total = non2xx_total + thread:get("non2xx")
      responses_total = responses_total + thread:get("responses")
   end
   local e = summary.errors
   local out = assert(io.open(os.getenv("WRK_RESULT"), "w"))
   out:write(string.format(
      '{"requests": %d, "responses_seen": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, '
         .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
         .. '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "p999": %d, "max": %d, "mean": %.1f}}\n',
      summary.requests, responses_total, summary.duration, summary.bytes, non2xx_total,
      e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
      latency:percentile(99.9), latency.max, latency.mean))
   out:close()
end
