#!/usr/bin/env bash
# The production shape on one machine: REPLICAS Rasa and REPLICAS bot-service processes
# behind HAProxy on Rasa's 5005 and the bot service's 5055 (as `make run`), PostgreSQL for
# Rasa's tracker store and the application database, Redis for Rasa's lock store and the
# connectors' shared state. Ctrl-C stops everything. docs/deployment.md, "Replicas".
set -euo pipefail
cd "$(dirname "$0")/.."

command -v haproxy >/dev/null || { echo "run-cluster: needs haproxy (apt-get install haproxy)" >&2; exit 1; }
scripts/setup.sh
# Staff sessions are in the database, so a login works on every replica; these tokens
# must be the same for all of them, hence fixed for the run here.
export SVAR_RASA_TOKEN="${SVAR_RASA_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export SVAR_ACTION_TOKEN="${SVAR_ACTION_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
export BOT_INDEX_DIR="${BOT_INDEX_DIR:-$PWD/kb_index}"
exec .venv/bin/python -m bench.cluster --replicas "${REPLICAS:-2}"
