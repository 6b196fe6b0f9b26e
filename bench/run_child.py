"""One build of the benchmark, run in its own process so its peak memory is its own."""

import json
import sys
from pathlib import Path

from bench.run import build_in_this_process

if __name__ == "__main__":
    kind, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    print(json.dumps(build_in_this_process(kind, source, out)))
