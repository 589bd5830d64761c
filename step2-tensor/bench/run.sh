#!/usr/bin/env bash
# Runs the step-2 benchmark on Java tensors (CPU, and the OpenCL device when there is one) and on
# PyTorch's CPU, then prints each figure side by side with the ratio Java/PyTorch.
#   step2-tensor/bench/run.sh [rounds] [iterations per training-loop round]
# PyTorch runs at 1 thread and at nproc threads (OMP_NUM_THREADS), with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset and glibc's malloc keeping freed blocks, for its command only, and each
# figure keeps the better of the two: its fastest reasonable path. The Java CPU backend runs at all
# cores (Torch.getNumThreads(), its default) and at one (-XX:ActiveProcessorCount=1), and the table
# keeps the better of the two as well, giving the all-core ratio beside it; Java runs with the JVM
# options ./lesson gives the lessons. PYTHON picks the interpreter (default: /usr/bin/python3 when
# present, where Debian's torch is).
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
# the JVM options the lessons run with (./lesson): the serial collector unless JAVA_OPTS says otherwise
jvm=${JAVA_OPTS:--XX:+UseSerialGC} # word-split on purpose, as ./lesson does

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "Java, cpu ..." >&2
java --add-modules jdk.incubator.vector $jvm -cp "$cp" dev.steptorch.tensor.bench.TensorBenchmark cpu "$@" > "$out/cpu"
echo "Java, cpu, 1 thread ..." >&2
# one processor: Torch.getNumThreads() is 1 and the caller runs every op alone
java --add-modules jdk.incubator.vector $jvm -XX:ActiveProcessorCount=1 -cp "$cp" dev.steptorch.tensor.bench.TensorBenchmark cpu "$@" > "$out/cpu1"
echo "Java, gpu ..." >&2
# Aparapi's warnings go to stderr; the benchmark itself says "skip gpu ..." when there is no device.
java --add-modules jdk.incubator.vector $jvm -cp "$cp" dev.steptorch.tensor.bench.TensorBenchmark gpu "$@" > "$out/gpu" 2> "$out/gpu.err" \
  || { echo "the gpu run failed:" >&2; cat "$out/gpu.err" >&2; }
cores=$(nproc)
for threads in 1 "$cores"; do
  echo "PyTorch, cpu, $threads thread(s) ..." >&2
  # glibc keeps freed blocks for reuse: step1-ndarray/bench/run.sh says why
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 \
    OMP_NUM_THREADS="$threads" "$python" "$here/tensor_torch.py" "$@" > "$out/torch-$threads"
done
# the better of the two for each figure: higher GFLOP/s, lower times
awk '
  function key(  k) { k = $1; if ($1 == "course_mm_us") k = $1 " " $2; return k }
  function val() { return $1 == "course_mm_us" ? $3 : $2 }
  /^(mm1024_gflops|course_mm_us|loop_ms_per_iter)/ {
    k = key(); v = val() + 0
    better = !(k in best) || ($1 == "mm1024_gflops" ? v > best[k] : v < best[k])
    if (!(k in best)) order[n++] = k
    if (better) { best[k] = v; line[k] = $0; from[k] = FILENAME }
    next
  }
  FILENAME ~ /torch-1$/ { other[m++] = $0 }
  END {
    for (i = 0; i < m; i++) print other[i]
    for (i = 0; i < n; i++) { f = from[order[i]]; sub(/.*torch-/, "", f); print line[order[i]]; print "threads_for " order[i] " " f }
  }' "$out/torch-1" "$out/torch-$cores" > "$out/torch"

echo
echo "cores (nproc): $cores; PyTorch: the better of 1 and $cores threads for each figure (threads_for lines below)"
grep -h '^device' "$out/cpu" "$out/gpu" "$out/torch" || true
grep -h '^skip' "$out/gpu" || true
grep -h '^loop_loss_did_not_fall' "$out/cpu" "$out/gpu" | sed 's/^/WARNING: /' || true

# One row per figure: PyTorch, Java cpu (the better of 1 and all cores, its threads in brackets),
# ratio, Java cpu at all cores (its default) and its ratio, Java gpu, ratio. The ratio is Java/PyTorch
# either way: for GFLOP/s a fraction of PyTorch's speed (higher is better), for times a slowdown
# (lower is better).
awk -v cores="$cores" '
  function key(  k) { k = $1; if ($1 == "course_mm_us") k = $1 " " $2; return k }
  function val() { return $1 == "course_mm_us" ? $3 : $2 }
  function better(x, y, k) { return y == "" || (k ~ /gflops/ ? x > y : x < y) }
  FILENAME ~ /torch$/ && /^(mm1024_gflops|course_mm_us|loop_ms_per_iter)/ { if (!(key() in t)) order[n++] = key(); t[key()] = val() }
  FILENAME ~ /torch$/ && $1 == "threads_for" { th[$2 ($2 == "course_mm_us" ? " " $3 : "")] = $NF }
  FILENAME ~ /cpu$/   { c[key()] = val() }
  FILENAME ~ /cpu1$/  { c1[key()] = val() }
  FILENAME ~ /gpu$/   { g[key()] = val(); if ($1 ~ /^gpu_bytes|^loop_bad/) extra = extra $0 "\n" }
  FILENAME ~ /cpu$/ && $1 == "loop_bad_rounds" { cbad = $2 " of " $3 }
  function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
  END {
    printf "%-44s %12s %14s %10s %16s %12s %10s\n", "figure", "PyTorch", "Java cpu", "cpu/torch", "(cpu all cores)", "Java gpu", "gpu/torch"
    for (i = 0; i < n; i++) {
      k = order[i]
      best = c[k]; bt = cores
      if ((k in c1) && c1[k] != "" && better(c1[k], best, k)) { best = c1[k]; bt = 1 }
      printf "%-44s %12s %14s %10s %16s %12s %10s\n", k, t[k], best " [" bt "]", ratio(best, t[k]), "(" ratio(c[k], t[k]) ")",
        (k in g) ? g[k] : "-", ratio(g[k], t[k])
    }
    print "Java cpu training rounds whose loss did not fall: " cbad
    for (k in th) print "PyTorch threads for " k ": " th[k]
    printf "%s", extra
  }' "$out/torch" "$out/cpu" "$out/cpu1" "$out/gpu"

# The matrix product at the same thread count on both sides (the target: at least 0.6 of OpenBLAS's GFLOP/s)
mm() { awk '$1 == "mm1024_gflops" {print $2}' "$1"; }
for threads in 1 "$cores"; do
  java_file=$out/cpu; [ "$threads" = 1 ] && java_file=$out/cpu1
  awk -v t="$threads" -v p="$(mm "$out/torch-$threads")" -v j="$(mm "$java_file")" \
    'BEGIN { printf "mm 1024 at %s thread(s): PyTorch (OpenBLAS) %.1f GFLOP/s, Java %.1f GFLOP/s, Java/PyTorch %.2f\n", t, p, j, j / p }'
done

# The float32 products behind the course's networks, Java only, best of 20 calls: one thread, then all cores
for threads in 1 "$cores"; do
  java --add-modules jdk.incubator.vector $jvm -XX:ActiveProcessorCount="$threads" -cp "$cp" \
    dev.steptorch.tensor.bench.MatmulBenchmark 2>/dev/null
done
