#!/usr/bin/env bash
# Runs the seed programs of steps 5-7 in Java and in PyTorch, one after the other, and prints each
# in-loop time with the ratio Java/PyTorch (lower is better).   step7-dynamic-net/bench/run.sh [rounds] [iterations]
# Target: every loop within 2x of PyTorch's in-loop time. The side-by-side runner is step 4's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../../step4-custom-function/bench/side_by_side.sh" step7-dynamic-net \
  dev.steptorch.dynamic.bench.ChapterBenchmark "$here/chapters_torch.py" "$@"
