#!/usr/bin/env bash
# Set up if needed, build the KB index if the KB changed, train Rasa if its data
# changed, then run Rasa (port 5005) and the bot service (port 5055) in the
# foreground until Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
.venv/bin/bot kb build
scripts/train.sh
source scripts/rasa-env.sh

RASA_PORT="${RASA_PORT:-5005}"
BOT_PORT="${BOT_PORT:-5055}"
export BOT_PORT RASA_URL="${RASA_URL:-http://127.0.0.1:$RASA_PORT}"
# Rasa's HTTP API carries agents' replies to the customer and resumes the bot;
# the bot service holds the same token. A fresh one per run unless set.
export SVAR_RASA_TOKEN="${SVAR_RASA_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export RASA_TOKEN="$SVAR_RASA_TOKEN"
# Rasa calls the action endpoint with this token (endpoints.yml); the bot service requires it.
export SVAR_ACTION_TOKEN="${SVAR_ACTION_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
# Both servers hash sender ids in log lines with this key (svar_privacy/ids.py): one key,
# so that a conversation can be followed across them. Set it to keep it across runs.
export SVAR_LOG_KEY="${SVAR_LOG_KEY:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
# Both servers listen on loopback unless told otherwise; production puts a reverse proxy
# in front (docs/deployment.md, "Deployment").
RASA_INTERFACE="${RASA_INTERFACE:-127.0.0.1}"
# Plain http on localhost: the staff session cookie cannot be `Secure` (docs/deployment.md, "Security").
export BOT_INSECURE_COOKIES="${BOT_INSECURE_COOKIES:-1}"

pids=()
stop() {
    trap - INT TERM EXIT
    echo; echo "run: stopping"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

.venv/bin/bot serve &
pids+=($!)
.venv-rasa/bin/rasa run --model models/current.tar.gz --endpoints endpoints.yml \
    --credentials credentials.yml --port "$RASA_PORT" --interface "$RASA_INTERFACE" --cors "*" \
    --enable-api --auth-token "$SVAR_RASA_TOKEN" &
pids+=($!)

for _ in $(seq 1 180); do
    if curl -fs "http://127.0.0.1:$RASA_PORT/" >/dev/null && curl -fs "http://127.0.0.1:$BOT_PORT/status" >/dev/null; then
        echo
        echo "Svar is running:"
        echo "  Rasa REST channel   http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook"
        echo "  Rasa socket.io      http://127.0.0.1:$RASA_PORT/socket.io"
        echo "  bot service status  http://127.0.0.1:$BOT_PORT/status"
        echo "  widget demo page    http://127.0.0.1:$BOT_PORT/demo   (open it in a browser)"
        echo "Try: curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{\"sender\":\"me\",\"message\":\"How long does delivery take?\"}'"
        echo "Ctrl-C stops both."
        break
    fi
    if ! kill -0 "${pids[@]}" 2>/dev/null; then echo "run: a process exited during start-up" >&2; exit 1; fi
    sleep 1
done
wait -n "${pids[@]}"
