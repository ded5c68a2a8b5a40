#!/usr/bin/env bash
# A psql shell on the service's database: DATABASE_URL (environment or .env) when set, otherwise
# the embedded PostgreSQL of the zero-setup instance running from this directory. Arguments go
# to psql:  scripts/psql.sh -c 'SELECT count(*) FROM users'
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/db-env.sh
command -v psql >/dev/null || { echo "psql is not installed (Debian/Ubuntu: apt-get install postgresql-client)." >&2; exit 1; }
echo "psql on $DB_SOURCE: $DB_USER@$DB_HOST:$DB_PORT/$DB_NAME" >&2
PGPASSWORD="$DB_PASSWORD" exec psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" "$@"
