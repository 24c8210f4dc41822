"""The packaged app: the PyInstaller onedir bundle, its tarball and its .deb, run as a user would.

These build the packages (bash packaging/build.sh, about 3-4 minutes on 2 cores), so they run only
with VADEMECUM_PACKAGING=1; otherwise every test here is skipped and says why. With
VADEMECUM_PACKAGING_PREBUILT=1 as well they test the dist/ that is already there instead of
building (and fail, not skip, if it is missing).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import struct
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENABLED = os.environ.get("VADEMECUM_PACKAGING") == "1"
PREBUILT = os.environ.get("VADEMECUM_PACKAGING_PREBUILT") == "1"

pytestmark = pytest.mark.skipif(
    not ENABLED,
    reason="packaging tests build the PyInstaller bundle and .deb (~3-4 min): set VADEMECUM_PACKAGING=1 to run them",
)

VERIFIED = re.compile(r"^index: .*\(verified, not rebuilt\)$", re.MULTILINE)


@dataclass(frozen=True)
class Packages:
    version: str
    onedir: Path
    tarball: Path
    deb: Path


@pytest.fixture(scope="session")
def packages() -> Packages:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    if not PREBUILT:
        build = subprocess.run(["bash", "packaging/build.sh"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
        assert build.returncode == 0, f"packaging/build.sh failed:\n{build.stdout[-6000:]}\n{build.stderr[-6000:]}"
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout
    found = Packages(
        version=version,
        onedir=ROOT / "dist" / "vademecum",
        tarball=ROOT / "dist" / f"vademecum-{version}-linux-{os.uname().machine}.tar.gz",
        deb=ROOT / "dist" / f"vademecum_{version}_{arch.strip()}.deb",
    )
    for path in (found.onedir / "vademecum", found.tarball, found.deb):
        if not path.exists():
            pytest.fail(f"{path} missing: run bash packaging/build.sh (or unset VADEMECUM_PACKAGING_PREBUILT)")
    return found


@pytest.fixture
def shared_tmp():
    """A temp dir any user can enter (pytest's tmp_path is 0700 under root's pytest-of-root)."""
    path = Path(tempfile.mkdtemp(prefix="vademecum-pkg-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def run_app(exe: Path, *args: str, data_dir: Path, prefix: tuple[str, ...] = (), **env: str):
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    environment.pop("VADEMECUM_DATA_DIR", None)
    return subprocess.run(
        [*prefix, str(exe), *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def assert_self_test_passed(result: subprocess.CompletedProcess) -> None:
    output = f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert result.returncode == 0, output
    assert VERIFIED.search(result.stdout), "the shipped index was not used as-is:\n" + output
    assert "self-test: passed" in result.stdout, output


def listing(root: Path) -> dict[str, tuple]:
    """Every path under root with its type, size, mode and mtime: any write shows up as a difference."""
    entries = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        entries[str(path.relative_to(root))] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns)
    st = root.lstat()
    entries["."] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns)
    return entries


def make_read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(stat.S_IMODE(path.lstat().st_mode) & ~0o222)


# --- (a) the .deb, extracted -------------------------------------------------------------------


@pytest.fixture(scope="session")
def deb_root(packages: Packages, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(packages.deb), str(root)], check=True)
    return root


def test_extracted_deb_passes_its_self_test(deb_root: Path, tmp_path: Path) -> None:
    exe = deb_root / "opt" / "vademecum" / "vademecum"
    assert exe.is_file() and os.access(exe, os.X_OK)
    assert_self_test_passed(run_app(exe, "--self-test", data_dir=tmp_path / "data"))


def test_deb_layout_and_control(packages: Packages, deb_root: Path) -> None:
    link = deb_root / "usr" / "bin" / "vademecum"
    assert link.is_symlink() and os.readlink(link) == "/opt/vademecum/vademecum"
    desktop_file = deb_root / "usr" / "share" / "applications" / "vademecum.desktop"
    desktop = desktop_file.read_text(encoding="utf-8")
    assert "\nExec=vademecum\n" in desktop and "\nIcon=vademecum\n" in desktop
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop_file)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
    png = (deb_root / "usr/share/icons/hicolor/256x256/apps/vademecum.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)

    def field(name: str) -> str:
        out = subprocess.run(["dpkg-deb", "-f", str(packages.deb), name], capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert field("Package") == "vademecum"
    assert field("Version") == packages.version
    depends = {alt.split()[0] for dep in field("Depends").split(",") for alt in dep.split("|")}
    for lib in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libgl1", "libfontconfig1", "libxcb-icccm4"):
        assert lib in depends, lib


def test_deb_files_are_root_owned_and_readable_by_everyone(packages: Packages) -> None:
    contents = subprocess.run(["dpkg-deb", "-c", str(packages.deb)], capture_output=True, text=True, check=True)
    lines = contents.stdout.splitlines()
    assert len(lines) > 100
    for line in lines:
        mode, owner = line.split()[:2]
        assert owner == "root/root", line
        if mode[0] == "l":
            continue  # symlink modes are always rwxrwxrwx
        assert mode[7] == "r" and (mode[0] != "d" or mode[9] == "x"), line
        assert mode[8] != "w", line


def test_installed_command_works_through_a_symlink(deb_root: Path, tmp_path: Path) -> None:
    """/usr/bin/vademecum is a symlink: the bootloader must still find _internal/ beside the real file."""
    link = tmp_path / "bin" / "vademecum"
    link.parent.mkdir()
    link.symlink_to(deb_root / "opt" / "vademecum" / "vademecum")
    result = run_app(link, "search", "PDPH", "--json", "--limit", "1", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert [hit["id"] for hit in json.loads(result.stdout)] == ["post-dural-puncture-headache"]


def test_deb_dependencies_resolve_on_this_system(packages: Packages) -> None:
    if shutil.which("apt-get") is None:
        pytest.skip("no apt-get here")
    if not any(Path("/var/lib/apt/lists").glob("*_Packages*")):
        pytest.skip("apt has no package lists: run apt-get update first")
    result = subprocess.run(
        ["apt-get", "install", "--simulate", "--no-install-recommends", str(packages.deb)],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^Inst vademecum ", result.stdout, re.MULTILINE), result.stdout


# --- (b) a read-only install, data written elsewhere ---------------------------------------------


def test_read_only_bundle_runs_and_is_left_untouched(packages: Packages, shared_tmp: Path) -> None:
    copy = shared_tmp / "opt-vademecum"
    shutil.copytree(packages.onedir, copy, symlinks=True)
    make_read_only(copy)
    before = listing(copy)
    data = shared_tmp / "data"
    data.mkdir(mode=0o777)
    data.chmod(0o777)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # root writes through missing write bits: run as nobody so a write would fail loudly as well.
        prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--")
    result = run_app(copy / "vademecum", "--self-test", data_dir=data, prefix=prefix, HOME=str(data))
    assert_self_test_passed(result)
    assert listing(copy) == before, "the app wrote inside its install directory"
    assert any(data.rglob("*")), "the data dir stayed empty: was it used?"


def test_bundle_files_are_readable_by_everyone(packages: Packages) -> None:
    """The index builder makes 0700/0600 paths; a root-owned install must still be readable by users."""
    for path in [packages.onedir, *packages.onedir.rglob("*")]:
        if path.is_symlink():
            assert path.exists(), f"dangling symlink {path}"
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode & 0o004, f"{path} is not world-readable ({oct(mode)})"
        if path.is_dir():
            assert mode & 0o001, f"{path} is not world-searchable ({oct(mode)})"


# --- (c) what the bundle contains ---------------------------------------------------------------


def test_bundle_has_no_network_or_web_engine_modules(packages: Packages) -> None:
    names = [p.name for p in packages.onedir.rglob("*")]
    python_modules = [n for n in names if re.match(r"Qt(Network|WebEngine\w*|WebChannel|WebSockets)\.", n)]
    assert python_modules == [], python_modules
    web_engine = [n for n in names if "WebEngine" in n]
    assert web_engine == [], web_engine
    assert not [n for n in names if n.startswith("libQt6Network")], "libQt6Network ships: which kept library needs it?"


def test_bundle_ships_the_trimmed_qt_and_one_index(packages: Packages) -> None:
    internal = packages.onedir / "_internal"
    platforms = {p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()}
    assert platforms == {"libqoffscreen.so", "libqxcb.so"}
    assert not list(internal.rglob("translations/*.qm")), "Qt translations should be trimmed"
    assert not (internal / "resources" / "screenshots").exists()
    index = internal / "resources" / "index"
    current = (index / "CURRENT").read_text(encoding="utf-8").strip()
    assert [p.name for p in index.iterdir() if p.is_dir()] == [current]
    for name in ("content", "references.yaml", "lexicon.yaml", "tags.yaml", "symptoms.yaml", "VERSION", "styles"):
        assert (internal / "resources" / name).exists(), name
    assert (internal / "resources" / "icons" / "vademecum.png").is_file()


def test_bundle_has_every_qt_module_the_app_imports(packages: Packages) -> None:
    """Print is imported lazily: a missing module would only fail when a user prints."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("vademecum_packaging_trim", ROOT / "packaging" / "trim.py")
    trim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trim)
    internal = packages.onedir / "_internal"
    for module in trim.qt_modules_used(ROOT):
        assert list((internal / "PySide6").glob(f"{module}.*.so")), f"PySide6.{module} is not in the bundle"
        assert list(internal.rglob(f"libQt6{module.removeprefix('Qt')}.so.6")), f"libQt6 library of {module} missing"


def test_tarball_holds_exactly_the_onedir_bundle(packages: Packages) -> None:
    with tarfile.open(packages.tarball) as tar:
        members = {m.name for m in tar.getmembers()}
        assert all(m.uid == 0 and m.gid == 0 for m in tar.getmembers())
    expected = {"vademecum"} | {f"vademecum/{p.relative_to(packages.onedir)}" for p in packages.onedir.rglob("*")}
    assert members == expected


def test_self_test_passes_on_a_real_x_server(packages: Packages, tmp_path: Path) -> None:
    """The desktop path: the bundled xcb platform plugin (offscreen is what the other tests use)."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run not installed (apt-get install -y xvfb xauth)")
    result = run_app(
        packages.onedir / "vademecum",
        "--self-test",
        data_dir=tmp_path / "data",
        prefix=("xvfb-run", "-a"),
        QT_QPA_PLATFORM="xcb",
    )
    assert_self_test_passed(result)
    assert "Could not load the Qt platform plugin" not in result.stderr, result.stderr


# --- (d) no network ------------------------------------------------------------------------------


def test_self_test_passes_without_a_network_namespace(packages: Packages, tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) not installed")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user/network namespaces unavailable here: {probe.stderr.strip()}")
    result = run_app(
        packages.onedir / "vademecum", "--self-test", data_dir=tmp_path / "data", prefix=("unshare", "-rn")
    )
    assert_self_test_passed(result)


def test_self_test_opens_no_inet_socket(packages: Packages, tmp_path: Path) -> None:
    if shutil.which("strace") is None:
        pytest.skip("strace not installed (apt-get install -y strace)")
    probe = subprocess.run(["strace", "-qq", "-e", "trace=none", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here (ptrace restricted?): {probe.stderr.strip()}")
    trace = tmp_path / "trace.txt"
    strace = ("strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(trace))
    result = run_app(packages.onedir / "vademecum", "--self-test", data_dir=tmp_path / "data", prefix=strace)
    assert_self_test_passed(result)
    calls = trace.read_text(encoding="utf-8")
    assert not re.search(r"\bAF_INET6?\b", calls), calls
