#!/usr/bin/env bash
# bench/fuzz-campaign.sh [MINUTES]: the long fuzzing campaign. Builds and instruments the harness once
# (tests/KernelIpsec.Fuzz/run.sh build), then runs every target for MINUTES (default 10) under afl-fuzz, one
# fuzzer process at a time, and writes the "## Fuzzing" section of ROBUSTNESS.md: per target the executions,
# the coverage afl-fuzz measured (map bits hit by SharpFuzz's edge instrumentation; paths = inputs it kept),
# the crashes and hangs this campaign saved, and the crashes found earlier, fixed, and replayed by their
# regression tests (tests/KernelIpsec.Fuzz/regressions/index.txt). New crashes stay in
# $KERNELIPSEC_FUZZ_DIR/TARGET/default/crashes for triage (run.sh says how).
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
minutes=${1:-10}
fuzz=tests/KernelIpsec.Fuzz
base=${KERNELIPSEC_FUZZ_DIR:-${TMPDIR:-/tmp}/kernelipsec-fuzz}
index=$fuzz/regressions/index.txt
started=$(date -u '+%Y-%m-%d %H:%M UTC')
$fuzz/run.sh build || { echo "fuzz-campaign: build failed" >&2; exit 1; }

declare -A reads=(
  [isakmp]="UDP 500 datagram: header, payload chain, a fresh responder engine"
  [encrypted]="chain past HASH(1), encrypted with a live phase 1's keys, through the engine's decryption and HASH check"
  [fragments]="IKE fragments (payload 132) and their reassembly"
  [setkey]="setkey script: parser and binder"
  [racoon-conf]="racoon.conf: grammar, builder, binders"
  [psk]="psk.txt"
  [xfrm]="netlink XFRM replies and notifications"
  [pfkey]="PF_KEY replies and notifications"
  [admin]="racoonctl request on the admin socket"
)
section=$(mktemp)
{
  echo "## Fuzzing"
  echo
  echo "Coverage-guided fuzzing with SharpFuzz 2.3.0 and afl-fuzz (AFL++ 4.04c), \`bench/fuzz-campaign.sh $minutes\`:"
  echo "$minutes min a target, one fuzzer at a time, started $started on $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)),"
  echo "load average at the start $(cut -d' ' -f1-3 /proc/loadavg) (a machine shared with other jobs). Seeds: $fuzz/corpus."
  echo "Coverage = distinct map bits (branch edges of our assemblies) afl-fuzz saw; paths = inputs it kept."
  echo "Found/fixed/regression: crashes found by earlier runs, fixed in src/, their inputs in $fuzz/regressions,"
  echo "replayed in the Unit tier by FuzzCorpusReplayTests."
  echo
  echo "| target | reads | executions | coverage (edges) | paths | crashes + hangs this run | found and fixed before | regression tests |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
} > "$section"
failed=0
for target in isakmp encrypted fragments setkey racoon-conf psk xfrm pfkey admin; do
  line=$($fuzz/run.sh "$target" $((minutes * 60))) || failed=$((failed + 1))
  echo "$line"
  stats=$base/$target/default/fuzzer_stats
  get() { sed -n "s/^$1 *: *//p" "$stats"; }
  fixed=$(grep -c "^$target/" "$index")
  tests=$(grep "^$target/" "$index" | awk '{print $2}' | sed 's/^.*\.//' | paste -sd, - | sed 's/,/, /g')
  echo "| $target | ${reads[$target]} | $(get execs_done) | $(get edges_found) | $(get corpus_count) | $(( $(get saved_crashes) + $(get saved_hangs) )) | $fixed | ${tests:--} |" >> "$section"
done
bench_write_section "## Fuzzing" "$section" ROBUSTNESS.md
rm -f "$section"
echo "fuzz-campaign: ROBUSTNESS.md written; $failed target(s) saved crashes or hangs"
[[ $failed -eq 0 ]]
