#!/usr/bin/env bash
# Fixed-budget training benchmark: each preset trained for the same number of steps with `gansharp train gan`, then
# scored with `gansharp eval` (GanSharp's own feature networks: FID-style, not Inception FID) at a fixed sample count.
# Prints one Markdown table; every run folder keeps its sample grids (samples/) and loss curves (loss-curves.png).
# Usage: bash bench/train-budget.sh [STEPS=1000] [SAMPLES=1000] [OUT=.bench/train-budget] [PRESETS="dcgan-fashion ..."]
# REUSE=1 keeps a preset's finished run (its train log and time file) and only evaluates it again.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1000}; samples=${2:-1000}; out=${3:-.bench/train-budget}
presets=${4:-"dcgan-fashion wgangp-fashion stylegan-fashion dcgan-emoji wgangp-emoji stylegan-emoji"}
threads=${THREADS:-0}
mkdir -p "$out"
# GANSHARP_CLI_DIR: run a copied build (rebuilding the folder a long run uses crashes it).
if [ -z "${GANSHARP_CLI_DIR:-}" ]; then ./gansharp doctor >/dev/null; fi # bootstrap + build once
cli=(dotnet "${GANSHARP_CLI_DIR:-src/GanSharp.Cli/bin/Release/net10.0}/GanSharp.Cli.dll")
rows=()
for p in $presets; do
  case $p in
    *-fashion) features=assets/checkpoints/features-fashion-mnist; real=fashion-mnist:test ;;
    *-emoji) features=assets/checkpoints/features-emoji; real=emoji:google ;;
  esac
  runs="$out/$p"
  log="$out/$p.train.log"
  if [ "${REUSE:-0}" = 1 ] && grep -q "^finished at step $steps " "$log" 2>/dev/null; then
    echo "reusing $runs" >&2
  else
    rm -rf "$runs"
    /usr/bin/time -v -o "$out/$p.time" "${cli[@]}" train gan --preset "$p" --steps "$steps" --runs "$runs" \
      --sample-every "$steps" --checkpoint-every "$steps" --threads "$threads" >"$log" 2>&1 || { echo "failed: $p (see $log)" >&2; continue; }
  fi
  sps=$(grep -oE '\(([0-9.]+) steps/s\)' "$log" | tail -1 | tr -dc '0-9.')
  conv=$(grep -oE 'fast path (\(oneDNN with channel padding\) verified|rejected)' "$log" | head -1 | awk '{print $3=="rejected"?"safe (fast rejected)":"fast"}')
  rss=$(awk -F: '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/$p.time")
  run=$(ls -d "$runs"/*/ | head -1)
  ev=$("${cli[@]}" eval -c "$run" --data "$real" --features "$features" -n "$samples" --threads "$threads" 2>"$out/$p.eval.err") \
    || { echo "eval failed: $p (see $out/$p.eval.err)" >&2; ev=""; }
  val() { echo "$ev" | awk -F'│' -v k="$1" '{gsub(/ /,"",$2)} $2==k {gsub(/ /,"",$3); print $3}' | head -1; }
  rows+=("| $p | $steps | ${sps:-?} | ${conv:-safe} | ${rss:-?} | $(val fid) | $(val precision) | $(val recall) | $(val density) | $(val coverage) | ${run}samples, ${run}loss-curves.png |")
  echo "done: $p" >&2
done
echo "Fixed budget: $steps discriminator steps per preset (batch and losses as in the preset); metrics at N = $samples against Fashion-MNIST test or Google emoji, in GanSharp's feature networks (FID-style)"
echo
echo "| preset | steps | steps/s | convolutions | peak RSS MB | FID-style | precision | recall | density | coverage | samples, curves |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
