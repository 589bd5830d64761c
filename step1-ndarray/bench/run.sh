#!/usr/bin/env bash
# Runs the warm-up training loop in Java (NDArray) and in NumPy, one after the other, and prints
# both in-loop times and their ratio.   step1-ndarray/bench/run.sh [rounds] [iterations]
# NumPy runs with whatever BLAS it is linked to (Debian: OpenBLAS via libopenblas0-pthread), at 1
# and at nproc BLAS threads, the faster kept, with glibc keeping freed blocks (below); the Java side
# runs at 1 thread and at nproc too, the faster kept (its all-core figure is printed as well), with
# the JVM options ./lesson gives the lessons (the serial collector unless JAVA_OPTS says otherwise).
# PYTHON picks the interpreter.
set -euo pipefail
shopt -s inherit_errexit   # a failed run inside $(...) stops the script too
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi

cd "$root"
echo "building step1-ndarray ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl step1-ndarray -am package >&2
# Each side's fastest path: run at 1 thread and at nproc, the faster kept.
# fastest CMD ARGS...: runs CMD THREADS ARGS... for each count, each printing ms per iteration, and
# prints "MS THREADS" of the faster, then the ms at nproc (the last count).
fastest() {
  local cmd=$1 best= best_threads= ms= threads
  shift
  for threads in $(printf '%s\n' 1 "$(nproc)" | sort -un); do
    ms=$("$cmd" "$threads" "$@")
    if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$ms; best_threads=$threads; fi
  done
  echo "$best $best_threads $ms"
}
# Java with the JVM options ./lesson gives; -XX:ActiveProcessorCount sets the cores the JVM sees, so
# the threads of its products
java_at() {
  local threads=$1
  shift
  # shellcheck disable=SC2086
  java --add-modules jdk.incubator.vector ${JAVA_OPTS:--XX:+UseSerialGC} -XX:ActiveProcessorCount="$threads" \
    -cp "step1-ndarray/target/classes:$(cat step1-ndarray/target/classpath.txt)" dev.steptorch.ndarray.bench.WarmupBenchmark "$@" \
    | awk '/java_ms_per_iter/ {print $2}'
}
# NumPy's BLAS at the given thread count, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for its
# command only.
# NumPy's and PyTorch's arrays come from glibc's malloc. By default glibc gives a freed block of over
# 128 KiB back to the system (munmap, then fresh pages and their faults at the next allocation) unless
# its adaptive threshold has grown past that size, which it does in some runs and not in others: this
# loop's 800 KB arrays took NumPy 0.80-1.08 ms an iteration against 0.47-0.49 with freed blocks kept, and
# PyTorch's Adam loop (step 7) 2.7 ms against 0.6. These two settings keep them, as a user after speed
# would (or would preload jemalloc); the benchmarks of steps 2, 4 and 7 set them too.
numpy_at() {
  local threads=$1
  shift
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 \
    OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" "$python" "$here/warmup_numpy.py" "$@" \
    | awk '/numpy_ms_per_iter/ {print $2}'
}
java=$(fastest java_at "$@")
numpy=$(fastest numpy_at "$@")
read -r java_ms java_threads java_all_ms <<< "$java"
read -r numpy_ms numpy_threads _ <<< "$numpy"

echo "cores (nproc):        $(nproc)"
echo "NumPy $("$python" -c 'import numpy; print(numpy.__version__)') ms/iteration: $numpy_ms (BLAS threads: $numpy_threads, the faster of 1 and $(nproc))"
echo "Java NDArray ms/iteration: $java_ms (threads: $java_threads, the faster of 1 and $(nproc); at all cores: $java_all_ms)"
awk -v j="$java_ms" -v n="$numpy_ms" -v a="$java_all_ms" 'BEGIN { printf "ratio Java/NumPy:     %.2f (Java at all cores: %.2f)\n", j / n, a / n }'
