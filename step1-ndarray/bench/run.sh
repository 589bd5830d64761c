#!/usr/bin/env bash
# Runs the warm-up training loop in Java (NDArray) and in NumPy, one after the other, and prints
# both in-loop times and their ratio.   step1-ndarray/bench/run.sh [rounds] [iterations]
# NumPy runs with whatever BLAS it is linked to (Debian: OpenBLAS via libopenblas0-pthread), with
# all cores, as a NumPy user would; the Java side uses all cores too. PYTHON picks the interpreter.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi

cd "$root"
echo "building step1-ndarray ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl step1-ndarray -am package >&2
java_ms=$(java --add-modules jdk.incubator.vector ${JAVA_OPTS:-} -cp "step1-ndarray/target/classes:$(cat step1-ndarray/target/classpath.txt)" dev.steptorch.ndarray.bench.WarmupBenchmark "$@" | awk '/java_ms_per_iter/ {print $2}')
numpy_ms=$("$python" "$here/warmup_numpy.py" "$@" | awk '/numpy_ms_per_iter/ {print $2}')

echo "cores (nproc):        $(nproc)"
echo "NumPy $("$python" -c 'import numpy; print(numpy.__version__)') ms/iteration: $numpy_ms"
echo "Java NDArray ms/iteration: $java_ms"
awk -v j="$java_ms" -v n="$numpy_ms" 'BEGIN { printf "ratio Java/NumPy:     %.2f\n", j / n }'
