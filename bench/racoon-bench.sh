#!/usr/bin/env bash
# bench/racoon-bench.sh: IKEv1 negotiation cost, our racoon<->racoon against strongSwan charon<->charon.
#
#   sudo vm/kvm.sh -- bench/racoon-bench.sh          (in the project VM)
#   sudo bench/racoon-bench.sh                        (on the host: boots the VM itself and records the
#                                                      host's load average)
# Env: TRIALS (default 5, after one warm-up trial), VARIANTS (default "psk-3des psk-aes128"),
# IMPLS (default "racoon charon"), KEEP_LOGS (a directory to copy the daemons' logs and configs into).
#
# Two network namespaces, left 10.77.0.1 and right 10.77.0.2 on a veth pair; both ends run the same
# daemon (ours: artifacts/bin/racoon with setkey-installed `require` policies, as demo.sh; charon:
# /usr/lib/ipsec/charon under `unshare -m` with trap policies, as the interop tests start it). Per
# trial: no SA anywhere (the IKE SAs are deleted too, so every trial is a full main mode + quick mode
# with PFS), one UDP datagram from left to right, then the time from the kernel's ACQUIRE in left to
# the 4th ESP SA in the kernels (2 per side), read from `ip -ts xfrm monitor` in both namespaces.
# Also the CPU time (user + sys) both daemons used over the trials, and their resident memory with the
# SAs established. Writes the "## racoon negotiation" section of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
if [[ ${KERNELIPSEC_IN_VM:-} != 1 ]]; then
  [[ $(id -u) -eq 0 ]] || { echo "racoon-bench: needs root (it boots a VM): sudo $0" >&2; exit 2; }
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  exec vm/kvm.sh --timeout 3000 -- "KERNELIPSEC_HOST_LOAD='$load' TRIALS='${TRIALS:-5}' VARIANTS='${VARIANTS:-psk-3des psk-aes128}' IMPLS='${IMPLS:-racoon charon}' KEEP_LOGS='${KEEP_LOGS:-}' bench/racoon-bench.sh"
fi

TRIALS=${TRIALS:-5}
VARIANTS=${VARIANTS:-psk-3des psk-aes128}
IMPLS=${IMPLS:-racoon charon}
bin=$PWD/artifacts/bin
charon=/usr/lib/ipsec/charon
for f in "$bin/racoon" "$bin/racoonctl" "$bin/setkey"; do
  [[ -x $f ]] || { echo "racoon-bench: $f is missing: scripts/publish.sh builds it" >&2; exit 2; }
done
[[ -x $charon && -x /usr/sbin/swanctl ]] || { echo "racoon-bench: strongSwan (charon, swanctl) is not installed" >&2; exit 2; }
L=10.77.0.1 R=10.77.0.2
PSK=kernelipsec-bench-pre-shared-key-0123
work=$(mktemp -d /tmp/racoon-bench.XXXXXX)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
guest_load_start=$(cut -d' ' -f1-3 /proc/loadavg)
pids=()

stop_all() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -9 "$p" 2>/dev/null || true; done
  pids=()
  for ns in left right; do
    ip -n $ns xfrm state flush 2>/dev/null || true; ip -n $ns xfrm policy flush 2>/dev/null || true
  done
}
cleanup() { stop_all; [[ -n ${KEEP_LOGS:-} ]] && { mkdir -p "$KEEP_LOGS"; (cd "$work" && find . -type f -print0 | xargs -0 cp --parents -t "$KEEP_LOGS") || true; }; ip netns del left 2>/dev/null || true; ip netns del right 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ip netns add left; ip netns add right
ip link add veth-l netns left type veth peer name veth-r netns right
ip -n left addr add $L/24 dev veth-l; ip -n left link set veth-l up; ip -n left link set lo up
ip -n right addr add $R/24 dev veth-r; ip -n right link set veth-r up; ip -n right link set lo up

# variant NAME: sets the algorithms of one benchmark variant in both daemons' syntax.
variant() {
  case $1 in
    psk-3des) desc="main mode PSK, 3des-sha1-modp1024, ESP 3des-sha1, PFS modp1024"
      ike=3des-sha1-modp1024 esp=3des-sha1-modp1024 r_enc=3des r_dh=modp1024 r_p2enc=3des;;
    psk-aes128) desc="main mode PSK, aes128-sha1-modp2048, ESP aes128-sha1, PFS modp2048"
      ike=aes128-sha1-modp2048 esp=aes128-sha1-modp2048 r_enc="aes 128" r_dh=modp2048 r_p2enc="aes 128";;
    *) echo "racoon-bench: unknown variant $1" >&2; exit 2;;
  esac
}
esp_sas() { ip -n "$1" xfrm state 2>/dev/null | grep 'proto esp spi' | grep -vc 'spi 0x00000000' || true; }
wait_sas() { # wait_sas COUNT SECONDS: until both namespaces hold COUNT ESP SAs
  local end=$(( ${EPOCHSECONDS} + $2 ))
  while (( EPOCHSECONDS < end )); do
    [[ $(esp_sas left) -eq $1 && $(esp_sas right) -eq $1 ]] && return 0
    sleep 0.1
  done
  return 1
}
cpu_ticks() { local p s=0; for p in "$@"; do s=$(( s + $(awk '{ print $14 + $15 }' /proc/"$p"/stat) )); done; echo $s; }
rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/"$1"/status; }

start_racoon() { # start_racoon NS ME PEER
  local ns=$1 me=$2 peer=$3 d=$work/racoon-$1
  mkdir -p "$d"
  printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
    "$me" "$peer" "$peer" "$me" > "$d/setkey.conf"
  printf '%s\t%s\n' "$peer" "$PSK" > "$d/psk.txt"; chmod 600 "$d/psk.txt"
  cat > "$d/racoon.conf" <<CONF
path pre_shared_key "$d/psk.txt";
listen {
	isakmp $me [500];
	adminsock "$d/racoon.sock";
}
remote $peer {
	exchange_mode main;
	my_identifier address;
	lifetime time 4 hour;
	proposal {
		encryption_algorithm $r_enc;
		hash_algorithm sha1;
		authentication_method pre_shared_key;
		dh_group $r_dh;
	}
}
sainfo address $me any address $peer any {
	pfs_group $r_dh;
	lifetime time 1 hour;
	encryption_algorithm $r_p2enc;
	authentication_algorithm hmac_sha1;
	compression_algorithm deflate;
}
CONF
  ip netns exec "$ns" "$bin/setkey" -f "$d/setkey.conf"
  ip netns exec "$ns" "$bin/racoon" -F -f "$d/racoon.conf" -l "$d/racoon.log" > "$d/racoon.out" 2>&1 &
  pids+=($!); eval "pid_$ns=$!"
  for _ in $(seq 1 300); do ip netns exec "$ns" ss -uln | grep -q "$me:500 " && return 0; sleep 0.1; done
  echo "racoon-bench: racoon did not open $me:500 in $ns:" >&2; tail -20 "$d/racoon.log" "$d/racoon.out" >&2; exit 1
}
flush_racoon() {
  local ns
  for ns in left right; do ip netns exec $ns "$bin/racoonctl" -s "$work/racoon-$ns/racoon.sock" flush-sa isakmp > /dev/null; done
  for ns in left right; do ip netns exec $ns "$bin/racoonctl" -s "$work/racoon-$ns/racoon.sock" flush-sa ipsec > /dev/null; done
}

start_charon() { # start_charon NS ME PEER
  local ns=$1 me=$2 peer=$3 d=$work/charon-$1
  mkdir -p "$d/run" "$d/swanctl"/{conf.d,x509,x509ca,private,pubkey,rsa,pkcs8,x509crl}
  cat > "$d/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = random nonce openssl aes sha1 sha2 md5 hmac gmp pem pkcs1 pkcs8 x509 pubkey revocation constraints kernel-netlink socket-default vici
  install_routes = no
  install_virtual_ip = no
  filelog {
    bench {
      path = $d/charon.log
      time_format = %H:%M:%S
      time_add_ms = yes
      append = no
      default = 1
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
  plugins {
    vici {
      socket = unix:///run/charon.vici
    }
  }
}
swanctl {
  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey
}
CONF
  cat > "$d/swanctl/swanctl.conf" <<CONF
connections {
  bench {
    version = 1
    aggressive = no
    local_addrs = $me
    remote_addrs = $peer
    proposals = $ike
    encap = no
    dpd_delay = 0
    unique = never
    rekey_time = 4h
    reauth_time = 0
    keyingtries = 1
    local {
      auth = psk
      id = $me
    }
    remote {
      auth = psk
      id = $peer
    }
    children {
      bench {
        mode = transport
        local_ts = dynamic
        remote_ts = dynamic
        esp_proposals = $esp
        start_action = trap
        close_action = none
        rekey_time = 1h
        life_time = 66m
      }
    }
  }
}
secrets {
  ike-bench {
    id-a = $L
    id-b = $R
    secret = "$PSK"
  }
}
CONF
  ip netns exec "$ns" unshare -m --propagation private bash -c \
    'mount --bind "$1/run" /run; mount --bind "$1/strongswan.conf" /etc/strongswan.conf; mount --bind "$1/swanctl" /etc/swanctl; exec "$2" > "$1/daemon.out" 2>&1 < /dev/null' \
    _ "$d" "$charon" &
  local launcher=$! p=
  for _ in $(seq 1 300); do
    [[ -S $d/run/charon.vici && -s $d/run/charon.pid ]] && { p=$(cat "$d/run/charon.pid"); break; }
    sleep 0.1
  done
  [[ -n $p ]] || { echo "racoon-bench: charon did not come up in $ns" >&2; tail -20 "$d/daemon.out" "$d/charon.log" >&2; exit 1; }
  pids+=("$p" "$launcher"); eval "pid_$ns=$p"
  nsenter -t "$p" -n -m swanctl --load-all --noprompt > "$d/load.out" 2>&1 || { echo "racoon-bench: swanctl --load-all failed in $ns" >&2; cat "$d/load.out" >&2; exit 1; }
}
flush_charon() { nsenter -t "$pid_left" -n -m swanctl --terminate --ike bench --timeout 20 > /dev/null 2>&1 || true; }

# run_trials IMPL VARIANT: one warm-up trial and $TRIALS measured ones; appends to $work/results.
run_trials() {
  local impl=$1 v=$2 t mon_l mon_r lat=() warm=
  variant "$v"
  if [[ $impl == racoon ]]; then start_racoon left $L $R; start_racoon right $R $L
  else start_charon left $L $R; start_charon right $R $L; fi
  ip netns exec left ip -ts xfrm monitor > "$work/mon-left" 2>&1 & mon_l=$!
  ip netns exec right ip -ts xfrm monitor > "$work/mon-right" 2>&1 & mon_r=$!
  sleep 1
  local cpu0=0
  for ((t = 0; t <= TRIALS; t++)); do
    if [[ $impl == racoon ]]; then flush_racoon; else flush_charon; fi
    wait_sas 0 30 || { echo "racoon-bench: $impl $v trial $t: SAs did not go away" >&2; exit 1; }
    sleep 1
    (( t == 1 )) && cpu0=$(cpu_ticks "$pid_left" "$pid_right")
    local ml mr
    ml=$(wc -l < "$work/mon-left"); mr=$(wc -l < "$work/mon-right")
    ip netns exec left bash -c "echo bench > /dev/udp/$R/9" || true
    wait_sas 2 60 || { echo "racoon-bench: $impl $v trial $t: no SAs after 60 s" >&2; tail -30 "$work"/*-left/*.log >&2; exit 1; }
    sleep 0.5
    # [YYYY-MM-DDTHH:MM:SS.uuuuuu] acquire ... / [..] src A dst B (+ next line "proto esp spi ...") / [..] Updated src ...
    local ms
    ms=$( { tail -n +"$((ml + 1))" "$work/mon-left" | sed 's/^/L /'; tail -n +"$((mr + 1))" "$work/mon-right" | sed 's/^/R /'; } | awk '
      function secs(s, p) { gsub(/[][]/, "", s); split(s, p, /[T:]/); return p[2] * 3600 + p[3] * 60 + p[4] }
      $2 ~ /^\[/ {
        t = secs($2)
        if ($3 == "acquire" && $1 == "L" && acq == "") acq = t
        if ($3 == "src" || ($3 == "Updated" && $4 == "src")) {
          if ((getline nx) > 0 && nx ~ /proto esp spi/ && nx !~ /spi 0x00000000/) { n++; if (n == 4) fourth = t }
        }
      }
      END { if (acq != "" && fourth != "") printf "%.0f", (fourth - acq) * 1000; else print "-1" }')
    (( ms >= 0 )) || { echo "racoon-bench: $impl $v trial $t: no ACQUIRE -> 4 SAs in the monitor logs" >&2; tail -20 "$work/mon-left" >&2; exit 1; }
    if (( t == 0 )); then warm=$ms; else lat+=("$ms"); fi
    echo "$impl $v trial $t: ACQUIRE -> 4th ESP SA $ms ms"
  done
  local cpu1 rss_l rss_r
  cpu1=$(cpu_ticks "$pid_left" "$pid_right")
  rss_l=$(rss_kb "$pid_left"); rss_r=$(rss_kb "$pid_right")
  kill "$mon_l" "$mon_r" 2>/dev/null || true
  local med all cpu_per
  med=$(printf '%s\n' "${lat[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')
  all=$(printf '%s\n' "${lat[@]}" | tr '\n' ' ' | sed 's/ $//; s/ /, /g')
  cpu_per=$(awk -v d=$((cpu1 - cpu0)) -v n="$TRIALS" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", d * 1000 / hz / n }')
  echo "$impl $v $med $warm $cpu_per $rss_l $rss_r $all" >> "$work/results"
  echo "$impl $v: median $med ms (warm-up $warm ms; $all), CPU $cpu_per ms per negotiation (both daemons), RSS $rss_l / $rss_r kB"
  stop_all
}

k=0
for v in $VARIANTS; do
  # Alternate which daemon goes first, so a change in the host's load does not favour one side.
  order=($IMPLS); (( k % 2 )) && order=($(printf '%s\n' "${order[@]}" | tac))
  for impl in "${order[@]}"; do run_trials "$impl" "$v"; done
  k=$((k + 1))
done

field() { awk -v i="$1" -v v="$2" -v c="$3" '$1 == i && $2 == v { print $c }' "$work/results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
rows= ratios=
for v in $VARIANTS; do
  variant "$v"
  for impl in $IMPLS; do
    rows+="| $v | $impl | **$(field $impl "$v" 3) ms** | $(awk -v i=$impl -v v="$v" '$1 == i && $2 == v { s = ""; for (c = 8; c <= NF; c++) s = s $c (c < NF ? " " : ""); print s }' "$work/results") | $(field $impl "$v" 4) ms | $(field $impl "$v" 5) ms | $(( $(field $impl "$v" 6) / 1024 )) / $(( $(field $impl "$v" 7) / 1024 )) MiB |"$'\n'
  done
  [[ -n $(field racoon "$v" 3) && -n $(field charon "$v" 3) ]] || continue
  ratios+="| $v ($desc) | **$(ratio "$(field racoon "$v" 3)" "$(field charon "$v" 3)")** | $(ratio "$(field racoon "$v" 5)" "$(field charon "$v" 5)") | $(ratio "$(field racoon "$v" 6)" "$(field charon "$v" 6)") |"$'\n'
done
commit=$(git -c safe.directory='*' rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -c safe.directory='*' status --porcelain -- src 2>/dev/null | grep -q . && echo ", src/ has uncommitted changes" || true)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
swver=$("$charon" --version 2>/dev/null | head -1 || true); [[ -n $swver ]] || swver=$(swanctl --version 2>/dev/null | head -1)
host_load=${KERNELIPSEC_HOST_LOAD:-not recorded (run \`sudo bench/racoon-bench.sh\` on the host to record it)}
section=$(cat <<MD
## racoon negotiation

Produced by \`sudo vm/kvm.sh -- bench/racoon-bench.sh\` (or \`sudo bench/racoon-bench.sh\`, which also
records the host's load; env TRIALS, VARIANTS) on $started, commit $commit$dirty.
Binaries: our \`artifacts/bin/racoon\` (NativeAOT, \`scripts/publish.sh\`) on both ends, against
strongSwan charon ($swver, IKEv1, plugins openssl/gmp/kernel-netlink) on both ends. Machine: the
project VM (vm/kvm.sh), **software emulation (qemu TCG)** on a 2-core host, $(nproc) vCPUs ($cpu_model),
kernel $(uname -r); both daemons of a pair share those vCPUs. Host load average (1/5/15 min) at the
start: $host_load; in the guest: $guest_load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at
the end. The host was shared with other engineers' VMs: absolute times are slow and noisy; compare
the ratios, which come from the same run.

Two namespaces, left $L and right $R (veth), the same daemon on both ends, policies
\`require\` for ESP transport between them. Each trial starts with no SA at all (racoon: \`racoonctl
flush-sa isakmp\` then \`flush-sa ipsec\` on both ends; charon: \`swanctl --terminate --ike\`), so it
is a full main mode + quick mode with PFS; one UDP datagram from left triggers it. **Setup latency** =
kernel ACQUIRE in left -> the 4th ESP SA (2 per side) in the kernels, from \`ip -ts xfrm monitor\`
timestamps in both namespaces; median of $TRIALS trials after one warm-up trial. **CPU** = user + sys
time of both daemons over those trials (incl. flushing), per negotiation. **RSS** = VmRSS of the
left / right daemon with the SAs of the last trial established.

| variant | daemons (both ends) | setup latency, median | trials (ms) | warm-up | CPU per negotiation, both daemons | RSS left / right |
| --- | --- | ---: | --- | ---: | ---: | ---: |
${rows%$'\n'}

| variant | latency racoon / charon | CPU racoon / charon | RSS racoon / charon |
| --- | ---: | ---: | ---: |
${ratios%$'\n'}
MD
)
printf '%s\n' "$section" > "$work/section.md"
bench_write_section '## racoon negotiation' "$work/section.md"
echo "$section"
