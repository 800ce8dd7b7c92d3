#!/usr/bin/env bash
# Installs everything clee-intake needs to build, test and benchmark on Debian 12.
# Build libraries (and clang-14 with libFuzzer for the fuzz preset), the runtime tools the tests use
# (Dovecot, Postfix, PostgreSQL, Chromium, LibreOffice), and the peer tools the benchmarks compare
# against (pdftotext, pandoc, tesseract, ocrmypdf, antiword, catdoc).
set -euo pipefail
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
pkgs=(
  build-essential cmake ninja-build pkg-config googletest libgtest-dev libgmock-dev
  libpoppler-cpp-dev libpoppler-private-dev libpoppler-dev libzip-dev libpugixml-dev
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
  libspdlog-dev libfmt-dev libgmime-3.0-dev libglib2.0-dev libsqlite3-dev nlohmann-json3-dev
  libtomlplusplus-dev libcli11-dev libcpp-httplib-dev libssl-dev libcurl4-openssl-dev
  libmagic-dev zlib1g-dev
  clang-14 libclang-rt-14-dev
  libgsf-1-dev libheif-dev
  libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui util-linux
  poppler-utils qpdf
  dovecot-imapd postfix
  libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libpq-dev postgresql
  python3 python3-docx python3-reportlab img2pdf python3-pil
  python3-uno python3-gi gir1.2-gsf-1 libheif-examples
  pandoc ocrmypdf antiword catdoc
  chromium chromium-driver
  time curl bc
)
if [[ "${CLEE_SKIP_APT:-0}" != "1" ]]; then
  $SUDO apt-get update -qq
  # The PostgreSQL tests and benchmarks start their own server in a temporary folder
  # (tests/support/pg_test_server.sh); the cluster Debian would create and start is not needed.
  $SUDO apt-get install -y -qq --no-install-recommends postgresql-common
  $SUDO sed -i 's/^#* *create_main_cluster *=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi
# The browser test's driver (playwright-core, pinned in tests/web/package-lock.json; it drives the
# system chromium, no browser download). Debian's npm only if none is installed (it conflicts with
# a newer npm that some machines already have).
if ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
(cd "$(dirname "$0")/../tests/web" && npm ci --no-audit --no-fund)
