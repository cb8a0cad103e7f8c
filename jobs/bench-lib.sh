# Shared by the benchmark scripts (jobs/bench, jobs/bench-spark, jobs/bench-quality): the job
# helpers of lib.sh, medians, and PyTorch's reference scripts set up the way
# ../shared/bench/pytorch/run.sh sets them up (its scripts, with Debian's OpenBLAS unpacked beside
# them, the system left unchanged).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PYTORCH_REF=$ROOT/target/pytorch-ref
PYTORCH_BLAS=$PYTORCH_REF/.deps/root/usr/lib/x86_64-linux-gnu/openblas-openmp

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# setup_pytorch: fails (status 1) when Debian's PyTorch (apt-get install python3-torch) or the
# reference scripts are missing.
setup_pytorch() {
  local ref="$ROOT/../shared/bench/pytorch"
  /usr/bin/python3 -c 'import torch' 2>/dev/null && [ -d "$ref" ] || return 1
  if [ ! -e "$PYTORCH_BLAS/libblas.so.3" ]; then
    rm -rf "$PYTORCH_REF" && mkdir -p "$PYTORCH_REF/.deps" && cp "$ref"/*.py "$PYTORCH_REF/"
    (cd "$PYTORCH_REF/.deps" && apt-get download libopenblas0-openmp >/dev/null 2>&1 \
      && dpkg -x libopenblas0-openmp_*.deb root) || echo "no OpenBLAS for PyTorch; using its default BLAS" >&2
  fi
}
