#!/usr/bin/env bash
# The same GAN training step in PyTorch (Debian's python3-torch, OpenBLAS, 2 threads) and in GanSharp, one after the
# other in one run, and the time ratio. PyTorch is only a yardstick here: GanSharp never depends on it.
# Usage: bash bench/pytorch-side-by-side.sh [--size 28 --channels 1 --width 32 --latent 64 --batch 64 --steps 10]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch and OpenBLAS (benchmark only)..." >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-torch libopenblas0-openmp >&2
fi
dotnet build bench/GanSharp.Bench -c Release -v q -nologo >&2
args=("$@")
# Debian's default reference BLAS is 5-10x slower than OpenBLAS; PyTorch starts with 1 thread: give it 2 like GanSharp.
py=$(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch/gan_step.py --threads 2 "${args[@]}")
gs=$(dotnet bench/GanSharp.Bench/bin/Release/net10.0/GanSharp.Bench.dll gan-step --arch dcgan --csv "${args[@]}" 2>/dev/null)
torch_version=$(/usr/bin/python3 -c 'import torch; print(torch.__version__)')
echo "DCGAN training step (1 D + 1 G update, Adam, EMA), ${args[*]:-defaults: 28x28 gray, width 32, z 64, batch 64}; median s/step"
echo
echo "| implementation | convolution path | s/step | time vs PyTorch (oneDNN) |"
echo "|---|---|---|---|"
ref=$(echo "$py" | awk -F, '$2=="onednn"{print $3}')
printf '%s\n%s\n' "$py" "$gs" | awk -F, -v ref="$ref" -v tv="$torch_version" '
  $1=="pytorch" { name="PyTorch " tv; path=($2=="onednn" ? "oneDNN on (correct: convT never uses it)" : "oneDNN off") }
  $1=="gansharp" { name="GanSharp"; path=($2=="safe" ? "safe (oneDNN off)" : $2=="onednn" ? "oneDNN on, unpadded (WRONG gradients)" : "fast (verified)") }
  { t=$3; r=(t=="NaN" || t+0==0) ? "–" : sprintf("%.2fx", t/ref); printf "| %s | %s | %s | %s |\n", name, path, (t=="NaN" ? "rejected" : t), r }'
