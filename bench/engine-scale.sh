#!/usr/bin/env bash
# bench/engine-scale.sh: what one event costs the IKE engine with 100 and with 10,000 established ISAKMP SAs
# (and as many installed SA pairs), in one run, in memory (no VM, no root):
#
#   bench/engine-scale.sh [OLD_COMMIT]
#
# bench/EngineScale drives two engines back to back: the one measured initiates to N peers (main mode, PSK, ECP256,
# one ESP pair each); the other answers as all N. Then, on the measured engine, the median cost of
# - a datagram for one SA: an R-U-THERE probe from the peer, decrypted, verified and answered;
# - an ACQUIRE for a new policy towards an established peer: a quick mode starts;
# - a timer tick at the next deadline: one ISAKMP SA reaches its lifetime (DELETE sent, SA removed).
# With OLD_COMMIT (e.g. 8261223, the engine before the re-cut) the same harness runs against that tree's engine
# too (a git worktree in a temporary directory), for the comparison. Writes the "## IKE engine scale" section of
# BENCHMARKS.md (replacing an earlier one, other sections kept).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
OLD=${1:-}
SIZES=${SIZES:-100 10000}
work=$(mktemp -d)
cleanup() { [[ -n $OLD && -d $work/old ]] && git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

run() { # run PROJECT_DIR [msbuild properties...] -> table rows on stdout
  local dir=$1; shift
  dotnet build "$dir/EngineScale.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly "$@" >&2
  # shellcheck disable=SC2086
  dotnet "$dir/bin/Release/net10.0/EngineScale.dll" $SIZES
}

ratio() { # ratio ROWS: the 10,000 row's figures divided by the 100 row's
  awk -F'|' 'NR == 1 { for (i = 3; i <= 5; i++) a[i] = $i } NR == 2 { for (i = 3; i <= 5; i++) b[i] = $i }
    END { printf "| ratio | %.1fx | %.1fx | %.1fx | | |\n", b[3] / a[3], b[4] / a[4], b[5] / a[5] }' <<<"$1"
}

new_rows=$(run bench/EngineScale)
old_rows=
if [[ -n $OLD ]]; then
  git worktree add --detach "$work/old" "$OLD" >/dev/null 2>&1
  mkdir -p "$work/old/bench"
  cp -r bench/EngineScale "$work/old/bench/"
  rm -rf "$work/old/bench/EngineScale/bin" "$work/old/bench/EngineScale/obj"
  old_rows=$(run "$work/old/bench/EngineScale" -p:OldEngine=true)
fi

head="| N (ISAKMP SAs = SA pairs) | datagram for one SA (µs) | ACQUIRE (µs) | timer tick (µs) | events measured (datagrams / ACQUIREs / ticks) | setup (s) |"
rule="|---|---|---|---|---|---|"
section=$work/section.md
{
  echo "## IKE engine scale"
  echo
  echo "bench/engine-scale.sh${OLD:+ $OLD}, $(date -u +%Y-%m-%d), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Median cost of one event on the engine under test (in memory, NullLogger), N = 100 and N = 10,000 in the same"
  echo "run; the ratio row is the 10,000 figure over the 100 figure (1.0x: the cost does not grow with the number of SAs)."
  echo
  echo "Engine after the re-cut (tables by cookie pair, peer and SPI; deadlines in a priority queue):"
  echo
  echo "$head"; echo "$rule"; echo "$new_rows"; ratio "$new_rows"
  if [[ -n $OLD ]]; then
    echo
    echo "The same harness against the engine of $OLD (one list of SAs scanned with LINQ on every event):"
    echo
    echo "$head"; echo "$rule"; echo "$old_rows"; ratio "$old_rows"
  fi
  echo
  echo "Setup (s) is the wall time to negotiate the N SAs through both engines (the responder's cost included)."
} >"$section"
cat "$section"
bench_write_section "## IKE engine scale" "$section"
