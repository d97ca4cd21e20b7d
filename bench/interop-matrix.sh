#!/usr/bin/env bash
# bench/interop-matrix.sh: the whole Vm-tier interop matrix that ./test.sh leaves out (category VmMatrix):
# our racoon against charon in every variant both ways, against libreswan pluto in every variant it allows,
# and the rig's own self-checks (charon<->charon through the NAT, pluto<->charon). ./test.sh runs one
# representative scenario per feature and peer (category Vm) to stay within CI's time; this runs the rest.
#
#   sudo bench/interop-matrix.sh        (boots the project VM; 30-60 min on 2 cores)
#
# Prints each test's outcome and the "N passed, N failed" line; exit status 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || { echo "interop-matrix: needs root (it boots a VM): sudo $0" >&2; exit 2; }
results=$PWD/TestResults/matrix
rm -rf "$results"; mkdir -p "$results"
dll=$PWD/tests/KernelIpsec.Tests/bin/Debug/net10.0/KernelIpsec.Tests.dll
vm/install-deps.sh || exit 1
dotnet build KernelIpsec.sln -c Debug --nologo -v quiet -clp:ErrorsOnly || exit 1
scripts/publish.sh >/dev/null || exit 1
vm/kvm.sh --timeout 5400 -- "export KERNELIPSEC_SETKEY='$PWD/artifacts/bin/setkey'; dotnet test '$dll' --filter 'TestCategory=VmMatrix' --logger 'trx;LogFileName=matrix.trx' --logger 'console;verbosity=normal' --results-directory '$results'"
trx=$results/matrix.trx
[[ -s $trx ]] || { echo "interop-matrix: the VM run produced no $trx" >&2; exit 1; }
passed=$(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)
failed=$(grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
