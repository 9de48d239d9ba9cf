#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for GanSharp, then builds it.
# Idempotent and quiet when everything is present. Used by ./gansharp, scripts/test.sh and .ci/run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages: fonts for captions in sample grids and reports; Fashion-MNIST (real-data tests and training);
# chromium for the Studio's browser tests (Playwright drives this system browser and never downloads one).
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
[ -x /usr/lib/chromium/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="-"; fi
  if [ "$sudo" = "-" ]; then
    echo "gansharp: missing Debian packages: ${need[*]} (not root and no sudo; install them to enable all features)" >&2
  else
    echo "gansharp: installing Debian packages: ${need[*]}" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

command -v dotnet >/dev/null || { echo "gansharp: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

# Build the CLI in Release when any source is newer than the last build.
stamp="$root/src/GanSharp.Cli/bin/Release/net10.0/GanSharp.Cli.dll"
if [ "${GANSHARP_SKIP_BUILD:-}" != 1 ]; then
  if [ ! -f "$stamp" ] || [ -n "$(find "$root/src" "$root/build" "$root"/Directory.* -newer "$stamp" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -print -quit)" ]; then
    echo "gansharp: building (Release)…" >&2
    dotnet build "$root/src/GanSharp.Cli/GanSharp.Cli.csproj" -c Release -nologo -v q -clp:ErrorsOnly >&2
  fi
fi
