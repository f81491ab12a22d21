#!/usr/bin/env bash
# Redis and PostgreSQL for n8n's queue mode (npm run test:queue), from Debian's packages.
#
#   scripts/queue-services.sh install   installs redis-server and postgresql with apt-get if missing
#                                       (as root, or through sudo); nothing is started or enabled
#   scripts/queue-services.sh env       prints REDIS_SERVER='…' and PG_BIN='…' (the server programs)
#
# The test starts its own servers from these programs, on loopback ports, with data in a temp folder.
set -euo pipefail

log() { printf '[queue-services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

redis_server() { command -v redis-server || true; }

# The newest PostgreSQL server installed by Debian's postgresql-NN packages.
pg_bin() {
	local dir
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[[ -x "$dir/initdb" && -x "$dir/postgres" ]] && { echo "$dir"; return; }
	done
}

as_root() {
	if (( EUID == 0 )); then "$@"
	elif command -v sudo >/dev/null; then sudo -n "$@" || die "needs root for: $* (sudo refused)"
	else die "needs root for: $*"
	fi
}

cmd_install() {
	local missing=()
	[[ -n "$(redis_server)" ]] || missing+=(redis-server)
	[[ -n "$(pg_bin)" ]] || missing+=(postgresql)
	if (( ${#missing[@]} == 0 )); then
		log "Redis and PostgreSQL already installed"
		return
	fi
	log "installing ${missing[*]} from Debian's packages (about a minute)"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -qq
	# policy-rc.d refuses service starts: the packages must not start system-wide servers.
	local policy=/usr/sbin/policy-rc.d created_policy=0
	if [[ ! -e $policy ]]; then
		as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
		created_policy=1
	fi
	local status=0
	as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || status=$?
	(( created_policy )) && as_root rm -f "$policy"
	(( status == 0 )) || die "apt-get install ${missing[*]} failed (exit $status)"
	[[ -n "$(redis_server)" && -n "$(pg_bin)" ]] || die "installed, but redis-server or initdb/postgres is still missing"
	log "installed ${missing[*]}"
}

cmd_env() {
	printf "REDIS_SERVER='%s'\nPG_BIN='%s'\n" "$(redis_server)" "$(pg_bin)"
}

case "${1:-}" in
	install) cmd_install ;;
	env) cmd_env ;;
	*) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
