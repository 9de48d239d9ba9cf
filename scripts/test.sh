#!/usr/bin/env bash
# Runs GanSharp's test suite after setting up what a fresh machine lacks. Extra arguments go to dotnet test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GANSHARP_SKIP_BUILD=1 bash "$root/scripts/bootstrap.sh"
cd "$root"
results="$root/tests/GanSharp.Tests/TestResults"
rm -rf "$results"
rc=0
dotnet test tests/GanSharp.Tests/GanSharp.Tests.csproj -c Release --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || rc=$?
trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  num() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  # Skipped tests are results with outcome NotExecuted; the Counters element leaves them out (total − executed).
  echo "tests: $(num passed) passed, $(( $(num failed) + $(num error) + $(num timeout) )) failed, $(( $(num total) - $(num executed) )) skipped"
fi
exit $rc
