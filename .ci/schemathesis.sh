#!/usr/bin/env bash
# Fuzz the live REST API with schemathesis, once with a staff token and once with a firm token:
# no 5xx and no response outside the published schema. Needs DATABASE_URL (PostgreSQL); starts
# its own gunicorn on 127.0.0.1 and stops only that process. Bounded to under three minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to test against}"
BIN=.venv/bin
PER_TOKEN_SECONDS=${SCHEMATHESIS_SECONDS:-50}
export DJANGO_SETTINGS_MODULE=hub.settings.local
export DJANGO_DEBUG=0
# Fuzzed webhook URLs are random host names: resolving each one would spend the time budget on
# DNS timeouts, and no delivery happens here anyway (no worker runs).
export HUB_WEBHOOK_ALLOW_PRIVATE=1
export API_THROTTLE_RATE=100000/minute

$BIN/python manage.py migrate --noinput --verbosity 0
# DEBUG off: pages (a 404 included) name their static files through the collected manifest.
$BIN/python manage.py collectstatic --noinput --verbosity 0
if [ "$($BIN/python manage.py shell --verbosity 0 -c 'from firms.models import Firm; print(Firm.objects.filter(verification_state="VERIFIED").exists())')" != "True" ]; then
  $BIN/python manage.py seed_demo
  $BIN/python manage.py rematch --sync
fi

PORT=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
$BIN/gunicorn hub.wsgi:application --bind "127.0.0.1:$PORT" --workers 3 --timeout 30 \
  --access-logfile /dev/null --error-logfile "$LOG" &
GUNICORN_PID=$!
stop_server() {
  kill "$GUNICORN_PID" 2>/dev/null || true
  wait "$GUNICORN_PID" 2>/dev/null || true
}
trap stop_server EXIT

for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null

FIRM=$($BIN/python manage.py shell --verbosity 0 -c 'from firms.models import Firm; print(Firm.objects.filter(verification_state="VERIFIED").order_by("pk").values_list("companies_house_number", flat=True).first())')
STAFF_TOKEN=$($BIN/python manage.py create_api_client "schemathesis staff" --staff --expires-days 1 | tail -n 1)
FIRM_TOKEN=$($BIN/python manage.py create_api_client "schemathesis firm" --firm "$FIRM" --expires-days 1 | tail -n 1)

status=0
for who in staff firm; do
  if [ "$who" = staff ]; then token=$STAFF_TOKEN; else token=$FIRM_TOKEN; fi
  # One worker: hypothesis's lambda-source cache is not thread-safe and errors under several.
  echo "== schemathesis with the $who token (at most ${PER_TOKEN_SECONDS}s)"
  timeout --signal=INT $((PER_TOKEN_SECONDS + 20)) \
    $BIN/schemathesis run "http://127.0.0.1:$PORT/api/schema/" \
      --header "Authorization: Token $token" \
      --checks not_a_server_error,response_schema_conformance \
      --phases examples,coverage,fuzzing \
      --max-examples 25 \
      --max-time "$PER_TOKEN_SECONDS" \
      --workers 1 \
      --seed 1 \
      --request-timeout 10 \
      --generation-database none \
      --suppress-health-check all \
      --no-color || status=$?
done

if grep -q "Traceback" "$LOG"; then
  echo "gunicorn logged errors:"
  cat "$LOG"
  status=1
fi
rm -f "$LOG"
exit "$status"
