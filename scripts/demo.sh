#!/usr/bin/env bash
# npm run demo: this package inside a real n8n on http://localhost:5678, against the local provider
# simulators, with the example workflows and credentials already imported and an owner login ready.
#
# First run: installs Node 24 + n8n 2.41.1 into ~/.cache/n8n-nodes-bulk-email-verify (about 7 minutes);
# later runs start in well under a minute. Ctrl-C stops everything this script started.
#
# Env: N8N_PORT (5678; n8n's task broker takes the next port), DEMO_SIM_PORT_BASE (4101, as the example credentials expect),
#      DEMO_JOB_DURATION_MS (5000), DEMO_USER_FOLDER (wiped and recreated on every run).
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNTIME="${REPO_DIR}/scripts/n8n-runtime.sh"
eval "$(bash "$RUNTIME" env)"

N8N_PORT="${N8N_PORT:-5678}"
# n8n's task broker (Code node runners) listens too: next to n8n, so a second demo (the browser test
# beside `npm run demo`) does not collide on n8n's default 5679.
BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$((N8N_PORT + 1))}"
SIM_PORT_BASE="${DEMO_SIM_PORT_BASE:-4101}"
JOB_DURATION_MS="${DEMO_JOB_DURATION_MS:-5000}"
USER_FOLDER="${DEMO_USER_FOLDER:-${CACHE_ROOT}/demo-user-folder}"
OWNER_EMAIL="demo@example.com"
OWNER_PASSWORD="BulkVerify-demo-1"
LOG_DIR="${USER_FOLDER}-logs"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

SIM_PID=""
N8N_PID=""
cleanup() {
	trap - INT TERM EXIT
	local pid
	for pid in $N8N_PID $SIM_PID; do
		kill -TERM -- "-$pid" 2>/dev/null || true
	done
	for _ in $(seq 20); do
		local alive=0
		for pid in $N8N_PID $SIM_PID; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
		(( alive )) || break
		sleep 1
	done
	for pid in $N8N_PID $SIM_PID; do kill -KILL -- "-$pid" 2>/dev/null || true; done
	[[ -n "$N8N_PID$SIM_PID" ]] && printf '\ndemo stopped (n8n and the simulators).\n'
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$N8N_PORT" "$BROKER_PORT" $((SIM_PORT_BASE)) $((SIM_PORT_BASE + 1)) $((SIM_PORT_BASE + 2)) $((SIM_PORT_BASE + 3)); do
	port_free "$port" || die "port $port is in use (another n8n or npm run simulators?); stop it or set N8N_PORT / DEMO_SIM_PORT_BASE"
done

say "1/6 n8n runtime"
bash "$RUNTIME" install

say "2/6 build, pack and load the package into a fresh n8n user folder"
if [[ ! -d "${REPO_DIR}/node_modules" ]]; then
	(cd "$REPO_DIR" && npm ci --no-audit --no-fund)
fi
rm -rf "$USER_FOLDER" "$LOG_DIR"
mkdir -p "$USER_FOLDER" "$LOG_DIR"
bash "$RUNTIME" load "$USER_FOLDER"

say "3/6 provider simulators (real clock, jobs take about $((JOB_DURATION_MS / 1000)) s)"
setsid node "${REPO_DIR}/test/simulators/cli.js" --port-base "$SIM_PORT_BASE" --job-duration-ms "$JOB_DURATION_MS" --verbose \
	>"${LOG_DIR}/simulators.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 30); do
	grep -q 'whoisxml' "${LOG_DIR}/simulators.log" 2>/dev/null && break
	kill -0 "$SIM_PID" 2>/dev/null || { cat "${LOG_DIR}/simulators.log" >&2; die "the simulators did not start"; }
	sleep 0.5
done
sed -n '3,6p' "${LOG_DIR}/simulators.log"

say "4/6 import credentials and example workflows"
credentials="${USER_FOLDER}/credentials.json"
workflows="${USER_FOLDER}/workflows"
mkdir -p "$workflows"
"$NODE24_BIN" -e '
	const [file, base] = process.argv.slice(1);
	const text = require("fs").readFileSync(file, "utf8");
	process.stdout.write(text.replace(/127\.0\.0\.1:(410[1-4])/g, (_, port) => `127.0.0.1:${Number(port) - 4101 + Number(base)}`));
' "${REPO_DIR}/examples/credentials.json" "$SIM_PORT_BASE" >"$credentials"
find "${REPO_DIR}/examples" -maxdepth 1 -name '*.json' ! -name credentials.json -exec cp {} "$workflows/" \;
bash "$RUNTIME" n8n "$USER_FOLDER" import:credentials --input="$credentials" >"${LOG_DIR}/import.log" 2>&1 || { cat "${LOG_DIR}/import.log"; die "import:credentials failed"; }
bash "$RUNTIME" n8n "$USER_FOLDER" import:workflow --separate --input="$workflows" >>"${LOG_DIR}/import.log" 2>&1 || { cat "${LOG_DIR}/import.log"; die "import:workflow failed"; }
# The completion trigger (example 2b) is published, so it fires when example 2a's job completes.
bash "$RUNTIME" n8n "$USER_FOLDER" publish:workflow --id=bvEx02bCompleted >>"${LOG_DIR}/import.log" 2>&1 || { cat "${LOG_DIR}/import.log"; die "publish:workflow failed"; }
grep -h 'Successfully imported' "${LOG_DIR}/import.log" || true

say "5/6 start n8n on http://localhost:${N8N_PORT}"
# The owner account comes from n8n's own headless setup (N8N_INSTANCE_OWNER_*, bcrypt hash).
OWNER_HASH="$("$NODE24_BIN" -e "process.stdout.write(require(process.argv[1]).hashSync(process.argv[2], 10))" \
	"${N8N_HOME}/node_modules/bcryptjs" "$OWNER_PASSWORD")"
N8N_PORT="$N8N_PORT" N8N_RUNNERS_BROKER_PORT="$BROKER_PORT" N8N_SECURE_COOKIE=false N8N_EDITOR_BASE_URL="http://localhost:${N8N_PORT}" \
	N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true N8N_INSTANCE_OWNER_EMAIL="$OWNER_EMAIL" \
	N8N_INSTANCE_OWNER_FIRST_NAME=Demo N8N_INSTANCE_OWNER_LAST_NAME=Owner N8N_INSTANCE_OWNER_PASSWORD_HASH="$OWNER_HASH" \
	setsid bash "$RUNTIME" n8n "$USER_FOLDER" start >"${LOG_DIR}/n8n.log" 2>&1 &
N8N_PID=$!
started=$SECONDS
printf 'waiting for n8n '
until curl -sf "http://127.0.0.1:${N8N_PORT}/healthz" >/dev/null 2>&1; do
	kill -0 "$N8N_PID" 2>/dev/null || { echo; tail -n 40 "${LOG_DIR}/n8n.log" >&2; die "n8n exited during start-up"; }
	(( SECONDS - started < 180 )) || { echo; tail -n 40 "${LOG_DIR}/n8n.log" >&2; die "n8n did not answer /healthz within 180 s"; }
	printf '.'
	sleep 1
done
# /healthz answers before the REST API is mounted; the editor is usable once /rest/settings answers.
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${N8N_PORT}/rest/settings")" == 200 ]]; do
	kill -0 "$N8N_PID" 2>/dev/null || { echo; tail -n 40 "${LOG_DIR}/n8n.log" >&2; die "n8n exited during start-up"; }
	(( SECONDS - started < 180 )) || { echo; tail -n 40 "${LOG_DIR}/n8n.log" >&2; die "the n8n REST API did not come up within 180 s"; }
	printf '.'
	sleep 1
done
echo " up after $((SECONDS - started)) s"

say "6/6 check the owner login"
login_status="$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -H 'browser-id: demo-check' \
	-d "{\"emailOrLdapLoginId\":\"${OWNER_EMAIL}\",\"password\":\"${OWNER_PASSWORD}\"}" "http://127.0.0.1:${N8N_PORT}/rest/login")"
[[ "$login_status" == 200 ]] || die "owner login answered HTTP ${login_status}; see ${LOG_DIR}/n8n.log"
echo "login OK"

cat <<EOF

================================================================================
 n8n with n8n-nodes-bulk-email-verify is running:  http://localhost:${N8N_PORT}
   email:    ${OWNER_EMAIL}
   password: ${OWNER_PASSWORD}

 Open it, go to Overview (Workflows) and try:
   1. "Bulk Verify example 1: verify leads ..." -> Execute workflow. 12 leads are
      verified (Bouncify simulator); the Switch sends 5 to the campaign stand-in
      and 7 to a review CSV. Click the nodes to see the items and the CSV.
   2. "Bulk Verify example 2a: upload the daily sign-up list ..." -> Execute
      workflow (uploads 1,000 rows to WhoisXML). Within about a minute the
      published "example 2b" fires for the completed job (Overview -> Executions)
      and routes the results CSV on.
   3. The four "Bulk Verify example 3" workflows show each provider's own
      operations (Bouncify start/delete, SimpleCold CSV file, WhoisXML Get Many,
      Check365 inline results).
   4. "Bulk Verify example 4: a second opinion ..." -> Execute workflow. Check365
      re-verifies only the 6 leads Bouncify left unknown or risky and settles 3.
   5. "Bulk Verify example 5: check the credits, estimate, then upload" -> the
      balance and an Estimate before any paid call, then the upload.
 Credentials (Overview -> Credentials) point at the simulators on 127.0.0.1:${SIM_PORT_BASE}-$((SIM_PORT_BASE + 3)).
 Every address is judged by its prefix: good* deliverable, bad* undeliverable,
 catchall* catch-all, unknown* unknown, hard* settled by some providers only.

 Logs: ${LOG_DIR}     Ctrl-C stops n8n and the simulators.
================================================================================
EOF

wait "$N8N_PID" || true
echo "n8n exited; see ${LOG_DIR}/n8n.log"
