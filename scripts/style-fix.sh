#!/usr/bin/env bash
# style-fix.sh - convert the C# code of the solution to the house style of .editorconfig. Re-runnable: a second
# run changes nothing. --check changes nothing and exits 1 if something is not in the house style.
#
#   scripts/style-fix.sh [--check]
#
# 1. scripts/tools/StyleFix (Roslyn): private fields `_camel` -> `camel`, every reference in the solution,
#    `this.` added where a parameter or local of the new name would capture a use (dotnet format has no fix
#    that renames).
# 2. dotnet format style: everything .editorconfig marks as a warning that has a code fix (`this.` where
#    unnecessary, var, braces on multi-line bodies, file-scoped namespaces, expression-bodied properties,
#    readonly fields, keywords for built-in types, ...).
# 3. dotnet format whitespace: indentation, spacing, final newlines.
# Afterwards the build enforces it:
#   dotnet build KernelIpsec.sln -p:EnforceCodeStyleInBuild=true -p:TreatWarningsAsErrors=true
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sln=KernelIpsec.sln
check=()
fix=()
case "${1:-}" in
  --check) check=(--verify-no-changes); fix=(--dry-run);;
  "") ;;
  *) echo "usage: scripts/style-fix.sh [--check]" >&2; exit 2;;
esac

dotnet build scripts/tools/StyleFix/StyleFix.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
echo "== StyleFix: _field -> field"
dotnet scripts/tools/StyleFix/bin/Release/net10.0/StyleFix.dll "$sln" "${fix[@]}"
echo "== dotnet format style"
dotnet format style "$sln" --severity warn "${check[@]}"
echo "== dotnet format whitespace"
dotnet format whitespace "$sln" "${check[@]}"
echo "style-fix: done"
