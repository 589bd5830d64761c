#!/usr/bin/env bash
# Trains the blitz's CIFAR-10 recipe for one epoch in Java and in PyTorch, at batch 4 (the course's)
# and at batch 64, one run after the other, and prints epoch time (ratio Java/PyTorch, lower is
# better), images per second, test accuracy after the epoch and peak memory.
#   step8-cifar/bench/run.sh [DATA_DIR] [--limit N]      (DATA_DIR defaults to ./data)
# Target: StepTorch's CPU epoch takes no longer than PyTorch's. PyTorch keeps its default threads;
# both sides load with 2 workers, as the blitz does. PYTHON picks the interpreter (default:
# /usr/bin/python3 when present, where Debian's torch is); JAVA_OPTS is passed to java (e.g. -Xmx512m:
# the JVM's default heap limit, a quarter of the RAM, lets its peak memory grow with the machine).
# Give the machine to the benchmark alone: other load changes the figures more than anything
# measured here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi

data=data
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then data=$1; shift; fi
data=$(cd "$data" && pwd)   # both programs run from other folders
extra=("$@")

cd "$root"
echo "building step8-cifar ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl step8-cifar -am package >&2
cp="step8-cifar/target/classes:$(cat step8-cifar/target/classpath.txt)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for b in 4 64; do
  echo "Java, batch $b ..." >&2
  java --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -cp "$cp" dev.steptorch.vision.bench.CifarBenchmark "$data" "$b" 1 ${extra[@]+"${extra[@]}"} > "$out/java-$b"
  echo "PyTorch, batch $b ..." >&2
  "$python" "$here/cifar_torch.py" "$data" "$b" 1 ${extra[@]+"${extra[@]}"} > "$out/torch-$b"
done

echo "cores (nproc): $(nproc); PyTorch threads: $("$python" -c 'import torch; print(torch.get_num_threads())')"
echo "one epoch each, DataLoader with 2 workers; peak memory: Java VmHWM, PyTorch main + largest worker ru_maxrss"
awk '
  { split(FILENAME, p, "/"); f = p[length(p)]; v[f, $1] = ($1 == "epoch_seconds") ? $3 : $NF }
  function row(name, key, fmt, ratio,    b, t, j) {
    printf "%-26s", name
    for (b = 4; b <= 64; b += 60) {
      t = v["torch-" b, key]; j = v["java-" b, key]
      printf " %10s %10s", sprintf(fmt, t), sprintf(fmt, j)
      printf " %7s", !ratio ? "" : (t > 0) ? sprintf("%.2f", j / t) : "-"
    }
    printf "\n"
  }
  END {
    printf "%-26s %10s %10s %7s %10s %10s %7s\n", "", "PyTorch", "Java", "ratio", "PyTorch", "Java", "ratio"
    printf "%-26s %29s %29s\n", "", "--- batch 4 ---", "--- batch 64 ---"
    row("epoch seconds", "epoch_seconds", "%.2f", 1)
    row("images/second", "images_per_second", "%.0f", 1)
    row("test accuracy", "test_accuracy", "%.4f", 0)
    row("peak memory (MB)", "peak_rss_mb", "%.0f", 1)
  }' "$out"/torch-4 "$out"/java-4 "$out"/torch-64 "$out"/java-64
