#!/usr/bin/env bash
# vm/install-deps.sh: install what the Kernel and Vm test tiers need on a Debian 12 host.
# Idempotent; needs root and apt. Called by .ci/run and by ./test.sh when it runs as root.
#   qemu-system-x86 + linux-image-amd64 + busybox-static + kmod: the throwaway real-kernel VM
#   iproute2, tcpdump, iputils-ping: namespaces, wire checks
#   strongswan-*: the IKEv1 reference peer for interop tests; libcharon-extauth-plugins has its xauth-generic
#     plugin (XAuth with secrets from swanctl.conf, the remote-access tests' client and server)
#   nftables, conntrack: the NAT topologies' natbox (masquerade, port forward, flushing mappings)
#   libreswan 4.10 (pluto): the second IKEv1 reference peer. Its package conflicts with strongSwan's,
#     so it is only downloaded and unpacked (dpkg -x) into $LIBRESWAN_ROOT (default /opt/libreswan);
#     its runtime libraries and NSS tools (certutil, pk12util) are installed normally
#   debootstrap, rpm, dpkg-dev, groff-base: packaging/build-packages.sh and its tests
#   lintian, rpmlint: the packaging tests check the built .deb and .rpm with them
#   afl++: afl-fuzz for the coverage-guided fuzzing (tests/KernelIpsec.Fuzz/run.sh, test.sh's Fuzz step)
set -euo pipefail
[[ $(id -u) -eq 0 ]] || { echo "vm/install-deps.sh: must run as root" >&2; exit 2; }
[[ ${KERNELIPSEC_IN_VM:-} != 1 ]] || exit 0
export DEBIAN_FRONTEND=noninteractive
LIBRESWAN_ROOT=${LIBRESWAN_ROOT:-/opt/libreswan}
pkgs=(qemu-system-x86 linux-image-amd64 busybox-static kmod cpio gzip xz-utils zstd
      iproute2 tcpdump iputils-ping openssl procps
      strongswan-charon strongswan-swanctl strongswan-pki libstrongswan-standard-plugins libcharon-extauth-plugins
      nftables conntrack
      libnss3-tools libnss3 libnspr4 libldns3 libevent-core-2.1-7 libevent-pthreads-2.1-7
      libunbound8 libcurl3-nss libcap-ng0 libldap-2.5-0 libaudit1 libpam0g libselinux1 libsystemd0 libcrypt1
      debootstrap rpm dpkg-dev groff-base lintian rpmlint
      afl++)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "vm/install-deps.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x $LIBRESWAN_ROOT/usr/libexec/ipsec/pluto ]]; then
  echo "vm/install-deps.sh: unpacking libreswan into $LIBRESWAN_ROOT" >&2
  tmp=$(mktemp -d); chmod 755 "$tmp"
  (cd "$tmp" && apt-get download libreswan >/dev/null 2>&1) || { apt-get update -qq; (cd "$tmp" && apt-get download libreswan >/dev/null); }
  mkdir -p "$LIBRESWAN_ROOT"
  dpkg -x "$tmp"/libreswan_*.deb "$LIBRESWAN_ROOT"
  rm -rf "$tmp"
fi
for b in pluto whack addconn; do
  if ldd "$LIBRESWAN_ROOT/usr/libexec/ipsec/$b" | grep -q 'not found'; then
    echo "vm/install-deps.sh: libreswan's $b misses libraries:" >&2
    ldd "$LIBRESWAN_ROOT/usr/libexec/ipsec/$b" | grep 'not found' >&2
    exit 1
  fi
done
