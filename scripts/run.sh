#!/usr/bin/env bash
# Create (or update) the demo database of KKMP Sokoduwet and serve it on http://localhost:8069.
set -euo pipefail
# shellcheck source=scripts/odoo_env.sh
source "$(dirname "$0")/odoo_env.sh"
cd "$KOPDES_ROOT"
DB="${KOPDES_DB:-kopdes_demo}"
require_odoo
require_postgres
"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements.txt
mkdir -p .odoo
CONF=.odoo/odoo.conf
write_odoo_conf "$CONF" "$DB"
sed -i 's/^http_interface = .*/http_interface = 0.0.0.0/' "$CONF"
ADDONS="$(kopdes_addons)"
if "$PYTHON" - "$DB" <<'PY'; then
import sys, psycopg2
try:
    psycopg2.connect(dbname=sys.argv[1]).close()
except psycopg2.OperationalError:
    sys.exit(1)
PY
    echo "Updating $DB"
    "$PYTHON" -m odoo -c "$CONF" -d "$DB" -u "$ADDONS" --stop-after-init
else
    echo "Creating $DB with the demo cooperative"
    "$PYTHON" -m odoo -c "$CONF" -d "$DB" -i "$ADDONS" --load-language=id_ID --stop-after-init
fi
# The local fake of the WhatsApp Cloud API the demo account points at (KOPDES_WA_FAKE=0: none)
FAKE="$KOPDES_ROOT/addons/kopdes_whatsapp/tools/fake_cloud_api.py"
if [ "${KOPDES_WA_FAKE:-1}" != "0" ] && [ -f "$FAKE" ]; then
    "$PYTHON" "$FAKE" --port "${KOPDES_WA_FAKE_PORT:-8788}" \
        --webhook "http://127.0.0.1:8069/kopdes/whatsapp/webhook" &
    FAKE_PID=$!
    trap 'kill "$FAKE_PID" 2>/dev/null' EXIT
fi
echo "Serving $DB on http://localhost:8069 (login admin / admin)"
"$PYTHON" -m odoo -c "$CONF" -d "$DB"
