#!/usr/bin/env bash
# Build the Linux packages of Vademecum from the repository root:
#
#     bash packaging/build.sh
#
# 1. installs PyInstaller into .venv if it is missing (and the app itself if its dependencies are);
# 2. builds the prebuilt, read-only search index into resources/index/ (`main.py build-index --bundled`);
# 3. runs PyInstaller (packaging/vademecum.spec) -> dist/vademecum/ (onedir);
# 4. runs the bundle's own `--self-test` (offscreen, data dir in a temp dir) and fails if it fails;
# 5. packs dist/vademecum-<version>-linux-x86_64.tar.gz and dist/vademecum_<version>_amd64.deb
#    (/opt/vademecum, /usr/bin/vademecum, a .desktop file and the hicolor icon).
#
# Version: [project] version in pyproject.toml. Prints the bundle size and the time of each step.
# Environment: PYTHON (default .venv/bin/python); DEB_COMPRESS (dpkg-deb -Z: xz (default), gzip, zstd,
# none) and DEB_COMPRESS_LEVEL (dpkg-deb -z; xz level 6 by default: 36 MB in 1.5-2 min on 2 cores, level 1:
# 41 MB in ~30 s, for CI); SKIP_SELF_TEST=1 to skip step 4. Needs dpkg-deb (Debian/Ubuntu); nothing is downloaded
# except PyInstaller from PyPI when it is missing. The Windows MSI is built on Windows: packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PYINSTALLER_SPEC="pyinstaller>=6.10,<7"
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DEB_COMPRESS=${DEB_COMPRESS:-xz}
DEB_COMPRESS_LEVEL=${DEB_COMPRESS_LEVEL:-}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
step() { printf '\n== %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# The whole build is one function, so bash parses it before running any of it (editing this file
# while a build runs cannot derail that build).
main() {
  T_START=$(now)

  [ -x "$PYTHON" ] || die "no Python at $PYTHON: create the venv first (python3 -m venv .venv && .venv/bin/pip install -e .)"
  command -v dpkg-deb >/dev/null || die "dpkg-deb not found (a Debian/Ubuntu build machine is assumed)"

  step "toolchain"
  if ! "$PYTHON" -c "import PySide6.QtWidgets, whoosh, sqlite_utils, yaml, markdown_it, platformdirs" 2>/dev/null; then
    echo "installing the app's dependencies into the venv"
    "$PYTHON" -m pip install -q -e .
  fi
  if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
    echo "installing $PYINSTALLER_SPEC into the venv"
    "$PYTHON" -m pip install -q "$PYINSTALLER_SPEC"
  fi
  VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
  CONTENT_VERSION=$(tr -d '[:space:]' < resources/VERSION)
  ARCH_DEB=$(dpkg --print-architecture)
  ARCH=$(uname -m)
  echo "vademecum $VERSION (content $CONTENT_VERSION), $("$PYTHON" --version), PyInstaller $("$PYTHON" -m PyInstaller --version)"
  echo "machine: $(nproc) cores, $(grep -m1 '^PRETTY_NAME=' /etc/os-release | cut -d= -f2 | tr -d '"'), $ARCH"

  step "bundled index -> resources/index/"
  T=$(now)
  rm -rf resources/index  # ship exactly one generation, built from the content as it is now
  SCRATCH=$(mktemp -d)
  trap 'rm -rf "$SCRATCH"' EXIT
  "$PYTHON" main.py build-index --bundled --data-dir "$SCRATCH/data"
  if [ ! -f resources/index/CURRENT ]; then
    # main.py accepted --bundled but built into the data dir: ship that generation instead.
    echo "warning: build-index --bundled did not write resources/index/; copying the generation it built" >&2
    mkdir -p resources/index
    gen=$(tr -d '[:space:]' < "$SCRATCH/data/cache/index/CURRENT")
    cp -r "$SCRATCH/data/cache/index/$gen" resources/index/
    cp "$SCRATCH/data/cache/index/CURRENT" resources/index/CURRENT
  fi
  # The builder makes 0700 dirs and a 0600 CURRENT (mkdtemp/mkstemp); a root-owned install must be
  # readable by every user.
  chmod -R u=rwX,go=rX resources/index
  T_INDEX=$(since "$T")
  echo "index built in ${T_INDEX}s"

  step "PyInstaller (packaging/vademecum.spec)"
  T=$(now)
  rm -rf dist/vademecum build/pyinstaller
  mkdir -p build
  # Whoosh 2.7.4 prints SyntaxWarnings while its .pyc files are compiled: harmless, kept out of the log.
  if ! "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/vademecum.spec > build/pyinstaller.log 2>&1; then
    cat build/pyinstaller.log >&2
    die "PyInstaller failed (log: build/pyinstaller.log)"
  fi
  grep -v -e 'SyntaxWarning' -e 'fixedsize is 0' -e '^[[:space:]]*$' -e '^[[:space:]]*\^' build/pyinstaller.log || true
  chmod -R u=rwX,go=rX dist/vademecum
  T_PYI=$(since "$T")
  echo "PyInstaller took ${T_PYI}s"

  if [ "${SKIP_SELF_TEST:-0}" != 1 ]; then
    step "self-test of the bundle"
    T=$(now)
    QT_QPA_PLATFORM=offscreen dist/vademecum/vademecum --self-test --data-dir "$SCRATCH/selftest" \
      || die "the bundle failed its self-test"
    echo "self-test took $(since "$T")s"
  fi

  step "tarball"
  T=$(now)
  TARBALL=dist/vademecum-$VERSION-linux-$ARCH.tar.gz
  tar -C dist --owner=0 --group=0 --numeric-owner --sort=name -czf "$TARBALL" vademecum
  echo "$TARBALL in $(since "$T")s"

  step ".deb"
  T=$(now)
  DEB=dist/vademecum_${VERSION}_$ARCH_DEB.deb
  STAGE=build/deb/vademecum_${VERSION}_$ARCH_DEB
  rm -rf "$STAGE"
  mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps"
  cp -a dist/vademecum "$STAGE/opt/vademecum"
  ln -s /opt/vademecum/vademecum "$STAGE/usr/bin/vademecum"
  install -m 0644 packaging/vademecum.desktop "$STAGE/usr/share/applications/vademecum.desktop"
  install -m 0644 resources/icons/vademecum.png "$STAGE/usr/share/icons/hicolor/256x256/apps/vademecum.png"
  install -m 0644 resources/icons/vademecum.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/vademecum.svg"
  # What the bundle does not carry: PyInstaller never bundles libc, libGL or libEGL, and Qt's xcb
  # plugin needs the xcb family on the target (bundled copies exist only if the build machine had them).
  # libcups2 (Recommends) is never bundled (packaging/trim.py): without it Print offers PDF only.
  DEPENDS=(
    "libc6 (>= 2.36)"
    libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
    libx11-6 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
    libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1
    "fonts-dejavu-core | fonts-liberation2 | fonts-freefont-ttf"
  )
  depends=$(printf '%s, ' "${DEPENDS[@]}")
  # Who answers for this package. The project has no public contact address yet: the default is
  # the maintainers' role with a reserved .invalid domain (never a person or a working address);
  # a department that repackages sets its own IT contact.
  DEB_MAINTAINER=${DEB_MAINTAINER:-"Vademecum maintainers <maintainers@vademecum.invalid>"}
  case "$DEB_MAINTAINER" in
    *.invalid\>) echo "note: DEB_MAINTAINER not set: Maintainer is '$DEB_MAINTAINER' (set your contact)" >&2 ;;
  esac
  cat > "$STAGE/DEBIAN/control" <<EOF
Package: vademecum
Version: $VERSION
Architecture: $ARCH_DEB
Maintainer: $DEB_MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: ${depends%, }
Recommends: libcups2
Section: science
Priority: optional
Description: offline reference for neuraxial anesthesia teams
 Neuraxial anesthesia, the post-dural puncture headache and epidural blood
 patch pathway, and the neuraxial emergencies, with full-text search that
 knows the field's abbreviations and UK/US spellings. Content $CONTENT_VERSION.
 .
 Opens no network connection. Installs a self-contained bundle under
 /opt/vademecum; "vademecum --self-test" checks an install.
EOF
  (cd "$STAGE" && find opt usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
  chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"
  dpkg-deb --root-owner-group -Z"$DEB_COMPRESS" ${DEB_COMPRESS_LEVEL:+-z"$DEB_COMPRESS_LEVEL"} \
    --build "$STAGE" "$DEB" > /dev/null
  echo "$DEB in $(since "$T")s"

  step "summary"
  printf '%-44s %s\n' "dist/vademecum (onedir, du -sh)" "$(du -sh dist/vademecum | cut -f1)"
  printf '%-44s %s\n' "$TARBALL" "$(du -h --apparent-size "$TARBALL" | cut -f1)"
  printf '%-44s %s\n' "$DEB" "$(du -h --apparent-size "$DEB" | cut -f1)"
  printf '%-44s %s\n' "files in the bundle" "$(find dist/vademecum -type f | wc -l)"
  printf '%-44s %ss\n' "index build" "$T_INDEX"
  printf '%-44s %ss\n' "PyInstaller build" "$T_PYI"
  printf '%-44s %ss\n' "total" "$(since "$T_START")"
}

main "$@"
