# Odoo 18 (official image) with the Python packages the KopDes addons need.
FROM odoo:18.0

USER root
COPY requirements.txt /tmp/kopdes-requirements.txt
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       postgresql-client make \
    && rm -rf /var/lib/apt/lists/* \
    && pip3 install --no-cache-dir --break-system-packages -r /tmp/kopdes-requirements.txt
COPY docker/odoo.conf /etc/odoo/odoo.conf
COPY addons /mnt/extra-addons
USER odoo
