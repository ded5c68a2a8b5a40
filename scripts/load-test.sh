#!/usr/bin/env bash
# Measures the performance budgets (LOAD_TESTING.md) without k6: builds the jar, then runs
# the load harness, which starts the jar in fresh zero-setup instances and drives them over
# HTTP. The summary lands in target/load/summary.md.
#
#   scripts/load-test.sh                          # every scenario, full durations (~20 min)
#   scripts/load-test.sh --scale 0.25             # quick look
#   scripts/load-test.sh --scenarios first-token,listing
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
	for candidate in $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
		if "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
			export JAVA_HOME="$candidate"
			break
		fi
	done
fi
export PATH="$JAVA_HOME/bin:$PATH"

# 2,000 streams need about 4,000 sockets on one machine (client and server ends).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load-classpath.txt
jar=$(ls target/ragchat-*.jar | grep -v plain | head -1)
exec java -cp "target/test-classes:$(cat target/load-classpath.txt)" com.ragchat.load.LoadHarness --jar "$jar" "$@"
