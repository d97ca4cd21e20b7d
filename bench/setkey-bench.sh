#!/usr/bin/env bash
# bench/setkey-bench.sh: setkey against iproute2 on the same kernel, in one run.
#
#   sudo vm/kvm.sh -- bench/setkey-bench.sh [SETKEY] [N]      (in the project VM)
#   sudo bench/setkey-bench.sh [SETKEY] [N]                   (on the host: boots the VM itself and
#                                                               records the host's load average)
#
# 1. apply: N SAs + N policies with `setkey -f FILE` and the same entries with `ip -batch FILE`, each
#    into a fresh network namespace, APPLY_ROUNDS times in alternating order (default 2, N 20000).
# 2. cold start on an empty SAD: `setkey -D` and `ip xfrm state`, COLD_ROUNDS runs each (default
#    60), interleaved, each run timed on its own (median and mean), from inside the namespace so
#    `ip netns exec` is not part of the figure.
# Writes the "## setkey" section of BENCHMARKS.md (replacing an earlier one, other sections kept).
# SETKEY defaults to the NativeAOT binary artifacts/bin/setkey (scripts/publish.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [[ ${KERNELIPSEC_IN_VM:-} != 1 ]]; then
  [[ $(id -u) -eq 0 ]] || { echo "setkey-bench: needs root (it boots a VM): sudo $0" >&2; exit 2; }
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  args=; [[ $# -gt 0 ]] && args=$(printf ' %q' "$@")
  exec vm/kvm.sh --timeout 3000 -- "KERNELIPSEC_HOST_LOAD='$load' bench/setkey-bench.sh$args"
fi

SK=${1:-artifacts/bin/setkey}
N=${2:-20000}
APPLY_ROUNDS=${APPLY_ROUNDS:-2}
COLD_ROUNDS=${COLD_ROUNDS:-60}
[[ -x $SK ]] || { echo "setkey-bench: $SK is missing: scripts/publish.sh builds it" >&2; exit 2; }
SK=$(realpath "$SK")
work=$(mktemp -d)
cleanup() { rm -rf "$work"; for ns in $(ip netns list | awk '/^skb-/ { print $1 }'); do ip netns del "$ns" 2>/dev/null || true; done; }
trap cleanup EXIT
# Both tools run from a file system with a page cache, as when installed: ip from the host root, which the
# VM mounts with one (9p cache=loose), setkey from a copy on tmpfs. The repository share has none (9p
# without cache): there every start re-read the binary's touched pages over 9p, 250-360 synchronous
# major faults per `setkey -D` (0.7-1 s under TCG), while ip and a tmpfs copy of setkey take none.
cp "$SK" "$work/setkey"
SK_RUN=$work/setkey

started=$(date -u '+%Y-%m-%d %H:%M UTC')
guest_load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# The same N SAs and N policies in both languages: ESP transport SAs aes-cbc/hmac-sha1 and an
# `out` policy per address pair; setkey's default priority is ip's 2147483648 as well.
awk -v n="$N" -v sk="$work/setkey.conf" -v ipb="$work/ip.batch" 'BEGIN {
  enc = "0x00112233445566778899aabbccddeeff"; auth = "0x0102030405060708090a0b0c0d0e0f1011121314"
  for (i = 0; i < n; i++) {
    a = int(i / 250) + 1; b = i % 250 + 1; spi = 4096 + i
    src = sprintf("10.77.%d.%d", a, b); dst = sprintf("10.78.%d.%d", a, b)
    printf "add %s %s esp %d -E aes-cbc %s -A hmac-sha1 %s;\n", src, dst, spi, enc, auth > sk
    printf "spdadd %s %s any -P out ipsec esp/transport//require;\n", src, dst > sk
    printf "xfrm state add src %s dst %s proto esp spi %d mode transport enc cbc(aes) %s auth-trunc hmac(sha1) %s 96\n", src, dst, spi, enc, auth > ipb
    printf "xfrm policy add src %s/32 dst %s/32 dir out priority 2147483648 tmpl src 0.0.0.0 dst 0.0.0.0 proto esp reqid 0 mode transport level required\n", src, dst > ipb
  }
}'

nsno=0
fresh_ns() { nsno=$((nsno + 1)); ip netns add "skb-$nsno"; ip -n "skb-$nsno" link set lo up; echo "skb-$nsno"; }
# timed NAME COMMAND...: appends "NAME wall_ms cpu_ms user_ms sys_ms" to $work/apply (of the child).
timed() {
  local name=$1; shift
  local t0 t1 cpu
  t0=${EPOCHREALTIME/./}
  TIMEFORMAT='%U %S'
  cpu=$( { time "$@" > /dev/null; } 2>&1 | tail -1)
  t1=${EPOCHREALTIME/./}
  awk -v n="$name" -v w=$(( (t1 - t0) / 1000 )) -v c="$cpu" 'BEGIN { split(c, a, " "); printf "%s %d %d %d %d\n", n, w, (a[1] + a[2]) * 1000, a[1] * 1000, a[2] * 1000 }' >> "$work/apply"
}
check_counts() {
  local sas sps
  sas=$(ip -n "$1" xfrm state count | awk '/SAD count/ { print $3 }')
  sps=$(ip -n "$1" xfrm policy count | awk '/SPD IN/ { print $3 + $5 + $7 }')
  [[ $sas -eq $N && $sps -eq $N ]] || { echo "setkey-bench: $2 left $sas SAs and $sps policies in $1, not $N each" >&2; exit 1; }
  ip netns del "$1"
}

# The kernel builds and self-tests the authenc(hmac(sha1),cbc(aes)) transform on its first use in a boot:
# ~8 s under TCG, waited out by whichever tool installs the first such SA (measured: the same setkey binary
# took 8042 ms for its first one-SA script, 293 ms for the next). Pay it here, outside the timed rounds.
warm=$(fresh_ns)
ip -n "$warm" xfrm state add src 10.77.0.1 dst 10.78.0.1 proto esp spi 4095 mode transport \
  enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff auth-trunc 'hmac(sha1)' 0x0102030405060708090a0b0c0d0e0f1011121314 96
ip netns del "$warm"

echo "== apply $N SAs + $N policies, $APPLY_ROUNDS rounds"
for ((r = 0; r < APPLY_ROUNDS; r++)); do
  order=(setkey ip); (( r % 2 )) && order=(ip setkey)
  for tool in "${order[@]}"; do
    ns=$(fresh_ns)
    if [[ $tool == setkey ]]; then timed setkey ip netns exec "$ns" "$SK_RUN" -f "$work/setkey.conf"
    else timed ip ip -n "$ns" -batch "$work/ip.batch"; fi
    check_counts "$ns" "$tool"
    tail -1 "$work/apply"
  done
done

echo "== cold start on an empty SAD, $COLD_ROUNDS runs each"
ns=$(fresh_ns)
ip netns exec "$ns" bash -c '
  sk=$1 rounds=$2 out=$3
  "$sk" -D > /dev/null; ip xfrm state > /dev/null   # page cache and 9p metadata warm for both
  for ((r = 0; r < rounds; r++)); do
    t0=${EPOCHREALTIME/./}; "$sk" -D > /dev/null; t1=${EPOCHREALTIME/./}
    ip xfrm state > /dev/null; t2=${EPOCHREALTIME/./}
    echo "setkey $((t1 - t0))" >> "$out"; echo "ip $((t2 - t1))" >> "$out"
  done' _ "$SK_RUN" "$COLD_ROUNDS" "$work/cold"

# Statistics: apply = mean over rounds (wall and CPU), cold = median and mean per run in ms.
figure() { # figure FILE NAME COLUMN median|mean
  awk -v n="$2" -v c="$3" '$1 == n { print $c }' "$1" | sort -n |
    awk -v how="$4" '{ a[NR] = $1; s += $1 } END {
      if (how == "median") v = (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2); else v = s / NR
      printf "%.1f", v }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
sk_apply=$(figure "$work/apply" setkey 2 mean); ip_apply=$(figure "$work/apply" ip 2 mean)
sk_apply_cpu=$(figure "$work/apply" setkey 3 mean); ip_apply_cpu=$(figure "$work/apply" ip 3 mean)
sk_apply_user=$(figure "$work/apply" setkey 4 mean); ip_apply_user=$(figure "$work/apply" ip 4 mean)
sk_apply_sys=$(figure "$work/apply" setkey 5 mean); ip_apply_sys=$(figure "$work/apply" ip 5 mean)
sk_all=$(awk '$1 == "setkey" { printf "%s%d", s, $2; s = ", " }' "$work/apply")
ip_all=$(awk '$1 == "ip" { printf "%s%d", s, $2; s = ", " }' "$work/apply")
us_to_ms() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }
sk_cold_med=$(us_to_ms "$(figure "$work/cold" setkey 2 median)"); ip_cold_med=$(us_to_ms "$(figure "$work/cold" ip 2 median)")
sk_cold_mean=$(us_to_ms "$(figure "$work/cold" setkey 2 mean)"); ip_cold_mean=$(us_to_ms "$(figure "$work/cold" ip 2 mean)")
apply_ratio=$(ratio "$sk_apply" "$ip_apply"); apply_cpu_ratio=$(ratio "$sk_apply_cpu" "$ip_apply_cpu")
cold_ratio=$(ratio "$sk_cold_med" "$ip_cold_med"); cold_mean_ratio=$(ratio "$sk_cold_mean" "$ip_cold_mean")
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "meets" : "misses") }'; }

commit=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -c safe.directory='*' status --porcelain -- src 2>/dev/null | grep -q . && echo ", src/ has uncommitted changes" || true)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ipver=$(ip -V | sed 's/^ip utility, //')
host_load=${KERNELIPSEC_HOST_LOAD:-not recorded (run \`sudo bench/setkey-bench.sh\` on the host to record it)}
cmd="sudo vm/kvm.sh -- bench/setkey-bench.sh"; [[ $# -gt 0 ]] && cmd+=$(printf ' %q' "$@")
section=$(cat <<MD
## setkey

Produced by \`$cmd\` (or \`sudo bench/setkey-bench.sh\`, which also records the host's load) on
$started, commit $commit$dirty. Binary: \`${SK#"$PWD"/}\` (NativeAOT, $(stat -c %s "$SK") bytes,
from \`scripts/publish.sh\`, run from a copy on tmpfs) against iproute2 $ipver. Machine: the project VM (vm/kvm.sh), **software
emulation (qemu TCG)** on a 2-core host, $(nproc) vCPUs ($cpu_model), kernel $(uname -r).
Host load average (1/5/15 min) at the start: $host_load; in the guest: $guest_load_start at the
start, $(cut -d' ' -f1-3 /proc/loadavg) at the end. The host was shared with other engineers' VMs, so
absolute times are slow and noisy; only the ratios, measured in the same run, mean something.

| what | setkey | ip | ratio setkey/ip | target |
| --- | ---: | ---: | ---: | --- |
| apply $N SAs + $N policies, wall, mean of $APPLY_ROUNDS fresh netns each (\`setkey -f\` vs \`ip -batch\`) | ${sk_apply} ms | ${ip_apply} ms | **${apply_ratio}** | 1.1x: $(verdict "$apply_ratio" 1.1) |
| same, user+sys CPU of the tool | ${sk_apply_cpu} ms | ${ip_apply_cpu} ms | ${apply_cpu_ratio} | |
| same, user CPU (the tool's own code: parsing, encoding) | ${sk_apply_user} ms | ${ip_apply_user} ms | $(ratio "$sk_apply_user" "$ip_apply_user") | |
| same, sys CPU (the kernel installing the entries) | ${sk_apply_sys} ms | ${ip_apply_sys} ms | $(ratio "$sk_apply_sys" "$ip_apply_sys") | |
| cold start on an empty SAD, median of $COLD_ROUNDS runs (\`setkey -D\` vs \`ip xfrm state\`) | ${sk_cold_med} ms | ${ip_cold_med} ms | **${cold_ratio}** | 1.5x: $(verdict "$cold_ratio" 1.5) |
| same, mean | ${sk_cold_mean} ms | ${ip_cold_mean} ms | ${cold_mean_ratio} | |

Apply rounds, wall ms (fresh namespace each, order alternating): setkey $sk_all; ip $ip_all. Every
round is checked to leave exactly $N SAs and $N policies. The cold-start runs interleave the two
tools and are timed from inside the namespace (no \`ip netns exec\` in the figure).
MD
)
printf '%s\n' "$section" > "$work/section.md"
bench_write_section '## setkey' "$work/section.md"
echo "$section"
