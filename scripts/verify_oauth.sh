#!/usr/bin/env bash
# Checks the OAuth sign-in settings and prints the callback URLs to register with GitHub and
# Google. Reads the same settings as the service: the environment first, then the .env file
# of the working directory (or $DOTENV_PATH). Talks to no provider; never prints a secret.
#
#   ./scripts/verify_oauth.sh            # exit status 0: usable; 1: something to fix
set -uo pipefail

errors=0
warnings=0
error() { echo "  ERROR: $*"; errors=$((errors + 1)); }
warn() { echo "  WARNING: $*"; warnings=$((warnings + 1)); }

# --- Settings: environment first, then the dotenv file (same dialect as the service) -------
dotenv="${DOTENV_PATH-.env}"
declare -A file_values=()
if [ -n "$dotenv" ] && [ -f "$dotenv" ]; then
	while IFS= read -r raw || [ -n "$raw" ]; do
		line="${raw#"${raw%%[![:space:]]*}"}"
		line="${line%"${line##*[![:space:]]}"}"
		[ -z "$line" ] && continue
		[ "${line:0:1}" = "#" ] && continue
		line="${line#export }"
		key="${line%%=*}"
		[ "$key" = "$line" ] && continue
		key="${key%"${key##*[![:space:]]}"}"
		[[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_.]*$ ]] || continue
		value="${line#*=}"
		value="${value#"${value%%[![:space:]]*}"}"
		if [[ "$value" =~ ^\'(.*)\'$ ]] || [[ "$value" =~ ^\"(.*)\"$ ]]; then
			value="${BASH_REMATCH[1]}"
		else
			value="${value%% #*}"
		fi
		file_values["$key"]="$value"
	done <"$dotenv"
fi

setting() { # name default
	if [ -n "${!1+set}" ]; then
		printf '%s' "${!1}"
	elif [ -n "${file_values[$1]+set}" ]; then
		printf '%s' "${file_values[$1]}"
	else
		printf '%s' "$2"
	fi
}

describe_secret() { # value
	if [ -z "$1" ]; then echo "not set"; else echo "set"; fi
}

app_env="$(setting APP_ENV development)"
enabled="$(setting OAUTH_ENABLED_PROVIDERS google,github)"
base="$(setting OAUTH_REDIRECT_BASE_URL http://127.0.0.1:8000)"
frontend="$(setting FRONTEND_URL http://localhost:5173)"
cookie_secure="$(setting AUTH_COOKIE_SECURE false)"
same_site="$(setting AUTH_COOKIE_SAMESITE lax)"

echo "OAuth settings (APP_ENV=$app_env; $( [ -n "$dotenv" ] && [ -f "$dotenv" ] && echo "read $dotenv and the environment" || echo "environment only, no $dotenv"))"
echo
echo "Service:"
echo "  OAUTH_REDIRECT_BASE_URL=$base"
echo "  FRONTEND_URL=$frontend"
echo "  AUTH_COOKIE_SECURE=$cookie_secure  AUTH_COOKIE_SAMESITE=$same_site"
url_pattern='^https?://[^/?#[:space:]]+(/[^?#[:space:]]*)?$'
if ! [[ "$base" =~ $url_pattern ]]; then
	error "OAUTH_REDIRECT_BASE_URL must be the API's public origin, like https://api.example.com"
fi
if [[ "$base" == */ ]]; then
	warn "OAUTH_REDIRECT_BASE_URL ends with '/'; the callback URLs below are built without it"
	base="${base%/}"
fi
if ! [[ "$frontend" =~ $url_pattern ]]; then
	error "FRONTEND_URL must be the web client's origin, like https://chat.example.com"
fi
local_host_pattern='^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?(/|$)'
if [[ "$base" == http://* ]] && ! [[ "$base" =~ $local_host_pattern ]]; then
	if [ "$app_env" = "production" ] || [ "$app_env" = "prod" ]; then
		error "OAUTH_REDIRECT_BASE_URL is plain http in production; providers send the sign-in code to it"
	else
		warn "OAUTH_REDIRECT_BASE_URL is plain http on a non-local host; use https outside development"
	fi
fi
host_of() { # url -> its host name, lower case
	local rest="${1#*://}"
	rest="${rest%%/*}"
	rest="${rest##*@}"
	if [[ "$rest" == \[* ]]; then rest="${rest%%]*}]"; else rest="${rest%%:*}"; fi
	echo "$rest" | tr '[:upper:]' '[:lower:]'
}
api_host="$(host_of "$base")"
frontend_host="$(host_of "$frontend")"
if [ "$api_host" != "$frontend_host" ] && { [[ "$base" =~ $local_host_pattern ]] || [[ "$frontend" =~ $local_host_pattern ]]; }; then
	warn "the API ($api_host) and the web client ($frontend_host) use different host names: browsers keep cookies per host, so sign-in fails (state mismatch, or signed out right after). Use one name in OAUTH_REDIRECT_BASE_URL, FRONTEND_URL and the address you open, e.g. 127.0.0.1 everywhere"
fi
if [[ "$base" == https://* ]] && [ "$cookie_secure" != "true" ]; then
	warn "the API is served over https but AUTH_COOKIE_SECURE is not true: cookies would also travel over http"
fi
if [ "$same_site" = "none" ] && [ "$cookie_secure" != "true" ]; then
	error "AUTH_COOKIE_SAMESITE=none requires AUTH_COOKIE_SECURE=true (browsers drop such cookies otherwise)"
fi

configured=0
IFS=',' read -r -a providers <<<"$enabled"
listed=0
for entry in "${providers[@]}"; do
	provider="$(echo "$entry" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')"
	[ -z "$provider" ] && continue
	listed=$((listed + 1))
	echo
	case "$provider" in
		github)
			label="GitHub"
			where="GitHub > Settings > Developer settings > OAuth Apps > your app: 'Authorization callback URL'"
			;;
		google)
			label="Google"
			where="Google Cloud console > APIs & Services > Credentials > OAuth client (Web application): 'Authorized redirect URIs'"
			;;
		*)
			echo "Provider '$provider':"
			error "unknown provider in OAUTH_ENABLED_PROVIDERS (known: github, google)"
			continue
			;;
	esac
	upper="$(echo "$provider" | tr '[:lower:]' '[:upper:]')"
	id="$(setting "OAUTH_${upper}_CLIENT_ID" "")"
	secret="$(setting "OAUTH_${upper}_CLIENT_SECRET" "")"
	echo "$label:"
	echo "  OAUTH_${upper}_CLIENT_ID: $( [ -n "$id" ] && echo "$id" || echo "not set")"
	echo "  OAUTH_${upper}_CLIENT_SECRET: $(describe_secret "$secret")"
	if [ -n "$id" ] && [ -n "$secret" ]; then
		configured=$((configured + 1))
	else
		missing=()
		[ -z "$id" ] && missing+=("OAUTH_${upper}_CLIENT_ID")
		[ -z "$secret" ] && missing+=("OAUTH_${upper}_CLIENT_SECRET")
		error "$label is enabled but ${missing[*]} not set: its sign-in button would answer 503"
	fi
	if [ "$provider" = "google" ] && [ -n "$id" ] && [[ "$id" != *.apps.googleusercontent.com ]]; then
		warn "a Google client id normally ends with .apps.googleusercontent.com"
	fi
	echo "  Register this callback URL: $base/api/auth/oauth/$provider/callback"
	echo "    where: $where"
	echo "  Sign-in starts at:          $base/api/auth/oauth/$provider"
done

echo
if [ "$listed" -eq 0 ]; then
	echo "OAUTH_ENABLED_PROVIDERS is empty: OAuth sign-in is switched off."
fi
echo "After a provider sign-in the browser lands on: ${frontend%/}/oauth/handoff"
echo
if [ "$errors" -gt 0 ]; then
	echo "$errors problem(s), $warnings warning(s): fix the settings above (.env.example documents them)."
	exit 1
fi
echo "OK: $configured provider(s) ready, $warnings warning(s)."
