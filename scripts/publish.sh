#!/usr/bin/env bash
# scripts/publish.sh: NativeAOT-publish setkey, racoon and racoonctl into artifacts/bin/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "publish: the .NET 10 SDK is missing (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2; exit 2; }
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  echo "publish: NativeAOT needs a C toolchain: apt-get install clang zlib1g-dev" >&2; exit 2
fi
mkdir -p artifacts/bin
for project in src/Setkey/Setkey.csproj src/Keyd/Keyd.csproj src/Keyd/Ctl/Racoonctl.csproj; do
  dotnet publish "$project" -c Release -r linux-x64 -o artifacts/bin -p:DebugType=none -p:StripSymbols=true --nologo -v quiet
done
rm -f artifacts/bin/*.dbg artifacts/bin/*.pdb
ls -l artifacts/bin/setkey artifacts/bin/racoon artifacts/bin/racoonctl
