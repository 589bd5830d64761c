#!/usr/bin/env bash
# ResNet-18 training steps on the CPU (batch 16, 224 x 224, forward + backward + SGD) in Java and in
# PyTorch, one after the other, with the same number of threads, and the ratio Java/PyTorch (lower is
# better; the target is at most 1.5). Tensors are made once: only the network is timed. CPU seconds
# (process CPU time, all threads) are printed too: on a shared machine the wall clock measures the load.
#   step8-cifar/bench/resnet.sh [STEPS] [WARMUP] [--frozen]   (--frozen: the fixed feature extractor)
# THREADS (default: nproc) sets both sides' threads: java's -XX:ActiveProcessorCount and
# torch.set_num_threads. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for PyTorch only: they
# are tuning for the Java side's machine setup and would mislead PyTorch's BLAS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ]; then python=/usr/bin/python3; fi
threads=${THREADS:-$(nproc)}
steps=${1:-5}; warmup=${2:-2}; shift $(( $# < 2 ? $# : 2 )); extra=("$@")

cd "$root"
echo "building step8-cifar ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl step8-cifar -am package >&2
cp="step8-cifar/target/classes:$(cat step8-cifar/target/classpath.txt)"
# ResNet's activations (up to 51 MB each) live from forward to backward: G1 gives such arrays
# regions of their own and frees them without copying, where the serial collector copies them or,
# told to put them in the old generation, runs a full collection several times a step
# (docs/step8-cifar.md, "ResNet-18"). JAVA_OPTS replaces this default.
j=$(java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount="$threads" ${JAVA_OPTS:--XX:+UseG1GC} -cp "$cp" \
  dev.steptorch.vision.bench.ResNetBenchmark "$steps" "$warmup" ${extra[@]+"${extra[@]}"})
t=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$here/resnet_torch.py" "$steps" "$warmup" \
  --threads "$threads" ${extra[@]+"${extra[@]}"})
echo "threads: $threads; $steps timed steps after $warmup warm-up; batch 16, 224 x 224 ${extra[*]:-}"
printf '%-22s %10s %10s %7s\n' "" "PyTorch" "Java" "ratio"
for key in step_seconds_median step_seconds_min cpu_seconds_median; do
  tv=$(echo "$t" | awk -v k=$key '$1 == k {print $2}'); jv=$(echo "$j" | awk -v k=$key '$1 == k {print $2}')
  printf '%-22s %10s %10s %7s\n' "$key" "$tv" "$jv" "$(awk -v a="$jv" -v b="$tv" 'BEGIN {printf "%.2f", a / b}')"
done
