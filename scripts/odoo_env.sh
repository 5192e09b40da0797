# Shared by scripts/test.sh, scripts/run.sh and scripts/bench.sh (sourced, not run).
# Finds the local Odoo 18.0, checks PostgreSQL and writes an Odoo configuration file.

KOPDES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
PGHOST_ODOO="${KOPDES_DB_HOST:-}"
PGPORT_ODOO="${KOPDES_DB_PORT:-5432}"
PGUSER_ODOO="${KOPDES_DB_USER:-$(id -un)}"

die() {
    echo "ERROR: $*" >&2
    exit 2
}

require_odoo() {
    local series
    if ! series=$("$PYTHON" -c "import odoo.release as r; print(r.series)" 2>/dev/null); then
        die "Odoo 18.0 is not importable from '$PYTHON' ('import odoo' fails).
       KopDes depends on Odoo 18.0 Community: install it (README.md, 'With a local Odoo 18')
       or run the suite in Docker with 'docker compose run --rm test'."
    fi
    if [ "$series" != "18.0" ]; then
        die "'$PYTHON' imports Odoo $series, but KopDes needs Odoo 18.0."
    fi
    ODOO_DIR=$("$PYTHON" -c "import odoo, os; print(os.path.dirname(os.path.abspath(odoo.__file__)))")
    # Source checkout: <root>/odoo and <root>/addons; packaged Odoo: everything in odoo/addons.
    ODOO_ADDONS="$ODOO_DIR/addons"
    if [ -d "$ODOO_DIR/../addons/point_of_sale" ]; then
        ODOO_ADDONS="$(cd "$ODOO_DIR/../addons" && pwd),$ODOO_ADDONS"
    fi
    ADDONS_PATH="$ODOO_ADDONS,$KOPDES_ROOT/addons"
    export ADDONS_PATH
}

require_postgres() {
    local args=(-q -p "$PGPORT_ODOO" -U "$PGUSER_ODOO")
    [ -n "$PGHOST_ODOO" ] && args+=(-h "$PGHOST_ODOO")
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready "${args[@]}" -d postgres >/dev/null 2>&1 ||
            die "PostgreSQL does not answer (host '${PGHOST_ODOO:-local socket}', port $PGPORT_ODOO, user $PGUSER_ODOO).
       Start it, or set KOPDES_DB_HOST / KOPDES_DB_PORT / KOPDES_DB_USER."
    fi
    "$PYTHON" - "$PGHOST_ODOO" "$PGPORT_ODOO" "$PGUSER_ODOO" <<'PY' ||
import sys
import psycopg2
host, port, user = sys.argv[1:4]
kw = {"dbname": "postgres", "port": port, "user": user}
if host:
    kw["host"] = host
psycopg2.connect(**kw).close()
PY
        die "cannot connect to PostgreSQL as '$PGUSER_ODOO' (Odoo refuses the role 'postgres')."
}

# write_odoo_conf FILE DBNAME
write_odoo_conf() {
    cat >"$1" <<CONF
[options]
addons_path = $ADDONS_PATH
db_name = $2
db_host = ${PGHOST_ODOO:-False}
db_port = $PGPORT_ODOO
db_user = $PGUSER_ODOO
db_password = False
dbfilter = ^$2\$
list_db = False
data_dir = ${KOPDES_DATA_DIR:-$KOPDES_ROOT/.odoo/data}
http_interface = 127.0.0.1
max_cron_threads = 0
without_demo = False
CONF
}

# Odoo modules installed with ours: the Indonesian chart of accounts for the demo cooperative.
KOPDES_EXTRA_MODULES="${KOPDES_EXTRA_MODULES:-l10n_id}"

kopdes_addons() {
    local names=()
    [ -n "$KOPDES_EXTRA_MODULES" ] && names+=("$KOPDES_EXTRA_MODULES")
    local manifest
    for manifest in "$KOPDES_ROOT"/addons/*/__manifest__.py; do
        names+=("$(basename "$(dirname "$manifest")")")
    done
    local IFS=,
    echo "${names[*]}"
}
