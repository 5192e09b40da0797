#!/usr/bin/env bash
# The whole KopDes test suite on freshly created databases:
#   - every KopDes addon with l10n_id and demo data: plain-Python and Odoo tests of every addon,
#     cross-addon tests in tests/, browser tours (headless Chromium) with pytest, then a
#     selection of Odoo's own account, point_of_sale and stock test classes (ODOO_CORE_TESTS)
#     on the same database, run by Odoo's test runner;
#   - meanwhile, in the background, each addon installed alone with its demo data on the
#     generic chart (no l10n_id), one database per addon: no demo failure, and the demo
#     cooperative has its members, savings and loans;
#   - ruff and pylint-odoo.
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
# A browser that really runs: Odoo looks for google-chrome, chromium, chromium-browser,
# google-chrome-stable. Ubuntu 24.04's chromium / chromium-browser are only a stub that
# installs the snap (no snap in containers), so a found command must also start headless.
browser_works() {
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        if command -v "$bin" >/dev/null 2>&1 &&
            timeout 60 "$bin" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --dump-dom about:blank \
                >/dev/null 2>&1; then
            echo "browser: $(command -v "$bin") ($("$bin" --version 2>/dev/null))"
            return 0
        fi
    done
    return 1
}
missing=()
browser_works || missing+=(chromium)
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null ||
            die "could not install Debian's ${missing[*]} (needed by the tours and the PDF tests)"
    else
        die "missing ${missing[*]}: install Debian's packages (needed by the tours and the PDF tests)"
    fi
    browser_works || die "no working Chromium or Google Chrome (on Ubuntu 24.04 the chromium package is a snap stub: use the Docker image, or Google Chrome's .deb, see README.md)"
fi

STAMP="$(date +%Y%m%d%H%M%S)_$$"
DB="${KOPDES_TEST_DB:-kopdes_test_$STAMP}"  # KOPDES_TEST_DB: a name of your own
CONF="$(mktemp -t kopdes-odoo-XXXXXX.conf)"
export KOPDES_DATA_DIR="$(mktemp -d -t kopdes-data-XXXXXX)"
write_odoo_conf "$CONF" "$DB"
# the tours' HTTP server on a free port: a served demo (make run, port 8069) or another test
# run on this machine must not answer the browser in its place
echo "http_port = $("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" >>"$CONF"
ALONE_DIR="$KOPDES_DATA_DIR/alone"
mkdir -p "$ALONE_DIR"
alone_pid=
drop_db() {
    dropdb ${PGHOST_ODOO:+-h "$PGHOST_ODOO"} -p "$PGPORT_ODOO" -U "$PGUSER_ODOO" --if-exists "$1" >/dev/null 2>&1 || true
}
cleanup() {
    if [ -n "${core_pid:-}" ]; then
        kill "$core_pid" 2>/dev/null || true
        wait "$core_pid" 2>/dev/null || true
    fi
    drop_db "${DB}_core"
    if [ -n "$alone_pid" ]; then
        # the background installs: their Odoo process, then the loop itself
        pkill -TERM -P "$alone_pid" 2>/dev/null || true
        kill "$alone_pid" 2>/dev/null || true
        wait "$alone_pid" 2>/dev/null || true
    fi
    drop_db "$DB"
    local addon
    for addon in $(kopdes_addons_alone); do
        drop_db "$(alone_db_name "$addon")"
    done
    rm -rf "$CONF" "$KOPDES_DATA_DIR"
}
trap cleanup EXIT

psql_db() {
    psql ${PGHOST_ODOO:+-h "$PGHOST_ODOO"} -p "$PGPORT_ODOO" -U "$PGUSER_ODOO" -d "$1" -XAtqc "$2"
}

# fails (returns 1) when an install log or the database shows a failed demo file: Odoo then
# installs the addon without its demo data and only logs it
check_install() {
    local db="$1" log="$2" failures
    if grep -E " (ERROR|CRITICAL) |demo data failed to install" "$log" >/dev/null; then
        grep -E -A30 " (ERROR|CRITICAL) |demo data failed to install" "$log" | head -60 >&2
        return 1
    fi
    failures="$(psql_db "$db" "SELECT count(*) FROM ir_demo_failure" 2>/dev/null || echo 0)"
    if [ "$failures" != 0 ]; then
        psql_db "$db" "SELECT error FROM ir_demo_failure" >&2
        return 1
    fi
}

# install_alone ADDON: a fresh database on the generic chart with just ADDON and its demo
# data; the demo cooperative must have members (and savings, loans when installed)
install_alone() {
    local addon="$1" db
    db="$(alone_db_name "$1")"
    local conf="$ALONE_DIR/${db##*_alone_}.conf" log="$ALONE_DIR/${db##*_alone_}.log"
    local start=$SECONDS count table
    write_odoo_conf "$conf" "$db"
    if ! "$PYTHON" -m odoo -c "$conf" -d "$db" -i "$addon" --stop-after-init --log-level=warn \
        --logfile="$log"; then
        echo "FAIL $addon: installing it alone failed"
        tail -50 "$log"
        return 1
    fi
    if ! check_install "$db" "$log" 2>"$ALONE_DIR/$addon.err"; then
        echo "FAIL $addon: its demo data failed to load on the generic chart"
        cat "$ALONE_DIR/$addon.err"
        return 1
    fi
    # the generic chart, unless the addon itself depends on the Indonesian localisation
    # (kopdes_bank: l10n_id_pos for QRIS), which gives the demo cooperative the Indonesian one
    local chart=generic_coa
    if [ "$(psql_db "$db" "SELECT state FROM ir_module_module WHERE name = 'l10n_id'")" = installed ]; then
        chart=id
    fi
    if [ "$(psql_db "$db" "SELECT chart_template FROM res_company c JOIN ir_model_data d
                ON d.res_id = c.id AND d.model = 'res.company'
                AND d.module = 'kopdes_members' AND d.name = 'demo_company_sokoduwet'")" \
        != "$chart" ]; then
        echo "FAIL $addon: the demo cooperative is not on the $chart chart"
        return 1
    fi
    for table in kopdes_member kopdes_savings_transaction kopdes_loan; do
        psql_db "$db" "SELECT to_regclass('$table')" | grep -q . || continue
        count="$(psql_db "$db" "SELECT count(*) FROM $table t JOIN ir_model_data d
                    ON d.res_id = t.company_id AND d.model = 'res.company'
                    AND d.module = 'kopdes_members' AND d.name = 'demo_company_sokoduwet'")"
        if [ "${count:-0}" -lt 5 ]; then
            echo "FAIL $addon: the demo cooperative has ${count:-0} rows in $table"
            return 1
        fi
        echo "   $addon: $table: $count demo rows"
    done
    echo "ok   $addon installed alone on the $chart chart with its demo data ($((SECONDS - start)) s)"
    drop_db "$db"
}

# What is installed "alone" on the generic chart, one database per line of output (a line may
# name several addons, comma-separated). Default: one database with every KopDes addon that does
# not need the Indonesian localisation (kopdes_bank needs l10n_id_pos), on the generic chart:
# every demo loads without l10n_id, each right after what it depends on. KOPDES_ALONE=leaves:
# each leaf addon (no other KopDes addon depends on it) in its own database, which also shows that
# no demo needs a sibling addon (slower); KOPDES_ALONE=0 skips; KOPDES_ALONE=a,b: each one alone.
kopdes_addons_alone() {
    if [ "${KOPDES_ALONE:-}" = 0 ]; then
        return
    elif [ -n "${KOPDES_ALONE:-}" ] && [ "${KOPDES_ALONE}" != leaves ]; then
        echo "${KOPDES_ALONE//,/ }" | tr ' ' '\n'
        return
    fi
    "$PYTHON" - "$KOPDES_ROOT/addons" "${KOPDES_ALONE:-}" <<'PY'
import ast, os, sys
root, mode = sys.argv[1:3]
names = sorted(n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, "__manifest__.py")))
depends = {}
for name in names:
    with open(os.path.join(root, name, "__manifest__.py"), encoding="utf-8") as handle:
        depends[name] = ast.literal_eval(handle.read()).get("depends", [])
depended = {dep for deps in depends.values() for dep in deps}
leaves = [name for name in names if name not in depended]
if mode == "leaves":
    print("\n".join(leaves))
else:
    def needs_l10n_id(name, seen=()):
        return any(
            dep.startswith("l10n_id") or (dep in depends and dep not in seen and needs_l10n_id(dep, seen + (dep,)))
            for dep in depends[name]
        )
    print(",".join(name for name in leaves if not needs_l10n_id(name)))
PY
}

# the database of one line of kopdes_addons_alone
alone_db_name() {
    case "$1" in
    *,*) echo "${DB}_alone_generic" ;;
    *) echo "${DB}_alone_$1" ;;
    esac
}

ALONE_ADDONS="$(kopdes_addons_alone | tr '\n' ' ')"
if [ -n "$ALONE_ADDONS" ]; then
    echo "== In the background: installed alone on the generic chart with their demo data: $ALONE_ADDONS"
    (
        status=0
        for addon in $ALONE_ADDONS; do
            install_alone "$addon" || status=1
        done
        exit "$status"
    ) >"$ALONE_DIR/report.txt" 2>&1 &
    alone_pid=$!
fi

ADDONS="$(kopdes_addons)"
echo "== Fresh database $DB with demo data: $ADDONS"
INSTALL_LOG="$KOPDES_DATA_DIR/install.log"
install_start=$SECONDS
"$PYTHON" -m odoo -c "$CONF" -d "$DB" -i "$ADDONS" --stop-after-init --log-level=warn \
    --logfile="$INSTALL_LOG" || { cat "$INSTALL_LOG" >&2; die "installing the addons failed"; }
cat "$INSTALL_LOG"
check_install "$DB" "$INSTALL_LOG" || die "installing the addons logged errors (see above)"
echo "(installed in $((SECONDS - install_start)) s)"

# The asset bundles the browser tests load, generated once now: left to the first tour, several
# of its requests build them at the same moment, and under load one of them can fail.
echo "== Web client and POS assets"
"$PYTHON" - "$CONF" "$DB" <<'PY' || die "generating the web client assets failed"
import sys

import odoo
from odoo.modules.registry import Registry

conf, db = sys.argv[1:3]
odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
BUNDLES = [
    "web.assets_web",
    "web.assets_web_print",
    "web.assets_tests",
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "web.assets_emoji",
    "point_of_sale.assets_prod",
]
with Registry(db).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    for name in BUNDLES:
        bundle = env["ir.qweb"]._get_asset_bundle(name, css=True, js=True)
        if bundle.files:
            bundle.js()
            bundle.css()
print(f"{len(BUNDLES)} bundles ready")
PY

# Odoo's own tests of the flows KopDes extends, with every KopDes addon installed: invoices,
# payments, the POS and stock, also for users outside the Koperasi groups. They run on a copy
# of the database (same data, its own filestore), in the background while pytest runs.
ODOO_CORE_TESTS="${ODOO_CORE_TESTS-/account:TestAccountPayment,/account:TestAccountMoveOutInvoiceOnchanges,/point_of_sale:TestPointOfSaleFlow,/point_of_sale:TestPoSBasicConfig,/stock:TestStockFlowPostInstall,/stock:TestPackagePropagation}"
CORE_DB="${DB}_core"
CORE_LOG="$KOPDES_DATA_DIR/odoo-core-tests.log"
core_pid=
if [ -n "$ODOO_CORE_TESTS" ]; then
    echo "== In the background: Odoo's own tests with KopDes installed ($ODOO_CORE_TESTS)"
    createdb ${PGHOST_ODOO:+-h "$PGHOST_ODOO"} -p "$PGPORT_ODOO" -U "$PGUSER_ODOO" -T "$DB" "$CORE_DB" ||
        die "could not copy $DB to $CORE_DB"
    if [ -d "$KOPDES_DATA_DIR/filestore/$DB" ]; then
        cp -a "$KOPDES_DATA_DIR/filestore/$DB" "$KOPDES_DATA_DIR/filestore/$CORE_DB"
    fi
    write_odoo_conf "$KOPDES_DATA_DIR/core.conf" "$CORE_DB"
    # its own HTTP port (Odoo's test mode serves HTTP), free of pytest's
    core_port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    core_start=$SECONDS
    "$PYTHON" -m odoo -c "$KOPDES_DATA_DIR/core.conf" -d "$CORE_DB" --http-port="$core_port" --test-enable \
        --test-tags "$ODOO_CORE_TESTS" --stop-after-init --log-level=test \
        --logfile="$CORE_LOG" >/dev/null 2>&1 &
    core_pid=$!
fi

echo "== pytest"
pytest_start=$SECONDS
set +e
"$PYTHON" -m pytest -c "$KOPDES_ROOT/pytest.ini" --odoo-config="$CONF" --odoo-database="$DB" --odoo-http \
    "$KOPDES_ROOT/addons" "$KOPDES_ROOT/tests" "$@"
status=$?
set -e
echo "(pytest: $((SECONDS - pytest_start)) s)"
if [ "$status" = 5 ]; then
    die "pytest collected no test"
elif [ "$status" != 0 ]; then
    echo "pytest failed (exit $status)" >&2
    exit "$status"
fi

if [ -n "$core_pid" ]; then
    echo "== Odoo's own tests with KopDes installed: $ODOO_CORE_TESTS"
    set +e
    wait "$core_pid"
    core_status=$?
    set -e
    core_pid=
    # last line: "<n> failed, <n> error(s) of <n> tests when loading database ..."
    summary="$(grep -E "odoo.tests.result: .* tests when loading database" "$CORE_LOG" |
        tail -1 | sed 's/.*odoo.tests.result: //; s/ when loading database.*//')"
    echo "${summary:-no test summary in the log} (done $((SECONDS - core_start)) s after the start)"
    # Odoo logs every failed or erroring test at ERROR level (FAIL: / ERROR:)
    if [ "$core_status" != 0 ] || grep -E " (ERROR|CRITICAL) " "$CORE_LOG" >/dev/null ||
        ! echo "$summary" | grep -E "^0 failed, 0 error\(s\) of [1-9][0-9]* tests" >/dev/null; then
        grep -E -A40 " (ERROR|CRITICAL) " "$CORE_LOG" | head -200 >&2
        die "Odoo's own tests failed with KopDes installed (log above)"
    fi
    drop_db "$CORE_DB"
fi

if [ -n "$alone_pid" ]; then
    echo "== Each addon alone on the generic chart"
    set +e
    wait "$alone_pid"
    alone_status=$?
    set -e
    alone_pid=
    cat "$ALONE_DIR/report.txt"
    [ "$alone_status" = 0 ] || die "an addon does not install alone with its demo data (see above)"
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

echo "== All checks passed ($((SECONDS / 60)) min $((SECONDS % 60)) s)"
