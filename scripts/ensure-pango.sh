#!/usr/bin/env bash
# WeasyPrint (berita acara, bills, cards as PDF) draws text with the system's Pango.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then exit 0; fi
echo "Pango not found: installing it for PDF output (apt-get)…" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
