#!/usr/bin/env bash
# Measures the performance budgets (LOAD_TESTING.md) without k6: builds the jar, then runs
# the load harness, which starts the jar in fresh zero-setup instances and drives them over
# HTTP. The summary lands in target/load/summary.md.
#
#   scripts/load-test.sh                          # every scenario, full durations (~20 min)
#   scripts/load-test.sh --scale 0.25             # quick look
#   scripts/load-test.sh --scenarios first-token,listing
#   scripts/load-test.sh --scenarios open-streams --open-streams 10000 --open-stream-heap 2g
#   scripts/load-test.sh --scenarios first-token --server-jvm-options "-XX:+UseZGC"
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

# 10,000 open streams need 10,000 sockets in the server and as many in the harness
# (each process has its own limit).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/load-classpath.txt
jar=$(ls target/ragchat-*.jar | grep -v plain | head -1)
exec java -cp "target/test-classes:$(cat target/load-classpath.txt)" com.ragchat.load.LoadHarness --jar "$jar" "$@"
