#!/usr/bin/env bash
# CIFAR-10 training epochs, StepTorch beside PyTorch on the same machine, at batch 4 (the course's)
# and at batch 64, each side two ways:
#   recipe   the blitz's: ToTensor + Normalize per image, a shuffling DataLoader with 2 workers;
#   fastest  the training set transformed once into one tensor, batches cut from it, no loader
#            (each side at 1 thread and at nproc, torch.set_num_threads and Torch.setNumThreads,
#            the better of the two kept).
# Prints epoch seconds, images per second, test accuracy and peak memory for each, then the ratios
# StepTorch / PyTorch (lower is better): fastest against fastest is the one that counts, and
# StepTorch's all-core run against PyTorch's fastest, the default a user gets, is printed beside it.
#   step8-cifar/bench/run.sh [DATA_DIR] [--limit N] [--epochs E]   (DATA_DIR defaults to ./data)
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for PyTorch's commands only: they hold its BLAS
# back on machines that set them. JAVA_OPTS replaces the Java side's default, the serial collector,
# with an 800 MB young generation (-Xmn800m) on the fastest path: there the default one filled about
# 8 times a second at batch 64, each collection copying the columns and activations alive at that
# moment (docs/step8-cifar.md, "Speed"). The recipe keeps the default size and its smaller memory.
# PYTHON picks the interpreter (default: /usr/bin/python3 when present, where Debian's torch is).
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
epochs=1
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --epochs) epochs=$2; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
cores=$(nproc)

cd "$root"
echo "building step8-cifar ..." >&2
./mvnw -q -B -Dstyle.color=never -DskipTests -pl step8-cifar -am package >&2
cp="step8-cifar/target/classes:$(cat step8-cifar/target/classpath.txt)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

java_run() {  # NAME BATCH [--preload]
  echo "StepTorch $1, batch $2 ..." >&2
  local jvm=-XX:+UseSerialGC
  [ "$1" != recipe ] && jvm="$jvm -Xmn800m"
  # shellcheck disable=SC2086
  java --add-modules jdk.incubator.vector ${JAVA_OPTS:-$jvm} -cp "$cp" dev.steptorch.vision.bench.CifarBenchmark \
    "$data" "$2" "$epochs" "${@:3}" ${extra[@]+"${extra[@]}"} > "$out/java-$1-$2"
}
torch_run() {  # NAME BATCH [ARGS...]
  echo "PyTorch $1, batch $2 ..." >&2
  # glibc's defaults: the settings steps 1-7 give PyTorch (step1-ndarray/bench/run.sh) made no
  # difference here the machine could show (epochs of 5.0-5.8 s either way, batch 64) and raise its peak memory
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$here/cifar_torch.py" "$data" "$2" "$epochs" "${@:3}" \
    ${extra[@]+"${extra[@]}"} > "$out/torch-$1-$2"
}
seconds() { awk '$1 == "epoch_seconds" {s += $3} END {print s}' "$1"; }
# SIDE BATCH: the side's better thread count on the fastest path is its fastest path
keep_faster() {
  local t1=$out/$1-t1-$2 tn=$out/$1-tn-$2
  if awk -v a="$(seconds "$t1")" -v b="$(seconds "$tn")" 'BEGIN {exit !(a <= b)}'; then
    cp "$t1" "$out/$1-fastest-$2"
  else
    cp "$tn" "$out/$1-fastest-$2"
  fi
}
threads() { awk '$1 == "threads" {print $2}' "$out/$1-fastest-$2"; }

for b in 4 64; do
  java_run recipe "$b"
  java_run t1 "$b" --preload --threads 1
  java_run tn "$b" --preload --threads "$cores"
  keep_faster java "$b"
  torch_run recipe "$b"
  torch_run t1 "$b" --preload --threads 1
  torch_run tn "$b" --preload --threads "$cores"
  keep_faster torch "$b"
done

echo
echo "cores (nproc): $cores; epochs: $epochs; fastest thread counts, PyTorch / StepTorch: batch 4: $(threads torch 4) / $(threads java 4), batch 64: $(threads torch 64) / $(threads java 64)"
echo "peak memory: VmHWM for StepTorch; ru_maxrss for PyTorch (the recipe's adds its largest loader worker)"
awk '
  FNR == 1 { split(FILENAME, p, "/"); f = p[length(p)] }
  $1 == "epoch_seconds" { v[f, "s"] += $3 }
  $1 == "images_per_second" { v[f, "ips"] = $3 }
  $1 == "test_accuracy" { v[f, "acc"] = $2 }
  $1 == "peak_rss_mb" { v[f, "mem"] = $2 }
  END {
    printf "%-8s %-22s %12s %10s %10s %10s\n", "batch", "run", "seconds", "images/s", "accuracy", "peak MB"
    split("torch-recipe java-recipe torch-t1 torch-tn torch-fastest java-t1 java-tn java-fastest", runs, " ")
    for (b = 4; b <= 64; b += 60) {
      for (i = 1; i <= 8; i++) {
        f = runs[i] "-" b
        printf "%-8s %-22s %12.2f %10.0f %10.4f %10.0f\n", b, runs[i], v[f, "s"], v[f, "ips"], v[f, "acc"], v[f, "mem"]
      }
      printf "%-8s %-22s %12.2f   (time; memory %.2f)\n", b, "ratio fastest", v["java-fastest-" b, "s"] / v["torch-fastest-" b, "s"], v["java-fastest-" b, "mem"] / v["torch-fastest-" b, "mem"]
      printf "%-8s %-22s %12.2f   (time; StepTorch at all cores)\n", b, "ratio fastest, tn", v["java-tn-" b, "s"] / v["torch-fastest-" b, "s"]
      printf "%-8s %-22s %12.2f   (time; memory %.2f)\n", b, "ratio recipe", v["java-recipe-" b, "s"] / v["torch-recipe-" b, "s"], v["java-recipe-" b, "mem"] / v["torch-recipe-" b, "mem"]
    }
  }' "$out"/*
