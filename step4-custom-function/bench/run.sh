#!/usr/bin/env bash
# Runs the autograd benchmark in Java and in PyTorch, one after the other, and prints each figure
# with the ratio Java/PyTorch (lower is better).   step4-custom-function/bench/run.sh [rounds] [iterations]
# Target: both training loops within 2x of PyTorch's in-loop time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/side_by_side.sh" step4-custom-function dev.steptorch.function.bench.AutogradBenchmark \
  "$here/autograd_torch.py" "$@"
