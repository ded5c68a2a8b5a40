# Sourced by psql.sh and flyway.sh: finds the service's database the way the service does.
# DATABASE_URL from the environment or ./.env (postgresql://user:pass@host:port/db or the
# jdbc:postgresql:// form); without it, the embedded PostgreSQL of a running zero-setup
# instance, whose port is in postmaster.pid under EMBEDDED_DB_DIR (default $DATA_DIR/postgres,
# DATA_DIR default ./data) and whose password is in the file EMBEDDED_DB_DIR.password.
# Sets DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, DB_SOURCE.

. "$(dirname "${BASH_SOURCE[0]}")/settings.sh"

url="$(setting DATABASE_URL)"
if [ -n "$url" ]; then
	url="${url#jdbc:}"
	url="${url#postgresql://}"
	url="${url#postgres://}"
	query=""
	case "$url" in *\?*) query="${url#*\?}"; url="${url%%\?*}" ;; esac
	credentials=""
	case "$url" in *@*) credentials="${url%@*}"; url="${url##*@}" ;; esac
	DB_USER="$(urldecode "${credentials%%:*}")"
	DB_PASSWORD=""
	case "$credentials" in *:*) DB_PASSWORD="$(urldecode "${credentials#*:}")" ;; esac
	for pair in ${query//&/ }; do
		case "$pair" in
			user=*) DB_USER="$(urldecode "${pair#user=}")" ;;
			password=*) DB_PASSWORD="$(urldecode "${pair#password=}")" ;;
		esac
	done
	hostport="${url%%/*}"
	DB_NAME="${url#*/}"
	[ "$DB_NAME" != "$url" ] || DB_NAME=postgres
	DB_HOST="${hostport%:*}"
	DB_PORT=5432
	case "$hostport" in *:*) DB_PORT="${hostport##*:}" ;; esac
	DB_SOURCE="DATABASE_URL"
else
	data_dir="$(setting DATA_DIR)"
	embedded_dir="$(setting EMBEDDED_DB_DIR)"
	embedded_dir="${embedded_dir:-${data_dir:-./data}/postgres}"
	if [ ! -f "$embedded_dir/postmaster.pid" ]; then
		echo "No DATABASE_URL and no running embedded PostgreSQL in $embedded_dir:" >&2
		echo "start the service first (./mvnw spring-boot:run), or set DATABASE_URL." >&2
		exit 1
	fi
	DB_HOST=localhost
	DB_PORT="$(sed -n 4p "$embedded_dir/postmaster.pid")"
	DB_NAME=postgres
	DB_USER=postgres
	# The service gives the embedded cluster a random password, kept owner-only beside it.
	DB_PASSWORD=""
	if [ -f "$embedded_dir.password" ]; then
		DB_PASSWORD="$(tr -d '[:space:]' < "$embedded_dir.password")"
	fi
	DB_SOURCE="embedded PostgreSQL in $embedded_dir"
fi
