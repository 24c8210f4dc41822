#!/usr/bin/env bash
# Regenerate the README screenshots (not part of CI; run after a UI change and look at them).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
shot() { QT_QPA_PLATFORM=offscreen .venv/bin/python main.py --data-dir "$data" screenshot "$@"; }
shot resources/screenshots/main.png --query "back pain after blood patch" --open back-pain-after-epidural-blood-patch --size 1440x860
shot resources/screenshots/dark.png --query "epidural haematoma" --open spinal-epidural-hematoma --theme dark --size 1440x860
shot resources/screenshots/symptom-finder.png --symptoms postural-headache,seizure --hours 120 --size 1024x700
shot resources/screenshots/symptom-finder-high-contrast.png --symptoms back-pain,leg-weakness --hours 240 --theme high-contrast --size 1920x1080
shot resources/screenshots/pathway.png --pathway pdph --size 1024x700
shot resources/screenshots/pathway-high-contrast.png --pathway pdph --theme high-contrast --size 1024x700
shot resources/screenshots/pathway-spinal-hematoma-dark.png --pathway spinal-hematoma --theme dark --size 1024x700
rm -rf "$data"
