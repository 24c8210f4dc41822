#!/usr/bin/env bash
# Measure the built packages (run bash packaging/build.sh first):
#
#     bash packaging/measure.sh [RUNS]        # RUNS of the self-test, default 5
#
# Prints the machine, the sizes (du -sh of the onedir, the tarball and the .deb), the first
# `--self-test` of the bundle with a new data dir, and the median of RUNS further runs (each with its
# own new data dir, so every run opens and verifies the shipped index from scratch), plus the same
# for `python main.py --self-test` from source for comparison. No hyperfine needed.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
PYTHON=${PYTHON:-.venv/bin/python}
EXE=dist/vademecum/vademecum
[ -x "$EXE" ] || { echo "measure.sh: $EXE missing: run bash packaging/build.sh first" >&2; exit 1; }
VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
export QT_QPA_PLATFORM=offscreen

# time_once CMD...: seconds (wall clock) one run of the self-test takes; fails if the test fails.
time_once() {
  local data start end
  data=$(mktemp -d -p "$SCRATCH")
  start=$(date +%s.%N)
  "$@" --self-test --data-dir "$data" > "$SCRATCH/last.log" 2>&1 || { cat "$SCRATCH/last.log" >&2; return 1; }
  end=$(date +%s.%N)
  grep -q 'verified, not rebuilt' "$SCRATCH/last.log" || echo "  (note: index rebuilt in this run)" >&2
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

os=$(grep -m1 '^PRETTY_NAME=' /etc/os-release | cut -d= -f2 | tr -d '"')
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: $(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $os, $("$PYTHON" --version)"
echo
echo "sizes"
printf '  %-46s %s\n' "dist/vademecum (du -sh)" "$(du -sh dist/vademecum | cut -f1)"
for file in dist/vademecum-"$VERSION"-linux-*.tar.gz dist/vademecum_"$VERSION"_*.deb; do
  [ -f "$file" ] && printf '  %-46s %s\n' "$file" "$(du -h --apparent-size "$file" | cut -f1)"
done
printf '  %-46s %s\n' "files in the bundle" "$(find dist/vademecum -type f | wc -l)"
echo
echo "start-up: --self-test (open + verify the shipped index, 3 canary searches, render the window offscreen)"
sync
printf '  %-46s %ss\n' "bundle, first run" "$(time_once "$EXE")"
for _ in $(seq "$RUNS"); do time_once "$EXE"; done > "$SCRATCH/bundle.txt"
printf '  %-46s %ss  (runs: %s)\n' "bundle, median of $RUNS" "$(median < "$SCRATCH/bundle.txt")" "$(paste -sd' ' "$SCRATCH/bundle.txt")"
for _ in $(seq "$RUNS"); do time_once "$PYTHON" main.py; done > "$SCRATCH/source.txt"
printf '  %-46s %ss  (runs: %s)\n' "source (python main.py), median of $RUNS" "$(median < "$SCRATCH/source.txt")" "$(paste -sd' ' "$SCRATCH/source.txt")"
