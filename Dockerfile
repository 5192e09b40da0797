# Odoo 18 (official image, Ubuntu 24.04 "noble") with the Python packages the KopDes addons need
# and a real headless browser for the tours of the test suite.
#
# Browser: Google Chrome (stable) from Google's own apt repository, as Odoo's own CI images do.
# Ubuntu 24.04 has no Chromium .deb: its "chromium" / "chromium-browser" packages are only a
# transitional stub that installs the snap, and snaps do not run in a container. Odoo's test
# runner looks for google-chrome first (then chromium, chromium-browser, google-chrome-stable).
# Google publishes Chrome for Linux on amd64 only: on another architecture build the image for
# linux/amd64 (docker compose build --platform linux/amd64, or DOCKER_DEFAULT_PLATFORM).
# wkhtmltopdf (PDF reports) already comes with the official image.
FROM odoo:18.0

USER root
COPY requirements.txt /tmp/kopdes-requirements.txt
RUN set -eux; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates curl gnupg postgresql-client make; \
    arch="$(dpkg --print-architecture)"; \
    if [ "$arch" != amd64 ]; then \
        echo "Google Chrome for Linux exists for amd64 only (this build: $arch): build with --platform linux/amd64" >&2; \
        exit 1; \
    fi; \
    install -d -m 0755 /etc/apt/keyrings; \
    curl -fsSL https://dl.google.com/linux/linux_signing_key.pub \
        | gpg --dearmor -o /etc/apt/keyrings/google-chrome.gpg; \
    echo "deb [arch=amd64 signed-by=/etc/apt/keyrings/google-chrome.gpg] https://dl.google.com/linux/chrome/deb/ stable main" \
        > /etc/apt/sources.list.d/google-chrome.list; \
    apt-get update; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends google-chrome-stable; \
    google-chrome --version; \
    google-chrome --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --dump-dom about:blank >/dev/null; \
    command -v wkhtmltopdf; \
    rm -rf /var/lib/apt/lists/*; \
    pip3 install --no-cache-dir --break-system-packages -r /tmp/kopdes-requirements.txt
COPY docker/odoo.conf /etc/odoo/odoo.conf
COPY addons /mnt/extra-addons
USER odoo
