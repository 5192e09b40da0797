#!/usr/bin/env bash
# The whole KopDes test suite on a freshly created database:
#   plain-Python and Odoo tests of every addon, cross-addon tests in tests/,
#   browser tours (headless Chromium), then ruff and pylint-odoo.
# Usage: scripts/test.sh [extra pytest arguments]
set -euo pipefail
# shellcheck source=scripts/odoo_env.sh
source "$(dirname "$0")/odoo_env.sh"
cd "$KOPDES_ROOT"

echo "== Python requirements"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements.txt ||
    die "could not install requirements.txt"

echo "== Odoo and PostgreSQL"
require_odoo
require_postgres
echo "Odoo 18.0 from $ODOO_DIR"

echo "== Chromium (tours) and wkhtmltopdf (PDF reports)"
missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null ||
            die "could not install Debian's ${missing[*]} (needed by the tours and the PDF tests)"
    else
        die "missing ${missing[*]}: install Debian's packages (needed by the tours and the PDF tests)"
    fi
fi

DB="kopdes_test_$(date +%Y%m%d%H%M%S)_$$"
CONF="$(mktemp -t kopdes-odoo-XXXXXX.conf)"
export KOPDES_DATA_DIR="$(mktemp -d -t kopdes-data-XXXXXX)"
write_odoo_conf "$CONF" "$DB"
cleanup() {
    dropdb ${PGHOST_ODOO:+-h "$PGHOST_ODOO"} -p "$PGPORT_ODOO" -U "$PGUSER_ODOO" --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$CONF" "$KOPDES_DATA_DIR"
}
trap cleanup EXIT

ADDONS="$(kopdes_addons)"
echo "== Fresh database $DB with demo data: $ADDONS"
INSTALL_LOG="$KOPDES_DATA_DIR/install.log"
"$PYTHON" -m odoo -c "$CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn \
    --logfile="$INSTALL_LOG" || { cat "$INSTALL_LOG" >&2; die "installing the addons failed"; }
cat "$INSTALL_LOG"
# Odoo installs an addon without its demo data when a demo file fails, and only logs it
if grep -E " (ERROR|CRITICAL) |demo data failed to install" "$INSTALL_LOG" >/dev/null; then
    die "installing the addons logged errors (see above)"
fi

echo "== pytest"
set +e
"$PYTHON" -m pytest -c "$KOPDES_ROOT/pytest.ini" --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    "$KOPDES_ROOT/addons" "$KOPDES_ROOT/tests" "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
    die "pytest collected no test"
elif [ "$status" != 0 ]; then
    echo "pytest failed (exit $status)" >&2
    exit "$status"
fi

echo "== ruff"
"$PYTHON" -m ruff check . && "$PYTHON" -m ruff format --check . || die "ruff found problems"

echo "== docker-compose.yml"
if docker compose version >/dev/null 2>&1; then
    docker compose config -q || die "docker-compose.yml does not parse"
elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose config -q || die "docker-compose.yml does not parse"
else
    echo "(no docker compose here: not checked)"
fi

echo "== pylint-odoo"
"$PYTHON" -m pylint --rcfile=.pylintrc-mandatory addons/* || die "pylint-odoo found problems"

echo "== All checks passed"
