#!/usr/bin/env bash
# ./test.sh: build everything and run every test tier; ends with "N passed, N failed[, N skipped]".
#
#   Unit    no root, no kernel                                   (host)
#   Kernel  root + this machine's kernel, one fresh netns a test  (host)
#   Vm      Debian's stock kernel in a throwaway qemu VM           (vm/kvm.sh, root + qemu)
#   Fuzz    each fuzz target 10 s under afl-fuzz (KERNELIPSEC_FUZZ_SECONDS; 0 skips)  (host, root)
#
# As root it first installs what the tiers need (vm/install-deps.sh) and then a Vm tier that
# cannot run is a failure, not a skip. Without root, Kernel and Vm tests are reported as
# skipped with the reason. Exit status 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")"
results=$PWD/TestResults
rm -rf "$results"; mkdir -p "$results"
dll=tests/KernelIpsec.Tests/bin/Debug/net10.0/KernelIpsec.Tests.dll
is_root=0; [[ $(id -u) -eq 0 ]] && is_root=1
harness_failed=0

if [[ $is_root -eq 1 && ${KERNELIPSEC_IN_VM:-} != 1 ]]; then
  vm/install-deps.sh || { echo "test.sh: vm/install-deps.sh failed" >&2; exit 1; }
fi

dotnet build KernelIpsec.sln -c Debug --nologo -v quiet -clp:ErrorsOnly || { echo "test.sh: build failed" >&2; exit 1; }
# After the Debug build, so tests that run the tools as processes find these NativeAOT binaries
# newer and use them (what users run; much faster to start under the VM's emulation).
scripts/publish.sh >/dev/null || { echo "test.sh: publishing artifacts/bin failed" >&2; exit 1; }
export KERNELIPSEC_SETKEY=$PWD/artifacts/bin/setkey

run_tests() { # NAME FILTER
  dotnet test "$dll" --filter "$2" --logger "trx;LogFileName=$1.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | grep -vE '^\s*$|^Results File:|^A total of|^Test run for'
}

echo "== Unit and Kernel tiers (host kernel $(uname -r))"
run_tests host "TestCategory!=Vm&TestCategory!=VmMatrix&TestCategory!=Benchmark"
[[ -s $results/host.trx ]] || { echo "test.sh: the Unit and Kernel tiers did not run (no $results/host.trx)" >&2; harness_failed=$((harness_failed + 1)); }

# Coverage-guided fuzzing, a short fixed time a target (the corpus replay itself is a Unit test; the long
# campaign is bench/fuzz-campaign.sh). A crash or hang the fuzzer saves fails the run.
fuzz_seconds=${KERNELIPSEC_FUZZ_SECONDS:-10}
if [[ $is_root -eq 1 && ${KERNELIPSEC_IN_VM:-} != 1 && $fuzz_seconds -gt 0 ]]; then
  echo "== Fuzz: each target $fuzz_seconds s under afl-fuzz (tests/KernelIpsec.Fuzz/run.sh)"
  if tests/KernelIpsec.Fuzz/run.sh build; then
    for target in $(ls tests/KernelIpsec.Fuzz/corpus); do
      tests/KernelIpsec.Fuzz/run.sh "$target" "$fuzz_seconds" || { echo "test.sh: fuzz target $target saved a crash or hang (see above)" >&2; harness_failed=$((harness_failed + 1)); }
    done
  else
    echo "test.sh: building the fuzz harness failed" >&2; harness_failed=$((harness_failed + 1))
  fi
else
  echo "== Fuzz: skipped here (needs root: vm/install-deps.sh installs afl++)"
fi

if [[ $is_root -eq 1 ]] && command -v qemu-system-x86_64 >/dev/null; then
  echo "== Vm tier (Debian kernel in a throwaway VM)"
  vm/kvm.sh --timeout 3600 -- "export KERNELIPSEC_SETKEY='$KERNELIPSEC_SETKEY'; dotnet test '$dll' --filter 'TestCategory=Vm' --logger 'trx;LogFileName=vm.trx' --logger 'console;verbosity=normal' --results-directory '$results'"
  [[ -s $results/vm.trx ]] || { echo "test.sh: the Vm tier did not run (no $results/vm.trx)" >&2; harness_failed=1; }
  # Inside the VM every requirement is met: a skip there is a failure unless tests/vm-skips-allowed.txt lists it.
  if [[ -s $results/vm.trx ]]; then
    while IFS= read -r name; do
      if ! grep -qxF "$name" <(sed -n 's/ # .*//p' tests/vm-skips-allowed.txt); then
        echo "test.sh: Vm test skipped inside the VM and not in tests/vm-skips-allowed.txt: $name" >&2
        harness_failed=$((harness_failed + 1))
      fi
    done < <(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$results/vm.trx" | sed -n 's/.*testName="\([^"]*\)".*/\1/p')
  fi
else
  echo "== Vm tier: skipped here (needs root and qemu: sudo ./test.sh)"
  run_tests vm-skipped "TestCategory=Vm"
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -e $trx ]] || continue
  passed=$((passed + $(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)))
  failed=$((failed + $(grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)))
  skipped=$((skipped + $(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l)))
done
failed=$((failed + harness_failed))
line="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && line="$line, $skipped skipped"
echo "$line"
[[ $failed -eq 0 ]]
