#!/usr/bin/env bash
# Authenticated session listing ÷ /api/health throughput with wrk, the way LoadHarness's
# cross-check measures it (2 threads, 16 connections, 20 s each, bearer token, 25 sessions),
# for one or more jars, rounds interleaved: A B A B A B. Each run starts the jar in a fresh
# zero-setup directory (embedded PostgreSQL on the same machine) and stops it afterwards.
#
#   scripts/listing-ratio.sh --rounds 3 main=/tmp/main.jar cache=target/ragchat-0.1.0.jar
#   EXTRA_ENV_cache_off="TOKEN_STATE_CACHE_ENABLED=false" scripts/listing-ratio.sh cache_off=target/ragchat.jar
#   JFR=1 ...   # also records the listing phase with JFR (jfr print --events jdk.ExecutionSample)
#
# Prints one line per run (label, round, health req/s, listing req/s, ratio, server CPU µs per listing
# request and per health request: JVM + its PostgreSQL, not wrk) and the medians per label;
# runs land in target/listing-ratio/.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rounds=3
duration=20
if [ "${1:-}" = "--rounds" ]; then rounds=$2; shift 2; fi
if [ "${1:-}" = "--duration" ]; then duration=$2; shift 2; fi
out=target/listing-ratio
mkdir -p "$out"
results="$out/results-$(date -u +%Y%m%dT%H%M%S).tsv"
port=18400

# CPU time (clock ticks) of the server's JVM and of its PostgreSQL processes (postmaster and backends).
cpu_ticks() { # java-pid data-dir
	local pids postmaster
	postmaster=$(pgrep -f -- "-D $2/postgres" | head -1 || true)
	[ -z "$postmaster" ] && postmaster=$(pgrep -f -- "$2" | grep -v "^$1\$" | head -1 || true)
	pids="$1 $postmaster $( [ -n "$postmaster" ] && pgrep -P "$postmaster" | tr '\n' ' ')"
	for p in $pids; do
		awk '{print $14 + $15}' "/proc/$p/stat" 2> /dev/null || true
	done | awk '{s += $1} END {print s + 0}'
}

run_one() { # label jar round
	local label=$1 jar=$2 round=$3
	local dir
	dir=$(realpath "$(mktemp -d "$out/run-$label-$round-XXXX")")
	port=$((port + 1))
	local extra_var="EXTRA_ENV_$label" extra
	extra=${!extra_var:-}
	(
		cd "$dir"
		# shellcheck disable=SC2086
		env -u DATABASE_URL APP_ENV=test LLM_PROVIDER=mock RETRIEVER_PROVIDER=mock RATE_LIMIT_ENABLED=false \
			DB_POOL_SIZE=10 LOGGING_LEVEL=WARN PORT=$port DATA_DIR="$dir/data" DOTENV_PATH= $extra \
			"$JAVA_HOME/bin/java" -Xmx1g -jar "$jar" > server.log 2>&1 &
		echo $! > pid
	)
	local base="http://127.0.0.1:$port"
	for _ in $(seq 1 180); do
		curl -fsS "$base/api/health/ready" > /dev/null 2>&1 && break
		sleep 1
	done
	local name="bench_$RANDOM$RANDOM"
	curl -fsS -H 'Content-Type: application/json' \
		-d "{\"username\":\"$name\",\"email\":\"$name@example.com\",\"password\":\"bench-password-1\"}" \
		"$base/api/auth/register" > /dev/null
	local token
	token=$(curl -fsS -d "username=$name&password=bench-password-1" "$base/api/auth/token" |
		sed -E 's/.*"access_token":"([^"]+)".*/\1/')
	for i in $(seq 1 25); do
		curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			-d "{\"title\":\"listing $i\"}" "$base/api/chat/sessions" > /dev/null
	done
	wrk -t2 -c16 -d5s "$base/api/health" > /dev/null
	wrk -t2 -c16 -d5s -H "Authorization: Bearer $token" "$base/api/chat/sessions" > /dev/null
	local health listing
	local cpu_h0
	cpu_h0=$(cpu_ticks "$(cat "$dir/pid")" "$dir/data")
	health=$(wrk -t2 -c16 -d"${duration}s" --latency "$base/api/health" | tee "$dir/wrk-health.txt" |
		awk '/Requests\/sec/ {print $2}')
	if [ "${JFR:-0}" = 1 ]; then
		"$JAVA_HOME/bin/jcmd" "$(cat "$dir/pid")" JFR.start settings=profile duration="${duration}s" \
			filename="$dir/listing.jfr" > /dev/null
	fi
	local cpu_before cpu_health_us
	cpu_before=$(cpu_ticks "$(cat "$dir/pid")" "$dir/data")
	listing=$(wrk -t2 -c16 -d"${duration}s" --latency -H "Authorization: Bearer $token" "$base/api/chat/sessions" |
		tee "$dir/wrk-listing.txt" | awk '/Requests\/sec/ {print $2}')
	cpu_health_us=$(awk -v t=$((cpu_before - cpu_h0)) -v r="$(awk '/requests in/ {print $1}' "$dir/wrk-health.txt")" \
		-v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t * 1e6 / hz / r}')
	local cpu_after requests cpu_us
	cpu_after=$(cpu_ticks "$(cat "$dir/pid")" "$dir/data")
	requests=$(awk '/requests in/ {print $1}' "$dir/wrk-listing.txt")
	# Server-side CPU (JVM + PostgreSQL, not wrk) per listing request, in microseconds.
	cpu_us=$(awk -v t=$((cpu_after - cpu_before)) -v r="$requests" -v hz="$(getconf CLK_TCK)" \
		'BEGIN {printf "%.0f", t * 1e6 / hz / r}')
	if grep -q "Non-2xx" "$dir/wrk-listing.txt"; then
		echo "warning: non-2xx answers in $dir/wrk-listing.txt" >&2
	fi
	curl -fsS "$base/api/metrics" 2> /dev/null | grep -E '^auth_token_state_(lookups|listener_round_trips)_total' \
		> "$dir/metrics.txt" || true
	if [ "${JFR:-0}" = 1 ]; then sleep 2; fi
	kill "$(cat "$dir/pid")" 2> /dev/null || true
	for _ in $(seq 1 30); do kill -0 "$(cat "$dir/pid")" 2> /dev/null || break; sleep 1; done
	local ratio
	ratio=$(awk -v l="$listing" -v h="$health" 'BEGIN {printf "%.3f", l / h}')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$health" "$listing" "$ratio" "$cpu_us" \
		"$cpu_health_us" "$dir" |
		tee -a "$results"
	rm -rf "$dir/data"
}

for round in $(seq 1 "$rounds"); do
	for spec in "$@"; do
		run_one "${spec%%=*}" "$(realpath "${spec#*=}")" "$round"
	done
done

echo "medians (label, health req/s, listing req/s, ratio, server CPU µs per listing request, per health request):"
for spec in "$@"; do
	label=${spec%%=*}
	awk -F'\t' -v l="$label" '$1 == l {h[++n] = $3; s[n] = $4; r[n] = $5; c[n] = $6; d[n] = $7}
		function median(a, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		END {printf "%s\t%.0f\t%.0f\t%.3f\t%.0f\t%.0f\n", l, median(h, n), median(s, n), median(r, n), median(c, n), median(d, n)}' "$results"
done
