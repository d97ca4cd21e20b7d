#!/usr/bin/env bash
# tests/KernelIpsec.Fuzz/run.sh TARGET SECONDS : coverage-guided fuzzing of one target for a fixed time.
# tests/KernelIpsec.Fuzz/run.sh build          : (re)build and instrument the harness only.
#
# The harness is built (Release) into $KERNELIPSEC_FUZZ_DIR/bin (default /tmp/kernelipsec-fuzz) and the product
# assemblies there are instrumented with SharpFuzz (the pinned local tool, .config/dotnet-tools.json); a run
# reuses that build when it exists, so run `build` after changing the code. afl-fuzz (Debian's afl++;
# vm/install-deps.sh installs it) starts from corpus/TARGET and writes $KERNELIPSEC_FUZZ_DIR/TARGET. Prints:
#   TARGET: execs N, edges N/M, paths N, crashes N, hangs N
# and exits 1 when afl-fuzz saved a crash or a hang (in $KERNELIPSEC_FUZZ_DIR/TARGET/default/crashes or hangs:
# `dotnet run --project tests/KernelIpsec.Fuzz -- TARGET FILE` shows its stack trace uninstrumented; fix it,
# add a named test, copy the file to regressions/TARGET).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
base=${KERNELIPSEC_FUZZ_DIR:-${TMPDIR:-/tmp}/kernelipsec-fuzz}
bin=$base/bin

build() {
  rm -rf "$bin"; mkdir -p "$bin"
  (cd "$here" && dotnet tool restore >/dev/null)
  dotnet build "$here/KernelIpsec.Fuzz.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly -o "$bin" >/dev/null
  # The product, not the harness or the libraries: coverage of our own readers is what guides the search.
  for dll in KernelIpsec.Ike KernelIpsec.Netlink setkey racoon; do
    (cd "$here" && dotnet sharpfuzz "$bin/$dll.dll") >/dev/null
  done
  touch "$bin/.instrumented"
}

if [[ ${1:-} == build ]]; then build; exit 0; fi
[[ $# -eq 2 ]] || { echo "usage: $0 TARGET SECONDS | $0 build" >&2; exit 2; }
target=$1 seconds=$2
[[ -d $here/corpus/$target ]] || { echo "run.sh: no corpus/$target" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz missing (apt-get install afl++, or vm/install-deps.sh as root)" >&2; exit 2; }
[[ -e $bin/.instrumented ]] || build
work=$base/$target
rm -rf "$work"; mkdir -p "$work"
# dotnet itself carries no AFL instrumentation (SharpFuzz's is in the IL), the machine is shared (no core
# binding), and a core_pattern piped to systemd-coredump only slows crash reporting.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
afl-fuzz -V "$seconds" -t 5000 -m none -i "$here/corpus/$target" -o "$work" \
  -- dotnet "$bin/KernelIpsec.Fuzz.dll" "$target" >"$base/$target.log" 2>&1 || {
  echo "run.sh: afl-fuzz failed, see $base/$target.log:" >&2; tail -20 "$base/$target.log" >&2; exit 2; }

stats=$work/default/fuzzer_stats
get() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=$(get saved_crashes) hangs=$(get saved_hangs)
echo "$target: execs $(get execs_done), edges $(get edges_found)/$(get total_edges), paths $(get corpus_count), crashes $crashes, hangs $hangs"
[[ $crashes -eq 0 && $hangs -eq 0 ]]
