#!/usr/bin/env bash
# capture.sh - record charon<->charon IKEv1 negotiations with charon's derived keys logged,
# as known answers for KernelIpsec.Ike.Crypto (CharonReplayTests).
#
# Run from the worktree root on the host (the VM sees the cwd read-write):
#   /work/shared/kernel-vm/kvm-run --timeout 900 -- \
#     bash tests/KernelIpsec.Tests/Ike/Crypto/CharonCapture/capture.sh [VARIANT...]
# (default: psk-3des aggr-psk psk-aes256 psk-aes128-nopfs rsa)
#
# rig/ is a copy of /work/shared/interop with two changes: charon's `chd` and `enc` log
# groups are settable (SW_CHDLOGLEVEL, SW_ENCLOGLEVEL), and verify.sh's tcpdump snap
# length is settable (RIG_SNAPLEN; the shared rig keeps 128 bytes, too short for IKE).
# ike/chd level 4 makes charon log SKEYID*, Ka, IVs, HASH_I/R, Hash(1..3) and KEYMAT.
# The PSK and all keys are the rig's throwaway test values.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/captures
work=$(pwd)/ikev1-rig-logs
rm -rf "$work"
export RIG_KEEP_LOGS=1 SW_LOGLEVEL=4 SW_CHDLOGLEVEL=4 SW_ENCLOGLEVEL=0 SW_NETLOGLEVEL=0 RIG_SNAPLEN=0
variants=${*:-psk-3des aggr-psk psk-aes256 psk-aes128-nopfs rsa}
scenarios=""
for v in $variants; do scenarios="$scenarios strongswan/strongswan/$v"; done
# shellcheck disable=SC2086
bash "$here/rig/run-baseline.sh" $scenarios || true
mkdir -p "$out"
for v in $variants; do
  src=$work/strongswan_strongswan_$v
  [[ -d $src ]] || { echo "no logs for $v"; continue; }
  mkdir -p "$out/$v"
  # the IKE and CHILD_SA lines are the ones with keys; kernel/netlink chatter is dropped
  grep -E '\[(IKE|CHD)\]' "$src/left/charon.log" > "$out/$v/left-charon.log"
  grep -E '\[(IKE|CHD)\]' "$src/right/charon.log" > "$out/$v/right-charon.log"
  # IKE only (UDP 500): the ESP and ping traffic is not needed
  tcpdump -r "$src/verify.pcap" -w "$out/$v/ike.pcap" 'udp port 500' 2>/dev/null
  echo "captured $v: $(tcpdump -r "$out/$v/ike.pcap" 2>/dev/null | wc -l) IKE packets"
done
rm -rf "$work"
