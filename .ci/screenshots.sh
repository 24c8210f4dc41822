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
shot resources/screenshots/symptom-finder.png --symptoms postural-headache,seizure --hours 120 --size 1024x700
shot resources/screenshots/symptom-finder-high-contrast.png --symptoms back-pain,leg-weakness --hours 240 --theme high-contrast --size 1920x1080
shot resources/screenshots/pathway.png --pathway pdph --size 1024x700
shot resources/screenshots/pathway-high-contrast.png --pathway pdph --theme high-contrast --size 1024x700
shot resources/screenshots/pathway-spinal-hematoma-dark.png --pathway spinal-hematoma --theme dark --size 1024x700
# Study tab: a resident a week into the PDPH list (read marks and reviews on past days, via the core API)
mkdir -p "$data/data"
.venv/bin/python - "$data/data/user.sqlite" <<'PY'
import datetime as dt, sqlite3, sys
from index.study import StudyStore, load_study_material
material = load_study_material()
pathway = material.lists[0]
store = StudyStore(sqlite3.connect(sys.argv[1]))
now = dt.datetime.now(dt.UTC)
for age, item in zip(range(6, 1, -1), pathway.items):
    store.mark_read(item.entry_id, now=now - dt.timedelta(days=age))
for age in range(6, 0, -1):
    when = now - dt.timedelta(days=age)
    for n, card in enumerate(store.session(list(material.cards[pathway.id][:12]), now=when, new_limit=4)):
        store.review(card, (3, 3, 4, 1, 3, 2)[(n + age) % 6], now=when)
PY
shot resources/screenshots/study.png --study lists --open post-dural-puncture-headache --size 1440x860
shot resources/screenshots/study-review.png --study review --open post-dural-puncture-headache --size 1440x860
rm -rf "$data"
