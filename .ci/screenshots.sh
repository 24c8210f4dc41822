#!/usr/bin/env bash
# Regenerate the README screenshots (not part of CI; run after a UI change and look at them).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
shot() { QT_QPA_PLATFORM=offscreen .venv/bin/python main.py --data-dir "$data" screenshot "$@"; }
shot resources/screenshots/main.png --query "high spinal" --open high-neuraxial-block --scroll 0.3 --size 1440x860
shot resources/screenshots/start.png --size 1024x700
shot resources/screenshots/dark.png --query "epidural haematoma" --open spinal-epidural-hematoma --theme dark --scroll 0.3 --size 1920x1080
shot resources/screenshots/high-contrast.png --query "LAST" --open local-anesthetic-systemic-toxicity --theme high-contrast --scroll 0.2 --size 1024x700
shot resources/screenshots/symptom-finder.png --symptoms postural-headache,seizure --hours 120 --size 900x760
shot resources/screenshots/pathway.png --pathway pdph --size 760x900
rm -rf "$data"
