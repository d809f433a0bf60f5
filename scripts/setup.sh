#!/usr/bin/env bash
# Create the two Python environments Svar needs, idempotently.
#   .venv/       Python 3.11: the bot service (bot/, actions/), tests, tooling
#   .venv-rasa/  Python 3.10: Rasa 3.6.21
# Each environment carries a stamp with the checksum of its lock file; when the
# stamp matches, nothing is done. Interpreters: SVAR_PYTHON311 / SVAR_PYTHON310,
# else pyenv (3.11.x / 3.10.13), else python3.11 / python3.10 on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {  # $1 = minor version (3.10), $2 = pyenv version, $3 = override
    if [[ -n "${3:-}" ]]; then echo "$3"; return; fi
    if command -v pyenv >/dev/null 2>&1; then
        local prefix
        prefix="$(pyenv prefix "$2" 2>/dev/null || true)"
        if [[ -n "$prefix" && -x "$prefix/bin/python$1" ]]; then echo "$prefix/bin/python$1"; return; fi
    fi
    if command -v "python$1" >/dev/null 2>&1; then command -v "python$1"; return; fi
    echo "setup: no Python $1 found; set SVAR_PYTHON${1/./}" >&2
    exit 1
}

pip_quiet() {  # pip's output only when it fails (this machine's index warns on every package)
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then grep -v "is ignored: it is neither" "$log" >&2; rm -f "$log"; return 1; fi
    rm -f "$log"
}

lock_sum() { cat "$@" | sha256sum | cut -c1-16; }

make_env() {  # $1 = venv dir, $2 = python, $3 = stamp, then install commands via callback
    local venv="$1" python="$2" stamp="$3"
    if [[ -f "$venv/.svar-stamp" && "$(cat "$venv/.svar-stamp")" == "$stamp" ]]; then
        echo "setup: $venv is up to date"
        return 1
    fi
    echo "setup: creating $venv with $("$python" --version)"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    pip_quiet "$venv/bin/python" -m pip install --quiet --upgrade pip setuptools wheel
    return 0
}

PY311="$(find_python 3.11 3.11.7 "${SVAR_PYTHON311:-}")"
PY310="$(find_python 3.10 3.10.13 "${SVAR_PYTHON310:-}")"

BOT_STAMP="$(lock_sum requirements/bot.lock pyproject.toml)"
if make_env .venv "$PY311" "$BOT_STAMP"; then
    # torch first and pinned: anything else would pull a CUDA build of several GB.
    pip_quiet .venv/bin/pip install --quiet "torch==2.13.0"
    pip_quiet .venv/bin/pip install --quiet -r requirements/bot.lock
    pip_quiet .venv/bin/pip install --quiet --no-deps -e .
    echo "$BOT_STAMP" > .venv/.svar-stamp
fi

RASA_STAMP="$(lock_sum requirements/rasa.lock)"
if make_env .venv-rasa "$PY310" "$RASA_STAMP"; then
    pip_quiet .venv-rasa/bin/pip install --quiet -r requirements/rasa.lock
    echo "$RASA_STAMP" > .venv-rasa/.svar-stamp
fi

# Headless-browser checks of the console pages: Debian's chromium (never `playwright install`,
# which downloads a browser build) and the pinned Python driver, with a stamp of their own.
if ! command -v chromium >/dev/null 2>&1; then
    echo "setup: installing chromium (apt)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; then
        echo "setup: could not install chromium; the browser tests will be skipped" >&2
    fi
fi
# The load balancer of the replica tests and `make run-cluster` (tests/replicas/test_cluster.py).
if ! command -v haproxy >/dev/null 2>&1; then
    echo "setup: installing haproxy (apt)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; } >/dev/null 2>&1; then
        echo "setup: could not install haproxy; the cluster test will fail" >&2
    fi
fi
BROWSER_STAMP="$(lock_sum requirements/browser.lock)"
if [[ "$(cat .venv/.svar-browser-stamp 2>/dev/null || true)" != "$BROWSER_STAMP" ]]; then
    pip_quiet .venv/bin/pip install --quiet -r requirements/browser.lock
    echo "$BROWSER_STAMP" > .venv/.svar-browser-stamp
fi
