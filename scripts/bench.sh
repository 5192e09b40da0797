#!/usr/bin/env bash
# Benchmarks (tests/bench): generate a cooperative of a given size on a fresh database and
# time the batch jobs. Not part of the test suite. Usage: scripts/bench.sh [pytest args]
set -euo pipefail
# shellcheck source=scripts/odoo_env.sh
source "$(dirname "$0")/odoo_env.sh"
cd "$KOPDES_ROOT"
require_odoo
require_postgres
DB="kopdes_bench_$(date +%Y%m%d%H%M%S)_$$"
CONF="$(mktemp -t kopdes-odoo-XXXXXX.conf)"
export KOPDES_DATA_DIR="$(mktemp -d -t kopdes-data-XXXXXX)"
write_odoo_conf "$CONF" "$DB"
trap 'dropdb -p "$PGPORT_ODOO" -U "$PGUSER_ODOO" --if-exists "$DB" >/dev/null 2>&1; rm -rf "$CONF" "$KOPDES_DATA_DIR"' EXIT
"$PYTHON" -m odoo -c "$CONF" -d "$DB" -i "$(kopdes_addons)" --without-demo=all --stop-after-init --log-level=warn
"$PYTHON" -m pytest -c "$KOPDES_ROOT/pytest.ini" -o norecursedirs= -o "python_files=bench_*.py" -s --odoo-config="$CONF" --odoo-database="$DB" \
    --odoo-http "$KOPDES_ROOT/tests/bench" "$@"
