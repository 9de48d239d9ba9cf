#!/usr/bin/env bash
# A folder that runs GanSharp on a Linux x64 machine with no .NET: the CLI, the .NET runtime of this machine and
# (by default) the bundled assets, started by DIR/gansharp.
#   scripts/publish.sh [--libtorch bundled|system] [--no-assets] [--bench] [--archive] -o DIR
# --libtorch bundled (default): the CPU libtorch of the TorchSharp-cpu package travels along (about 460 MB).
# --libtorch system: it stays behind; DIR/gansharp loads the libtorch of $GANSHARP_LIBTORCH (a folder such as an
#   installed PyTorch's torch/lib, CUDA or CPU build) or else of the python3 `torch` package it finds. TorchSharp 0.107
#   is built against libtorch 2.10 and was measured to run on PyTorch 2.11's (an H200 host: see README, GPU).
# --bench adds DIR/gansharp-bench (the benchmarks); --archive also writes DIR.tar.xz; --no-assets leaves assets/ out.
set -euo pipefail
libtorch=bundled; assets=1; bench=0; archive=0; out=
while [ $# -gt 0 ]; do
  case "$1" in
    --libtorch) libtorch=${2:?}; shift 2 ;;
    --no-assets) assets=0; shift ;;
    --bench) bench=1; shift ;;
    --archive) archive=1; shift ;;
    -o|--out) out=${2:?}; shift 2 ;;
    *) echo "publish.sh: unknown argument $1 (usage: scripts/publish.sh [--libtorch bundled|system] [--no-assets] [--bench] [--archive] -o DIR)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "publish.sh: -o DIR is required" >&2; exit 2; }
case "$libtorch" in bundled|system) ;; *) echo "publish.sh: --libtorch bundled or system" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
stage="$out.tmp-$$"
rm -rf "$stage"; trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"
dotnet build "$root/src/GanSharp.Cli" -c Release -o "$stage/app" -v q -nologo >/dev/null
[ $bench = 1 ] && dotnet build "$root/bench/GanSharp.Bench" -c Release -o "$stage/app" -v q -nologo >/dev/null
rm -f "$stage"/app/*.pdb "$stage"/app/*.xml
if [ "$libtorch" = system ]; then
  rm -f "$stage"/app/libtorch*.so "$stage"/app/libc10.so "$stage"/app/libgomp*.so* "$stage"/app/libshm.so
fi
mkdir -p "$stage/dotnet/shared"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$stage/dotnet/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$stage/dotnet/shared/"
[ -d "$dotnet_root/shared/Microsoft.AspNetCore.App" ] && cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App" "$stage/dotnet/shared/"
[ $assets = 1 ] && cp -a "$root/assets" "$stage/assets"
launcher() { # $1: file name, $2: dll
  cat > "$stage/$1" <<LAUNCH
#!/usr/bin/env bash
# Runs GanSharp from this published folder (scripts/publish.sh); no .NET needs to be installed.
here=\$(cd "\$(dirname "\${BASH_SOURCE[0]}")" && pwd)
export DOTNET_ROOT="\$here/dotnet"
if [ ! -e "\$here/app/libtorch_cpu.so" ]; then
  lib=\${GANSHARP_LIBTORCH:-\$(python3 -c 'import torch,os;print(os.path.join(os.path.dirname(torch.__file__),"lib"))' 2>/dev/null || true)}
  [ -n "\$lib" ] || { echo "gansharp: this folder was published without libtorch: set GANSHARP_LIBTORCH to a libtorch lib folder (e.g. PyTorch's torch/lib)" >&2; exit 1; }
  export LD_LIBRARY_PATH="\$lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
fi
[ -d "\$here/assets" ] && export GANSHARP_ASSETS="\${GANSHARP_ASSETS:-\$here/assets}"
exec "\$here/dotnet/dotnet" "\$here/app/$2" "\$@"
LAUNCH
  chmod +x "$stage/$1"
}
launcher gansharp GanSharp.Cli.dll
[ $bench = 1 ] && launcher gansharp-bench GanSharp.Bench.dll
rm -rf "$out"; mv "$stage" "$out"; trap - EXIT
if [ $archive = 1 ]; then
  tar cf - -C "$(dirname "$out")" "$(basename "$out")" | xz -T0 -9 > "$out.tar.xz.tmp" && mv "$out.tar.xz.tmp" "$out.tar.xz"
  echo "wrote $out and $out.tar.xz ($(du -h "$out.tar.xz" | cut -f1))"
else
  echo "wrote $out ($(du -sh "$out" | cut -f1))"
fi
