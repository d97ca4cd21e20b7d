#!/usr/bin/env bash
# ./build.sh: publish the NativeAOT binaries setkey, racoon and racoonctl into artifacts/bin/,
# then show a first useful run: the kernel's security policy database through our setkey.
set -euo pipefail
cd "$(dirname "$0")"
scripts/publish.sh
echo "== artifacts/bin/setkey -DP (the kernel's IPsec policies)"
if [[ $(id -u) -eq 0 ]]; then
  artifacts/bin/setkey -DP || true
else
  echo "(reading the kernel's policies needs root; showing a dry run of a script instead)"
  echo 'spdadd 10.77.0.1 10.77.0.2 any -P out ipsec esp/transport//require;' | artifacts/bin/setkey -n -c || true
fi
