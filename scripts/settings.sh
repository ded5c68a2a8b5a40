# Sourced by the scripts that read the service's settings the way the service does: a
# variable from the environment, else from ./.env (the last assignment, quotes removed).

dotenv_value() {
	[ -f .env ] || return 0
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" .env | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"
}

setting() {
	local value="${!1:-}"
	if [ -z "$value" ]; then value="$(dotenv_value "$1")"; fi
	printf '%s' "$value"
}

urldecode() {
	local text="${1//+/ }"
	printf '%b' "${text//%/\\x}"
}
