#!/usr/bin/env bash
# Packs GanSharp for a Linux x64 host that has a CUDA build of PyTorch (or libtorch) but no .NET:
#   scripts/pack-cuda.sh OUT_DIR
# writes OUT_DIR/gansharp-cuda.tar.xz holding app/ (the CLI without the CPU libtorch of the NuGet package)
# and dotnet/ (the .NET runtime copied from this machine). On the host:
#   tar xJf gansharp-cuda.tar.xz -C D
#   export DOTNET_ROOT=D/dotnet PATH=D/dotnet:$PATH
#   export LD_LIBRARY_PATH=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib
#   dotnet D/app/GanSharp.Cli.dll doctor     # lists cuda:0
# TorchSharp 0.107 is built against libtorch 2.10; it was measured to run on PyTorch 2.11's libtorch.
set -euo pipefail
out=${1:?usage: scripts/pack-cuda.sh OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dotnet build "$root/src/GanSharp.Cli" -c Release -o "$stage/app" -v q -nologo >/dev/null
# The CPU libtorch (about 460 MB) stays behind: the host's CUDA libtorch is loaded through LD_LIBRARY_PATH.
rm -f "$stage"/app/libtorch*.so "$stage"/app/libc10.so "$stage"/app/libgomp*.so* "$stage"/app/libshm.so \
      "$stage"/app/*.pdb "$stage"/app/*.xml
mkdir -p "$stage/dotnet/shared"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$stage/dotnet/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$stage/dotnet/shared/"
mkdir -p "$out"
tar cf - -C "$stage" app dotnet | xz -T0 -6 > "$out/gansharp-cuda.tar.xz.gansharp-tmp"
mv "$out/gansharp-cuda.tar.xz.gansharp-tmp" "$out/gansharp-cuda.tar.xz"
echo "wrote $out/gansharp-cuda.tar.xz ($(du -h "$out/gansharp-cuda.tar.xz" | cut -f1))"
