#!/usr/bin/env bash
# Runs the autograd benchmark in Java and in PyTorch, one after the other, and prints each figure
# with the ratio Java/PyTorch (lower is better).   step4-custom-function/bench/run.sh [rounds] [iterations]
# Target: both training loops within 2x of PyTorch's in-loop time. PyTorch keeps its default threads;
# PYTHON picks the interpreter (default: /usr/bin/python3 when present, where Debian's torch is).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi

cd "$root"
echo "building step4-custom-function ..." >&2
mvn -q -B -Dstyle.color=never -DskipTests -pl step4-custom-function -am package >&2
cp="step4-custom-function/target/classes:$(cat step4-custom-function/target/classpath.txt)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "Java ..." >&2
java --add-modules jdk.incubator.vector -cp "$cp" dev.steptorch.function.bench.AutogradBenchmark "$@" > "$out/java"
echo "PyTorch ..." >&2
"$python" "$here/autograd_torch.py" "$@" > "$out/torch"

echo "cores (nproc): $(nproc); PyTorch threads: $("$python" -c 'import torch; print(torch.get_num_threads())')"
awk '
  FILENAME ~ /torch$/ { k = $1 " " $2; order[n++] = k; t[k] = $3 }
  FILENAME ~ /java$/  { j[$1 " " $2] = $3 }
  END {
    printf "%-32s %10s %10s %8s\n", "figure", "PyTorch", "Java", "ratio"
    for (i = 0; i < n; i++) {
      k = order[i]
      printf "%-32s %10s %10s %8s\n", k, t[k], j[k], (t[k] > 0) ? sprintf("%.2f", j[k] / t[k]) : "-"
    }
  }' "$out/torch" "$out/java"
