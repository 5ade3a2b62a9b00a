#!/usr/bin/env bash
# Web server, Celery worker and beat in one foreground command; Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$VENV/bin/celery" -A config worker --beat --loglevel=INFO --concurrency=2 &
pids+=($!)
"$VENV/bin/python" manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

echo
echo "UV Leads is running at http://$HOST:$PORT/  (Ctrl-C stops web, worker and beat)"
"$VENV/bin/python" manage.py seed_demo --show-logins
echo

# Stop everything as soon as any one of them exits.
wait -n "${pids[@]}"
