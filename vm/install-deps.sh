#!/usr/bin/env bash
# vm/install-deps.sh: install what the Kernel and Vm test tiers need on a Debian 12 host.
# Idempotent; needs root and apt. Called by .ci/run and by ./test.sh when it runs as root.
#   qemu-system-x86 + linux-image-amd64 + busybox-static + kmod: the throwaway real-kernel VM
#   iproute2, tcpdump, iputils-ping: namespaces, wire checks
#   strongswan-*: the IKEv1 reference peer for interop tests
#   debootstrap, rpm, dpkg-dev, groff-base: packaging/build-packages.sh and its tests
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "vm/install-deps.sh: must run as root" >&2; exit 2; }
[[ ${KERNELIPSEC_IN_VM:-} != 1 ]] || exit 0
export DEBIAN_FRONTEND=noninteractive
pkgs=(qemu-system-x86 linux-image-amd64 busybox-static kmod cpio gzip xz-utils zstd
      iproute2 tcpdump iputils-ping openssl procps
      strongswan-charon strongswan-swanctl strongswan-pki libstrongswan-standard-plugins
      debootstrap rpm dpkg-dev groff-base)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "vm/install-deps.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
