#!/usr/bin/env bash
# Builds MODULE, runs the Java benchmark JAVA_MAIN and the Python benchmark PY_SCRIPT one after the
# other with the same ARGS, and prints each figure with the ratio Java/PyTorch (lower is better).
# Both sides print lines "KIND NAME VALUE". Steps 4 and 7 use it from their bench/run.sh.
#   side_by_side.sh MODULE JAVA_MAIN PY_SCRIPT [ARGS...]
# Each side runs at 1 thread and at nproc threads and each figure keeps the better of the two: its
# fastest reasonable path. PyTorch's threads are set with OMP_NUM_THREADS, and OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset and glibc's malloc keeps freed blocks, for its command only. Java runs
# as ./lesson runs the lessons, its threads set with -XX:ActiveProcessorCount; the table also gives
# Java at all cores, its default. PYTHON picks the interpreter (default: /usr/bin/python3 when
# present, where Debian's torch is).
set -euo pipefail
module=$1 main=$2 script=$3
shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi

cd "$root"
echo "building $module ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl "$module" -am package >&2
cp="$module/target/classes:$(cat "$module/target/classpath.txt")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cores=$(nproc)
counts=$(printf '%s\n' 1 "$cores" | sort -un)
for threads in $counts; do
  echo "Java, $threads thread(s) ..." >&2
  # the JVM options the lessons run with (./lesson): the serial collector unless JAVA_OPTS says
  # otherwise; -XX:ActiveProcessorCount sets the cores Java sees, so Torch.getNumThreads() too
  # shellcheck disable=SC2086
  java --add-modules jdk.incubator.vector ${JAVA_OPTS:--XX:+UseSerialGC} -XX:ActiveProcessorCount="$threads" \
    -cp "$cp" "$main" "$@" > "$out/java-$threads"
done
for threads in $counts; do
  echo "PyTorch, $threads thread(s) ..." >&2
  # glibc keeps freed blocks for reuse: step1-ndarray/bench/run.sh says why
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 \
    OMP_NUM_THREADS="$threads" "$python" "$script" "$@" > "$out/torch-$threads"
done
# Every figure here is a time: each side's best is the lower of its thread counts, printed as
# "KIND NAME VALUE THREADS".
best() {
  awk '{ k = $1 " " $2; t = FILENAME; sub(/.*-/, "", t)
         if (!(k in v) || $3 < v[k]) { if (!(k in v)) order[n++] = k; v[k] = $3; th[k] = t } }
       END { for (i = 0; i < n; i++) print order[i], v[order[i]], th[order[i]] }' "$@"
}
# shellcheck disable=SC2046
best $(for t in $counts; do echo "$out/torch-$t"; done) > "$out/torch"
# shellcheck disable=SC2046
best $(for t in $counts; do echo "$out/java-$t"; done) > "$out/java"

echo "cores (nproc): $cores; each side: the better of 1 and $cores threads for each figure (threads in brackets)"
awk -v all="$out/java-$cores" '
  FILENAME ~ /torch$/ { k = $1 " " $2; order[n++] = k; t[k] = $3; tt[k] = $4 }
  FILENAME ~ /java$/  { k = $1 " " $2; j[k] = $3; jt[k] = $4 }
  FILENAME == all     { a[$1 " " $2] = $3 }
  function ratio(x, y) { return (y > 0 && x != "") ? sprintf("%.2f", x / y) : "-" }
  END {
    printf "%-38s %12s %12s %7s   %s\n", "figure", "PyTorch", "Java", "ratio", "(Java at all cores, ratio)"
    for (i = 0; i < n; i++) {
      k = order[i]
      printf "%-38s %12s %12s %7s   (%s, %s)\n", k, t[k] " [" tt[k] "]", j[k] " [" jt[k] "]", ratio(j[k], t[k]), a[k], ratio(a[k], t[k])
    }
  }' "$out/torch" "$out/java" "$out/java-$cores"
