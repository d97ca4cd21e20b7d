#!/usr/bin/env bash
# capture-charon.sh OUTDIR - inside the VM: run reference IKEv1 negotiations (charon<->charon,
# pluto<->charon) of several variants and capture full UDP 500/4500 packets on rigbr0 into
# OUTDIR/<right>_<left>_<variant>.pcap. The seed vectors of the wire codec tests come from these captures.
# Run from the repository root on the host, as root (OUTDIR inside the repository, which the VM shares read-write):
#   vm/kvm.sh --timeout 900 -- bash tests/KernelIpsec.Tests/Ike/Wire/Vectors/capture-charon.sh ikewire-capture
# The interop rig is found by scripts/interop-rig.sh (../shared/interop or KERNELIPSEC_INTEROP_DIR).
# CAPTURE_SCENARIOS overrides the list (RIGHT/LEFT/VARIANT); SW_LOGLEVEL=4 makes charon log its
# derived keys (SKEYID*, keymat) into the copied logs, from which the encrypted messages were decrypted.
set -uo pipefail
out=${1:?usage: capture-charon.sh OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../../../../scripts/interop-rig.sh"
R=$INTEROP_DIR
require_vm
fix_tty
load_modules
ensure_pki
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
topo=""
for s in ${CAPTURE_SCENARIOS:-strongswan/strongswan/psk-3des strongswan/strongswan/aggr-psk strongswan/strongswan/rsa \
         strongswan/strongswan/tunnel-psk libreswan/strongswan/psk-aes128 strongswan/libreswan/psk-aes128}; do
  IFS=/ read -r rimpl limpl variant <<<"$s"
  variant_load "$variant" >/dev/null 2>&1 || { echo "bad variant $variant"; continue; }
  if [[ $topo != "$V_TOPO" ]]; then bash "$R/netns.sh" up "$V_TOPO"; topo=$V_TOPO; fi
  bash "$R/start-peer.sh" "$rimpl" "$variant" --ns right -q > "$work/start-right.out" 2>&1 & pr=$!
  bash "$R/start-peer.sh" "$limpl" "$variant" --ns left -q > "$work/start-left.out" 2>&1 & pl=$!
  wait $pr; wait $pl
  f="$out/${rimpl}_${limpl}_${variant}.pcap"
  tcpdump -Z root -U -s 0 -ni rigbr0 -w "$f" 'udp port 500 or udp port 4500' 2>"$work/tcpd.err" &
  tp=$!
  sleep 2
  bash "$R/verify.sh" "$variant" --label "$s" | grep -E '^(PASS|FAIL)' | head -3
  sleep 1
  kill $tp; wait $tp 2>/dev/null
  # charon's derived keys (if logged) help later known-answer work
  cp "$RIG_STATE"/left/charon.log "$out/${rimpl}_${limpl}_${variant}.left.log" 2>/dev/null
  cp "$RIG_STATE"/right/charon.log "$out/${rimpl}_${limpl}_${variant}.right.log" 2>/dev/null
  bash "$R/stop-peer.sh" all
  echo "captured $f ($(stat -c %s "$f") bytes)"
done
bash "$R/netns.sh" down
