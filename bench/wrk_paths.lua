-- wrk script: every request GETs a path picked at random from a file, one path a line.
--   wrk -t2 -c16 -d10s --latency -s bench/wrk_paths.lua http://127.0.0.1:PORT -- PATHS_FILE
-- Each thread seeds its own generator from its number, so runs are repeatable.
local count = 0

function setup(thread)
  count = count + 1
  thread:set("thread_number", count)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  math.randomseed(7919 * thread_number)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
