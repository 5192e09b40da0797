#!/usr/bin/env bash
# Creates the demo database of KKMP Sokoduwet once (Indonesian chart, all KopDes addons, demo data).
set -euo pipefail
DB="${KOPDES_DB:-kopdes_demo}"
ADDONS="l10n_id"
for manifest in /mnt/extra-addons/*/__manifest__.py; do
    ADDONS="$ADDONS,$(basename "$(dirname "$manifest")")"
done
until pg_isready -q -h db -U odoo; do sleep 1; done
if psql -h db -U odoo -d "$DB" -c "select 1 from ir_module_module limit 1" >/dev/null 2>&1; then
    echo "Updating $DB"
    odoo -c /etc/odoo/odoo.conf -d "$DB" -u "$ADDONS" --stop-after-init
else
    echo "Creating $DB with the demo cooperative"
    odoo -c /etc/odoo/odoo.conf -d "$DB" -i "$ADDONS" --load-language=id_ID --stop-after-init
fi
