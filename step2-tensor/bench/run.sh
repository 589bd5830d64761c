#!/usr/bin/env bash
# Runs the step-2 benchmark on Java tensors (CPU, and the OpenCL device when there is one) and on
# PyTorch's CPU, then prints each figure side by side with the ratio Java/PyTorch.
#   step2-tensor/bench/run.sh [rounds] [iterations per training-loop round]
# PyTorch keeps its default thread count; the Java CPU backend uses the common fork-join pool (all
# cores). PYTHON picks the interpreter (default: /usr/bin/python3 when present, where Debian's torch is).
# Targets: mm at 1024 >= 0.25 of PyTorch's GFLOP/s; course products and training loop <= 2x its time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi

cd "$root"
echo "building step2-tensor ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl step2-tensor -am package >&2
cp="step2-tensor/target/classes:$(cat step2-tensor/target/classpath.txt)"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "Java, cpu ..." >&2
java --add-modules jdk.incubator.vector -cp "$cp" dev.steptorch.tensor.bench.TensorBenchmark cpu "$@" > "$out/cpu"
echo "Java, gpu ..." >&2
# Aparapi's warnings go to stderr; the benchmark itself says "skip gpu ..." when there is no device.
java --add-modules jdk.incubator.vector -cp "$cp" dev.steptorch.tensor.bench.TensorBenchmark gpu "$@" > "$out/gpu" 2> "$out/gpu.err" \
  || { echo "the gpu run failed:" >&2; cat "$out/gpu.err" >&2; }
echo "PyTorch, cpu ..." >&2
"$python" "$here/tensor_torch.py" "$@" > "$out/torch"

echo
echo "cores (nproc): $(nproc)"
grep -h '^device' "$out/cpu" "$out/gpu" "$out/torch" || true
grep -h '^skip' "$out/gpu" || true
grep -h '^loop_loss_did_not_fall' "$out/cpu" "$out/gpu" | sed 's/^/WARNING: /' || true

# One row per figure: PyTorch, Java cpu, ratio, Java gpu, ratio. The ratio is Java/PyTorch either
# way: for GFLOP/s a fraction of PyTorch's speed (higher is better), for times a slowdown (lower is better).
awk '
  function key(  k) { k = $1; if ($1 == "course_mm_us") k = $1 " " $2; return k }
  function val() { return $1 == "course_mm_us" ? $3 : $2 }
  FILENAME ~ /torch$/ && /^(mm1024_gflops|course_mm_us|loop_ms_per_iter)/ { if (!(key() in t)) order[n++] = key(); t[key()] = val() }
  FILENAME ~ /cpu$/   { c[key()] = val() }
  FILENAME ~ /gpu$/   { g[key()] = val(); if ($1 ~ /^gpu_bytes|^loop_bad/) extra = extra $0 "\n" }
  FILENAME ~ /cpu$/ && $1 == "loop_bad_rounds" { cbad = $2 " of " $3 }
  function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
  END {
    printf "%-44s %12s %12s %10s %12s %10s\n", "figure", "PyTorch", "Java cpu", "cpu/torch", "Java gpu", "gpu/torch"
    for (i = 0; i < n; i++) {
      k = order[i]
      printf "%-44s %12s %12s %10s %12s %10s\n", k, t[k], c[k], ratio(c[k], t[k]), (k in g) ? g[k] : "-", ratio(g[k], t[k])
    }
    print "Java cpu training rounds whose loss did not fall: " cbad
    printf "%s", extra
  }' "$out/torch" "$out/cpu" "$out/gpu"
