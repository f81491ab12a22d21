#!/usr/bin/env bash
# Debian's Chromium for the browser test (npm run test:editor) and the README screenshots: installed
# with apt-get if missing (about 15 s); playwright-core drives it, no browser download.
#   scripts/chromium.sh install
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

log() { printf '[chromium] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
	if (( EUID == 0 )); then "$@"
	elif command -v sudo >/dev/null; then sudo -n "$@" || die "needs root for: $* (sudo refused)"
	else die "needs root for: $*"
	fi
}

case "${1:-install}" in
	install)
		if [[ -x "$CHROMIUM" ]]; then
			log "already installed ($CHROMIUM)"
			exit 0
		fi
		log "installing chromium from Debian's packages"
		export DEBIAN_FRONTEND=noninteractive
		as_root apt-get update -qq
		as_root apt-get install -y -qq --no-install-recommends chromium >&2 || die "apt-get install chromium failed"
		[[ -x "$CHROMIUM" ]] || die "installed, but $CHROMIUM is still missing"
		log "installed ($CHROMIUM)"
		;;
	*) die "usage: scripts/chromium.sh install" ;;
esac
