#!/usr/bin/env bash
# Renders one sample of each PDF document kind (the test data of crates/pdf/tests) and keeps
# its first page as a PNG under docs/samples/, for people to look at: pdftoppm at 60 dpi.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pdftoppm >/dev/null || { echo "pdftoppm missing: apt-get install poppler-utils" >&2; exit 1; }
NIAGA_PDF_SAMPLES="$PWD/docs/samples" cargo test -p niaga-pdf --test render samples -- --exact
ls -1 docs/samples/pdf-*.png
