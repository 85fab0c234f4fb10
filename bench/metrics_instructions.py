"""What the metrics cost a request, in machine instructions: the paths of bench.metrics_cost, the
app driven in process with metrics off and on, each run counted by valgrind's callgrind.

Time on a shared machine moves by more than the few microseconds the metrics cost; the number
of instructions a request executes does not (to within about half a percent here, run to run:
the address layout and the collector's timing still vary). Each figure is (instructions of
3000 requests - those of 1000) / 2000, so that the start, the warm-up and the exit cancel out;
callgrind counts only from the first of those requests. Needs valgrind (callgrind_control on
the PATH); about 20 s a figure on the cheap paths, minutes on a source's statements.

    uv run --frozen python -m bench.metrics_instructions [--paths 0,1,2]
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.metrics_cost import PATHS, SIDES

COUNTS = (1000, 3000)


def run(side: str, path: str, query: bytes, requests: int, folder: str) -> None:
    """In the process callgrind runs: REQUESTS GETs on the app with metrics SIDE, counted from
    the first (after a warm-up that is not)."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    from app.config import Settings
    from app.main import create_app
    from app.web.logs import configure
    from bench.asgi import per_request

    configure("warning", "text")
    url = f"sqlite:///{Path(folder) / 'sayso.db'}"
    app = create_app(Settings(database_url=url, metrics=side == "on"))
    asyncio.run(per_request(app, path, query, 50))
    control = ["callgrind_control", "-i", "on", str(os.getpid())]
    subprocess.run(control, check=True, stdout=subprocess.DEVNULL)
    asyncio.run(per_request(app, path, query, requests))
    os._exit(0)  # what exiting would run is not the requests'


def instructions(side: str, index: int, requests: int, folder: str) -> int:
    """The instructions callgrind counted in a run of REQUESTS of PATHS[INDEX]."""
    command = [
        *("setarch", "-R"),  # the same addresses every run
        *("valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null"),
        *(sys.executable, "-m", "bench.metrics_instructions", "--run", side, str(index)),
        *(str(requests), folder),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    assert found, done.stderr[-2000:]
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paths", default=",".join(str(i) for i in range(len(PATHS) - 1)))
    parser.add_argument("--run", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        side, index, requests, folder = args.run
        path, query = PATHS[int(index)]
        run(side, path, query, int(requests), folder)
    from bench.access_log import prepare

    print(f"{'path':<64} {'off':>10} {'on':>10} {'on-off':>8} {'share':>7}")
    with tempfile.TemporaryDirectory() as folder:
        prepare(Path(folder) / "sayso.db")
        for index in (int(i) for i in args.paths.split(",")):
            per: dict[str, float] = {}
            for side in SIDES:
                fewer, more = (instructions(side, index, n, folder) for n in COUNTS)
                per[side] = (more - fewer) / (COUNTS[1] - COUNTS[0])
            off, on = per["off"], per["on"]
            figures = f"{off:>10,.0f} {on:>10,.0f} {on - off:>+8,.0f} {(on - off) / off:>+7.1%}"
            print(f"{PATHS[index][0]:<64} {figures}")


if __name__ == "__main__":
    main()
