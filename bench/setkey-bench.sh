#!/usr/bin/env bash
# setkey benchmark (not a timed test). Inside the project VM, as root, from the repository root:
#   bench/setkey-bench.sh [SETKEY] [N]
# Applies N policies + N SAs with `setkey -f` and the same entries with `ip -batch`, each into a fresh
# network namespace, and compares cold starts of `setkey -D` and `ip xfrm state` on an empty one.
# Writes a "setkey" section into BENCHMARKS.md (replacing an earlier one).
set -euo pipefail
SK=${1:-artifacts/bin/setkey}
N=${2:-20000}
ROUNDS=20
work=$(mktemp -d)
trap 'rm -rf "$work"; for ns in skb-a skb-b skb-c; do ip netns del $ns 2>/dev/null || true; done' EXIT

enc=0x00112233445566778899aabbccddeeff
auth=0x0102030405060708090a0b0c0d0e0f1011121314
for ((i = 0; i < N; i++)); do
  a=$((i / 250 + 1)); b=$((i % 250 + 1)); spi=$((0x1000 + i))
  printf 'add 10.77.%d.%d 10.78.%d.%d esp %d -E aes-cbc %s -A hmac-sha1 %s;\n' $a $b $a $b $spi $enc $auth >> "$work/setkey.conf"
  printf 'spdadd 10.77.%d.%d 10.78.%d.%d any -P out ipsec esp/transport//require;\n' $a $b $a $b >> "$work/setkey.conf"
  printf 'xfrm state add src 10.77.%d.%d dst 10.78.%d.%d proto esp spi %d mode transport enc cbc(aes) %s auth-trunc hmac(sha1) %s 96\n' $a $b $a $b $spi $enc $auth >> "$work/ip.batch"
  printf 'xfrm policy add src 10.77.%d.%d/32 dst 10.78.%d.%d/32 dir out priority 2147483648 tmpl src 0.0.0.0 dst 0.0.0.0 proto esp reqid 0 mode transport\n' $a $b $a $b >> "$work/ip.batch"
done

ms() { echo $(( ($2 - $1) / 1000000 )); }
ip netns add skb-a; ip netns add skb-b; ip netns add skb-c

t0=$(date +%s%N); ip netns exec skb-a "$SK" -f "$work/setkey.conf"; t1=$(date +%s%N)
ip -n skb-b -batch "$work/ip.batch"; t2=$(date +%s%N)
sk_apply=$(ms $t0 $t1); ip_apply=$(ms $t1 $t2)
for ns in skb-a skb-b; do
  sas=$(ip -n $ns xfrm state | grep -c '^src'); sps=$(ip -n $ns xfrm policy | grep -c '^src')
  [ "$sas" -eq "$N" ] && [ "$sps" -eq "$N" ] || { echo "$ns holds $sas SAs and $sps policies, not $N each" >&2; exit 1; }
done

t0=$(date +%s%N); for ((r = 0; r < ROUNDS; r++)); do ip netns exec skb-c "$SK" -D > /dev/null; done; t1=$(date +%s%N)
for ((r = 0; r < ROUNDS; r++)); do ip netns exec skb-c ip xfrm state > /dev/null; done; t2=$(date +%s%N)
sk_cold=$(ms $t0 $t1); ip_cold=$(ms $t1 $t2)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
section=$(cat <<MD
## setkey

\`bench/setkey-bench.sh $SK $N\` in the VM ($(uname -r)), $(date -u +%Y-%m-%d):

| what | setkey | ip | ratio setkey/ip |
|---|---|---|---|
| apply $N SAs + $N policies (\`setkey -f\` vs \`ip -batch\`) | ${sk_apply} ms | ${ip_apply} ms | $(ratio $sk_apply $ip_apply) |
| cold start, empty SAD, $ROUNDS runs (\`setkey -D\` vs \`ip xfrm state\`) | ${sk_cold} ms | ${ip_cold} ms | $(ratio $sk_cold $ip_cold) |
MD
)
touch BENCHMARKS.md
awk 'BEGIN { skip = 0 } /^## setkey$/ { skip = 1; next } /^## / { skip = 0 } !skip' BENCHMARKS.md > "$work/bench.md"
{ cat "$work/bench.md"; echo; echo "$section"; } > BENCHMARKS.md
echo "$section"
