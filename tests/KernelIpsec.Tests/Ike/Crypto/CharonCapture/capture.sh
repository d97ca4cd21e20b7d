#!/usr/bin/env bash
# capture.sh - record charon<->charon IKEv1 negotiations with charon's derived keys logged,
# as known answers for KernelIpsec.Ike.Crypto (CharonReplayTests).
#
# Run from the repository root on the host, as root (the VM shares the repository read-write):
#   vm/kvm.sh --timeout 900 -- bash tests/KernelIpsec.Tests/Ike/Crypto/CharonCapture/capture.sh [VARIANT...]
# (default: psk-3des aggr-psk psk-aes256 psk-aes128-nopfs rsa)
#
# It drives the IKEv1 interop rig (scripts/interop-rig.sh finds it: ../shared/interop or
# KERNELIPSEC_INTEROP_DIR) step by step rather than through its run-baseline.sh, for two things the
# rig's own run does not give: whole packets (its verify.sh keeps 128 bytes of each, too few for
# IKE) and nothing but IKE. SW_LOGLEVEL=4 makes charon log SKEYID*, Ka, IVs, HASH_I/R, Hash(1..3)
# and KEYMAT (the rig's log groups default to it). The PSK and all keys are the rig's throwaway test values.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../../../../scripts/interop-rig.sh"
out=$here/captures
export SW_LOGLEVEL=4 SW_NETLOGLEVEL=0
variants=${*:-psk-3des aggr-psk psk-aes256 psk-aes128-nopfs rsa}

require_vm
fix_tty
load_modules
ensure_pki
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
topo=""
for v in $variants; do
  variant_load "$v" >/dev/null 2>&1 || { echo "unknown variant $v"; continue; }
  if [[ $topo != "$V_TOPO" ]]; then bash "$INTEROP_DIR/netns.sh" up "$V_TOPO"; topo=$V_TOPO; fi
  bash "$INTEROP_DIR/start-peer.sh" strongswan "$v" --ns right -q > "$work/start-right.out" 2>&1 & pr=$!
  bash "$INTEROP_DIR/start-peer.sh" strongswan "$v" --ns left -q > "$work/start-left.out" 2>&1 & pl=$!
  if ! wait $pr || ! wait $pl; then
    echo "peers of $v did not start:"; cat "$work"/start-*.out
    bash "$INTEROP_DIR/stop-peer.sh" all
    continue
  fi
  # IKE only (UDP 500), whole packets: the ESP and ping traffic is not needed
  tcpdump -Z root -U -s 0 -ni rigbr0 -w "$work/ike.pcap" 'udp port 500' 2>"$work/tcpdump.err" & tp=$!
  sleep 2
  bash "$INTEROP_DIR/verify.sh" "$v" --label "capture $v" | grep -E '^(PASS|FAIL)' || true
  sleep 1
  kill $tp; wait $tp 2>/dev/null || true
  mkdir -p "$out/$v"
  # the IKE and CHILD_SA lines are the ones with keys; kernel/netlink chatter is dropped
  grep -E '\[(IKE|CHD)\]' "$RIG_STATE/left/charon.log" > "$out/$v/left-charon.log"
  grep -E '\[(IKE|CHD)\]' "$RIG_STATE/right/charon.log" > "$out/$v/right-charon.log"
  cp "$work/ike.pcap" "$out/$v/ike.pcap"
  bash "$INTEROP_DIR/stop-peer.sh" all
  echo "captured $v: $(tcpdump -r "$out/$v/ike.pcap" 2>/dev/null | wc -l) IKE packets"
done
bash "$INTEROP_DIR/netns.sh" down
