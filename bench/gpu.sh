#!/usr/bin/env bash
# The GPU measurements of bench/README.md in one go, on a Linux x64 host with a CUDA build of PyTorch and no .NET.
# Prepare here (a machine with the .NET SDK), in the repository root:
#   scripts/publish.sh --libtorch system --no-assets --bench --archive -o .gpu/gansharp     # .gpu/gansharp.tar.xz, 37 MB
# then copy the repository and .gpu/gansharp.tar.xz (not the unpacked .gpu/gansharp folder) to the host: with the
# repository's ~17 MiB that is ~53 MiB, under a 64 MiB transfer limit. Run there, from the repository root:
#   bash bench/gpu.sh [OUT_DIR]        # default OUT_DIR: bench/results/gpu
# The training timing uses the bundled emoji samples (the step time does not depend on which images), so no dataset
# needs to travel.
# It writes OUT_DIR/gpu.md (Markdown tables) and the logs. PyTorch is only the yardstick here.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/gpu}; mkdir -p "$out"
work=$(mktemp -d)
tar xJf .gpu/gansharp.tar.xz -C "$work" || { echo "bench/gpu.sh: .gpu/gansharp.tar.xz missing (see the header)" >&2; exit 1; }
G="$work/gansharp/gansharp"; B="$work/gansharp/gansharp-bench"
export GANSHARP_ASSETS=$PWD/assets
report="$out/gpu.md"
{
  echo "# GPU measurements ($(date -u +%F))"; echo
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | sed 's/^/GPU: /'; echo
  echo "PyTorch: $(python3 -c 'import torch;print(torch.__version__, "CUDA", torch.version.cuda)')"; echo
  echo '```'; "$G" doctor 2>&1; echo '```'; echo
  echo "## Training step, GanSharp vs PyTorch on the same GPU (median s/step, both log the losses every step)"; echo
  echo "| model | batch | GanSharp | PyTorch | ratio |"; echo "|---|---|---|---|---|"
  for batch in 64 256; do
    gs=$("$B" gan-step --arch dcgan --device cuda --batch $batch --steps 50 --csv 2>>"$out/gan-step.log" | awk -F, '{print $3}')
    py=$(python3 bench/pytorch/gan_step.py --device cuda --batch $batch --steps 50 2>>"$out/gan-step.log" | awk -F, '{print $3}')
    echo "| DCGAN-28 gray, width 32 | $batch | $gs | $py | $(python3 -c "print(f'{$gs/$py:.2f}x')" 2>/dev/null || echo –) |"
  done
  for size in 32 64; do for batch in 64 256; do
    gs=$("$B" gan-step --arch stylegan --size $size --channels 3 --width 64 --latent 128 --device cuda --batch $batch --steps 30 --csv 2>>"$out/gan-step.log" | awk -F, '{print $3}')
    echo "| StyleGAN $size px RGB, width 64 | $batch | $gs | (no PyTorch twin) | – |"
  done; done
  echo; echo "## CPU vs GPU agreement (same seed, batch and latents; TF32 off)"; echo
  "$B" device-agreement --device cuda --steps 100 2>>"$out/agreement.log"
  "$B" device-agreement --device cuda --steps 100 --loss wgan-gp 2>>"$out/agreement.log" | tail -n +3
  echo; echo "## One training run: train gan --preset stylegan2-emoji --data bundled:emoji:google --steps 2000 on cuda"; echo
  start=$(date +%s)
  "$G" train gan --preset stylegan2-emoji --data bundled:emoji:google --steps 2000 --device cuda --runs "$work/runs" > "$out/train.log" 2>&1
  echo "exit $?, $(( $(date +%s) - start )) s wall: $(tail -n 1 "$out/train.log")"
} > "$report" 2>&1
cat "$report"
