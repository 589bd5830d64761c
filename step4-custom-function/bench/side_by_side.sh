#!/usr/bin/env bash
# Builds MODULE, runs the Java benchmark JAVA_MAIN and the Python benchmark PY_SCRIPT one after the
# other with the same ARGS, and prints each figure with the ratio Java/PyTorch (lower is better).
# Both sides print lines "KIND NAME VALUE". Steps 4 and 7 use it from their bench/run.sh.
#   side_by_side.sh MODULE JAVA_MAIN PY_SCRIPT [ARGS...]
# PyTorch's side is its fastest reasonable path: it runs at 1 thread and at nproc threads
# (OMP_NUM_THREADS), with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset and glibc's malloc keeping
# freed blocks, for its command only, and each figure keeps the better of the two. Java runs as
# ./lesson runs the lessons. PYTHON picks the interpreter (default: /usr/bin/python3 when present,
# where Debian's torch is).
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
echo "Java ..." >&2
# the JVM options the lessons run with (./lesson): the serial collector unless JAVA_OPTS says otherwise
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector ${JAVA_OPTS:--XX:+UseSerialGC} -cp "$cp" "$main" "$@" > "$out/java"
cores=$(nproc)
for threads in 1 "$cores"; do
  echo "PyTorch, $threads thread(s) ..." >&2
  # glibc keeps freed blocks for reuse: step1-ndarray/bench/run.sh says why
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 \
    OMP_NUM_THREADS="$threads" "$python" "$script" "$@" > "$out/torch-$threads"
done
# every figure here is a time: the lower of the two thread counts is PyTorch's best
awk '{ k = $1 " " $2; if (!(k in best) || $3 < best[k]) { if (!(k in best)) order[n++] = k; best[k] = $3; line[k] = $0 } }
     END { for (i = 0; i < n; i++) print line[order[i]] }' "$out/torch-1" "$out/torch-$cores" > "$out/torch"

echo "cores (nproc): $cores; PyTorch: the better of 1 and $cores threads for each figure"
awk '
  FILENAME ~ /torch$/ { k = $1 " " $2; order[n++] = k; t[k] = $3 }
  FILENAME ~ /java$/  { j[$1 " " $2] = $3 }
  END {
    printf "%-38s %10s %10s %8s\n", "figure", "PyTorch", "Java", "ratio"
    for (i = 0; i < n; i++) {
      k = order[i]
      printf "%-38s %10s %10s %8s\n", k, t[k], j[k], (t[k] > 0) ? sprintf("%.2f", j[k] / t[k]) : "-"
    }
  }' "$out/torch" "$out/java"
