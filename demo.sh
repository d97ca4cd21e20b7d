#!/usr/bin/env bash
# ./demo.sh: the main job, visible. Boots the real-kernel VM (vm/kvm.sh) and plays the seed
# PSK scenario between two hosts (network namespaces "left" 10.77.0.1 and "right" 10.77.0.2):
# setkey installs policies only, both racoons start, one UDP packet from left triggers the
# kernel's ACQUIRE, racoon negotiates main mode + quick mode, the SAs appear and the traffic
# flows as ESP. Prints both racoon logs, the first packets on the wire, `setkey -D` on each
# side and a summary (phase 1 and 2 times, algorithms, packets protected, where the logs are:
# artifacts/demo/, kept after the VM is gone). Needs root (the VM) and ./build.sh's binaries
# (built here if missing).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ${KERNELIPSEC_IN_VM:-} != 1 ]]; then
  [[ $(id -u) -eq 0 ]] || { echo "demo.sh: needs root (it boots a VM): sudo ./demo.sh" >&2; exit 2; }
  vm/install-deps.sh
  [[ -x artifacts/bin/racoon && -x artifacts/bin/setkey ]] || scripts/publish.sh >/dev/null
  exec vm/kvm.sh --timeout 900 -- ./demo.sh
fi

bin=$PWD/artifacts/bin
work=/tmp/demo
mkdir -p $work
# Copies of the logs and the capture land in the repository (shared read-write with the VM), so they outlive it.
kept=$PWD/artifacts/demo

echo "== two hosts: left 10.77.0.1 <-veth-> right 10.77.0.2"
ip netns add left; ip netns add right
ip link add veth-l netns left type veth peer name veth-r netns right
ip -n left addr add 10.77.0.1/24 dev veth-l; ip -n left link set veth-l up; ip -n left link set lo up
ip -n right addr add 10.77.0.2/24 dev veth-r; ip -n right link set veth-r up; ip -n right link set lo up

for side in left right; do
  if [[ $side == left ]]; then me=10.77.0.1 peer=10.77.0.2; else me=10.77.0.2 peer=10.77.0.1; fi
  d=$work/$side; mkdir -p $d
  # The seed scenario's files, the same ones the Vm tier plays (tests/scenarios/seed).
  for f in setkey.conf racoon.conf; do
    sed -e "s|@ME@|$me|g" -e "s|@PEER@|$peer|g" -e "s|@DIR@|$d|g" tests/scenarios/seed/$f > $d/$f
  done
  printf '%s\t%s\n' "$peer" "demo-pre-shared-key-please-change" > $d/psk.txt
  chmod 600 $d/psk.txt
  echo "== $side: setkey -f $d/setkey.conf"
  ip netns exec $side $bin/setkey -f $d/setkey.conf
  ip netns exec $side $bin/setkey -DP
  ip netns exec $side $bin/racoon -F -f $d/racoon.conf -l $d/racoon.log &
done

for side in left right; do
  for _ in $(seq 1 100); do ip netns exec $side ss -uln | grep -q ':500 ' && break; sleep 0.2; done
done
ip netns exec right tcpdump -ni veth-r -c 12 -w $work/wire.pcap 'udp port 500 or esp or udp port 9' 2>/dev/null &
tcpdump_pid=$!
sleep 1

echo "== left sends one UDP datagram to right: the kernel holds it and asks racoon for SAs"
t0=$(date +%s.%N); t1=; t2=
ip netns exec left bash -c 'echo hello > /dev/udp/10.77.0.2/9' || true
# Phase 1 is up when racoon logs its ISAKMP-SA, phase 2 when the kernel holds both ESP SAs.
for _ in $(seq 1 600); do
  [[ -z $t1 ]] && grep -q 'ISAKMP-SA established' $work/left/racoon.log 2>/dev/null && t1=$(date +%s.%N)
  n=$(ip -n left xfrm state | grep -c '^src' || true)
  [[ $n -ge 2 ]] && { t2=$(date +%s.%N); break; }
  sleep 0.05
done
echo "== traffic through the SAs"
ip netns exec left ping -c 3 -i 0.3 10.77.0.2 || true
sleep 1; kill $tcpdump_pid 2>/dev/null || true; wait $tcpdump_pid 2>/dev/null || true

for side in left right; do
  echo "== racoon log, $side"; cat $work/$side/racoon.log 2>/dev/null || true
done
echo "== on the wire (tcpdump in right)"
tcpdump -nr $work/wire.pcap 2>/dev/null || true
for side in left right; do
  echo "== $side: setkey -D"; ip netns exec $side $bin/setkey -D
done
summary() {
  local conf=$work/left/racoon.conf
  echo
  echo "== summary"
  if [[ -n $t2 ]]; then
    [[ -n $t1 ]] || t1=$t2
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "  phase 1 (main mode):  %.2f s after the first packet\n", b - a }'
    awk -v a="$t1" -v b="$t2" 'BEGIN { printf "  phase 2 (quick mode): %.2f s more, SAs in the kernel\n", b - a }'
  else
    echo "  NO SAs: the negotiation did not complete (see the logs above)"
  fi
  echo "  phase 1 algorithms:   $(awk '/proposal/,/}/' "$conf" | awk '/encryption_algorithm|hash_algorithm|dh_group|authentication_method/ {sub(/;/, "", $2); sub(/_algorithm|_method/, "", $1); printf "%s %s, ", $1, $2}')from racoon.conf"
  echo "  phase 2 algorithms:   $(ip -n left xfrm state | awk '($1 == "enc" || $1 == "auth-trunc" || $1 == "auth") && !seen[$1 $2]++ {printf "%s %s, ", $1, $2}')from the kernel's SAs"
  echo "  packets protected:"
  ip -n left -s xfrm state | awk '/^src/ {sa = $2 " -> " $4} /lifetime current:/ {getline; gsub(/\(bytes\),|\(packets\)/, ""); printf "    %-26s %s packets, %s bytes\n", sa, $2, $1}'
  rm -rf "$kept"; mkdir -p "$kept/left" "$kept/right"
  cp $work/left/racoon.log "$kept/left/" 2>/dev/null || true
  cp $work/right/racoon.log "$kept/right/" 2>/dev/null || true
  cp $work/wire.pcap "$kept/" 2>/dev/null || true
  echo "  logs:                 $kept/left/racoon.log, $kept/right/racoon.log, wire capture $kept/wire.pcap"
}
summary
for side in left right; do kill "$(cat $work/$side/racoon.pid)" 2>/dev/null || true; done
sleep 1
[[ -n $t2 ]] || exit 1
