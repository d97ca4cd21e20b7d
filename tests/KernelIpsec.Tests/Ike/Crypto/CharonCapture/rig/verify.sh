#!/usr/bin/env bash
# verify.sh VARIANT [--from left|right] [--timeout S] [--label TEXT]
#
# Checks, whatever daemons run in netns left and right, that traffic between
# them is triggered into IKEv1 and then carried in ESP:
#   1. one ping from the --from side (default left; tunnel variants: from the
#      host behind that gateway, lnet/rnet) triggers ACQUIRE -> phase 1 + 2;
#      wait until both netns have >= 2 ESP SAs (reports the time it took)
#   2. SA mode (transport/tunnel) matches the variant, on both sides
#   3. ping -c 5 gets 5 replies
#   4. a UDP datagram moves the ESP packet counters (ip -s xfrm state)
#   5. tcpdump on the wire (bridge rigbr0 in the root netns) saw ESP and no plaintext
#      ICMP/UDP of the test traffic
# Prints PASS:/FAIL: lines; exit status = number of FAILs (0 = all passed).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$RIG_DIR/variants.sh"
variant=${1:?usage: verify.sh VARIANT [--from left|right] [--timeout S] [--label TEXT]}; shift
from=left timeout=30 label=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --from) from=$2; shift 2;;
    --timeout) timeout=$2; shift 2;;
    --label) label=$2; shift 2;;
    *) die "bad option $1";;
  esac
done
variant_load "$variant" || exit 2
[[ -n $label ]] || label="$variant (from $from)"
if [[ $V_TOPO == tunnel ]]; then
  if [[ $from == left ]]; then src_ns=lnet dst=$RIGHT_LAN_HOST; else src_ns=rnet dst=$LEFT_LAN_HOST; fi
else
  if [[ $from == left ]]; then src_ns=left dst=$RIGHT_IP; else src_ns=right dst=$LEFT_IP; fi
fi
ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }

# capture the wire on the bridge in the root netns (see netns.sh)
mkdir -p "$RIG_STATE"; rm -f "$RIG_STATE"/verify.pcap "$RIG_STATE"/verify.tcpdump
tcpdump -Z root -U -s ${RIG_SNAPLEN:-128} -ni rigbr0 -w "$RIG_STATE/verify.pcap" 2>"$RIG_STATE/verify.tcpdump" &
tcpd=$!
wait_for 15 grep -q 'listening on' "$RIG_STATE/verify.tcpdump" || info "tcpdump slow to start"

# 1. trigger and wait for SAs
t0=$(ms)
ip netns exec "$src_ns" ping -c 1 -W 2 "$dst" >/dev/null 2>&1 &
pingpid=$!
ok=0
while (( $(ms) - t0 < timeout * 1000 )); do
  if (( $(esp_states left) >= 2 && $(esp_states right) >= 2 )); then ok=1; break; fi
  sleep 0.02
done
t1=$(ms)
wait "$pingpid" 2>/dev/null
if [[ $ok == 1 ]]; then
  pass "$label: SAs installed on both sides $((t1 - t0)) ms after the first packet"
  echo "$((t1 - t0))" > "$RIG_STATE/last-setup-ms"
else
  fail "$label: no ESP SAs on both sides within ${timeout}s (left $(esp_states left), right $(esp_states right))"
fi

# 2. mode + algorithms
for n in left right; do
  # larval states (spi 0, left by an ACQUIRE) are no SA: leave them out of the mode check
  modes=$(ip -n "$n" xfrm state | grep 'proto esp spi' | grep -v 'spi 0x00000000' | grep -o 'mode [a-z]*' | sort -u | awk '{print $2}' | tr '\n' ' ')
  algs=$(ip -n "$n" xfrm state | grep -E '^\s+(enc|auth|auth-trunc|aead) ' | awk '{print $1" "$2($1=="auth-trunc"?"/"$4:"")}' | sort -u | tr '\n' ' ')
  if [[ $ok == 1 && $modes == "$V_MODE " ]]; then
    pass "$label: $n SAs are ESP $V_MODE mode [$algs]"
  elif [[ $ok == 1 ]]; then
    fail "$label: $n SA mode '$modes' != $V_MODE"
  fi
done

# 3. ping
if [[ $ok == 1 ]]; then
  rx=$(ip netns exec "$src_ns" ping -c 5 -i 0.2 -W 2 "$dst" 2>/dev/null | awk '/packets transmitted/{print $4}')
  if [[ ${rx:-0} == 5 ]]; then pass "$label: ping $dst 5/5 replies through ESP"; else fail "$label: ping $dst ${rx:-0}/5 replies"; fi
fi

# 4. UDP datagram moves counters
if [[ $ok == 1 ]]; then
  before=$(ip -n right -s xfrm state | awk '/lifetime current:/{getline; s+=$2} END{print s+0}')
  ip netns exec "$src_ns" bash -c "echo ikev1-rig-udp-probe > /dev/udp/$dst/9" 2>/dev/null
  sleep 0.5
  after=$(ip -n right -s xfrm state | awk '/lifetime current:/{getline; s+=$2} END{print s+0}')
  if (( after > before )); then pass "$label: UDP datagram carried in ESP (right SA packet counters $before -> $after)"
  else fail "$label: UDP datagram did not move right's ESP counters ($before -> $after)"; fi
fi

# 5. wire capture
sleep 0.3
kill "$tcpd" 2>/dev/null; wait "$tcpd" 2>/dev/null
counts=$(tcpdump -r "$RIG_STATE/verify.pcap" -n 2>/dev/null | awk '
  / ESP\(/ {e++; next} /\.(500|4500) > / {i++; next} /ICMP|UDP/ {p++}
  END {print e+0, i+0, p+0}')
read -r nesp nike nplain <<<"${counts:-0 0 0}"
if [[ $ok == 1 ]]; then
  if (( nesp > 0 && nplain == 0 )); then pass "$label: wire (rigbr0) shows $nesp ESP packets, $nike IKE packets, 0 plaintext test packets"
  else fail "$label: wire shows $nesp ESP, $nplain plaintext test packets"; fi
fi
exit "$RIG_FAIL"
