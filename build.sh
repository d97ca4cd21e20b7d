#!/usr/bin/env bash
# ./build.sh: the first command on a fresh Debian machine with the .NET SDK. Installs what the
# build lacks (a C toolchain and zlib for NativeAOT), publishes the NativeAOT binaries setkey,
# racoon and racoonctl into artifacts/bin/, then runs the main job visibly: ./demo.sh, two racoons
# negotiating IPsec SAs in a throwaway VM, ending with a summary. Without root it builds what it
# can and says exactly what the rest needs.
set -euo pipefail
cd "$(dirname "$0")"
root=0; [[ $(id -u) -eq 0 ]] && root=1

command -v dotnet >/dev/null || {
  echo "build.sh: needs the .NET 10 SDK (dotnet): https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2; exit 2; }

# NativeAOT links with the system C toolchain and zlib.
missing=()
command -v gcc >/dev/null || command -v clang >/dev/null || missing+=(gcc)
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(zlib1g-dev)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $root -eq 1 ]]; then
    echo "== installing what NativeAOT needs: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "build.sh: NativeAOT needs ${missing[*]}, which only root can install. Either run" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    echo "and then ./build.sh again, or run everything as root: sudo ./build.sh" >&2
    exit 2
  fi
fi

echo "== publishing setkey, racoon and racoonctl (NativeAOT) into artifacts/bin"
scripts/publish.sh

if [[ $root -eq 1 ]]; then
  echo "== the main job: two racoons negotiate in a VM (./demo.sh)"
  exec ./demo.sh
fi
echo
echo "Built. The demo (two racoons negotiating IPsec SAs) needs root: it boots a throwaway VM"
echo "(qemu, installed by vm/install-deps.sh) and makes network namespaces. Run:"
echo "  sudo ./build.sh      (or sudo ./demo.sh, now that the binaries are built)"
echo "Meanwhile, a dry run of our setkey parsing a policy (no kernel, no root):"
echo 'spdadd 10.77.0.1 10.77.0.2 any -P out ipsec esp/transport//require;' | artifacts/bin/setkey -n -c
