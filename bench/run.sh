#!/usr/bin/env bash
# make bench: measures ISCG on loopback against PostgreSQL and Redis (see bench/README.md).
#   SCALE=department|national (default department), DURATION=60s per load level,
#   THINK=1,3 (seconds between two pages of one of the 20 users),
#   BENCH_DB=iscg_bench_<scale>, PG=postgres://postgres@127.0.0.1:5432, REDIS_URL.
# Generates the database once (kept between runs), starts gunicorn and a real Celery
# worker, drives them with locust headless (1 user, 20 users, then 20 users without reading
# time to find the saturation point; bounded in time), then prints
# the table and writes bench/results.json. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCALE:-department}
DURATION=${DURATION:-60s}
# Seconds between two pages of one of the 20 users ("min,max"): a person reading the page.
THINK=${THINK:-1,3}
PORT=${PORT:-8777}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
BENCH_DB=${BENCH_DB:-iscg_bench_${SCALE}}
export DATABASE_URL="${PG}/${BENCH_DB}"
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/13}
export DJANGO_SETTINGS_MODULE=iscg.settings.bench
export BENCH_MAIL_DIR=${BENCH_MAIL_DIR:-$(mktemp -d)}
PY=.venv/bin/python
OUT=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if ! psql "${PG}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '${BENCH_DB}'" | grep -q 1; then
  psql "${PG}/postgres" -qc "CREATE DATABASE ${BENCH_DB}"
fi
$PY manage.py migrate --noinput -v0
ACTIONS=$($PY manage.py shell --no-imports -c "from cases.models import Action; print(Action.objects.count())")
if [[ "$ACTIONS" -lt 50000 ]]; then
  echo "Génération des données (${SCALE})…"
  $PY manage.py bench_generate --scale "$SCALE" --i-know-this-is-not-production
fi
$PY manage.py bench_prepare
# The preview of the largest activity import accepted: peak memory and time.
$PY manage.py bench_import --output bench/import_memory.json
redis-cli -u "$REDIS_URL" flushdb >/dev/null

# As deployed (docker-compose.yml): three synchronous workers.
.venv/bin/gunicorn iscg.wsgi:application --bind "127.0.0.1:${PORT}" --workers 3 \
  --log-level warning &
GUNICORN=$!
PIDS+=("$GUNICORN")
.venv/bin/celery -A iscg worker --pool solo -l warning &
PIDS+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:${PORT}/health/" >/dev/null && break; sleep 0.2; done

$PY manage.py bench_report --targets bench/targets.json --base-url "http://127.0.0.1:${PORT}" \
  --notification-only "${OUT}/notification.json"

# Statistics start once every user is spawned (--reset-stats): each simulated user signs in
# with four accounts when it starts, and that password hashing is not a page's latency.
LOCUST=(.venv/bin/locust -f bench/locustfile.py --headless --host "http://127.0.0.1:${PORT}"
        --run-time "$DURATION" --stop-timeout 5 --only-summary --loglevel WARNING
        --reset-stats)
echo "Charge : 1 utilisateur pendant ${DURATION}…"
BENCH_THINK=0.05,0.2 "${LOCUST[@]}" -u 1 -r 1 --csv "${OUT}/u1" >/dev/null 2>&1 || true
echo "Charge : 20 utilisateurs (${THINK} s entre deux pages) pendant ${DURATION}…"
BENCH_THINK=$THINK "${LOCUST[@]}" -u 20 -r 10 --csv "${OUT}/u20" >/dev/null 2>&1 || true
echo "Saturation : 20 utilisateurs sans temps de lecture pendant ${DURATION}…"
BENCH_THINK=0.05,0.2 "${LOCUST[@]}" -u 20 -r 10 --csv "${OUT}/sat" >/dev/null 2>&1 || true

$PY manage.py bench_report --scale "$SCALE" --locust "${OUT}/" --gunicorn-pid "$GUNICORN" \
  --notification-file "${OUT}/notification.json"

# Every list and object page of every role, in the process: time, queries, rows read.
$PY manage.py bench_pages --scale "$SCALE"
