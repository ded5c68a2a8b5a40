#!/usr/bin/env bash
# The Flyway Maven plugin against the service's database, found as the service finds it
# (DATABASE_URL from the environment or .env, else the running embedded PostgreSQL):
#   scripts/flyway.sh info | migrate | validate
# FLYWAY_URL/FLYWAY_USER/FLYWAY_PASSWORD, when set, win (the plugin's own variables).
set -euo pipefail
cd "$(dirname "$0")/.."
goal="${1:-info}"
. scripts/settings.sh
if [ -z "${FLYWAY_URL:-}" ]; then
	. scripts/db-env.sh
	export FLYWAY_URL="jdbc:postgresql://$DB_HOST:$DB_PORT/$DB_NAME"
	export FLYWAY_USER="$DB_USER" FLYWAY_PASSWORD="$DB_PASSWORD"
	echo "Flyway $goal on $DB_SOURCE: $FLYWAY_URL" >&2
fi
# Migration 8 (a Java migration) reads ADMIN_USERNAMES, as the service does: from the
# environment, else .env. "compile" puts it on the plugin's class path.
ADMIN_USERNAMES="$(setting ADMIN_USERNAMES)"
export ADMIN_USERNAMES
exec ./mvnw -B compile "flyway:$goal"
