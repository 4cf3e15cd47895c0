#!/bin/bash
# Build and run the whole test suite (the README's test command). Prints the automake
# summary and a final "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh || { make; exit 1; }
make -j"$(nproc)" check
rc=$?
logs=$(find testsuite -name '*.log' ! -name 'test-suite.log' 2>/dev/null)
pass=0; failn=0
for l in $logs; do
	p=$(grep -cE '^(ok -|\[       OK \] )' "$l" 2>/dev/null); f=$(grep -cE '^(not ok -|\[  FAILED  \] test_)' "$l" 2>/dev/null)
	pass=$((pass + p)); failn=$((failn + f))
done
[ $rc -ne 0 ] && cat testsuite/test-suite.log 2>/dev/null | tail -80
echo "$pass passed, $failn failed"
exit $rc
