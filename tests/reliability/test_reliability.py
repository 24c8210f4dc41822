"""Promises made to a clinician under pressure, each proved: damaged indexes heal, bad files are
named and skipped, content cannot inject markup, two instances coexist, nothing goes online."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index.builder import build_generation
from index.content import corpus_fingerprint, load_corpus
from index.library import open_library
from index.paths import app_dirs
from index.rendering import render
from index.search import SearchService
from index.validate import validate

ROOT = Path(__file__).resolve().parents[2]


def damage_missing(generation: Path) -> None:
    next((generation / "whoosh").glob("*.seg")).unlink()


def damage_truncated(generation: Path) -> None:
    toc = next((generation / "whoosh").glob("*.toc"))
    toc.write_bytes(toc.read_bytes()[:20])


def damage_bitflip(generation: Path) -> None:
    store = generation / "content.sqlite"
    data = bytearray(store.read_bytes())
    data[len(data) // 3] ^= 0x5A
    store.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [damage_missing, damage_truncated, damage_bitflip])
def test_damaged_index_is_detected_and_rebuilt(mini_corpus: Path, tmp_path: Path, damage) -> None:
    dirs = app_dirs(tmp_path / "data").ensure()
    library = open_library(dirs, content_dir=mini_corpus)
    generation = library.service.generation
    library.close()
    damage(generation)
    notices: list[str] = []
    library = open_library(dirs, content_dir=mini_corpus, on_rebuild=notices.append)
    assert library.report.rebuilt and notices and "Traceback" not in notices[0]
    assert library.search("muffled hearing").hits[0].id == "fixture-headache"
    library.close()


def test_malformed_file_is_named_and_the_rest_still_loads(mini_corpus: Path) -> None:
    (mini_corpus / "procedure" / "broken.md").write_text("---\nid: broken\nkind: [unclosed\n---\n", encoding="utf-8")
    (mini_corpus / "procedure" / "binary.md").write_bytes(b"\xff\xfe\x00garbage")
    corpus = load_corpus(mini_corpus)
    messages = [str(p) for p in validate(corpus)]
    assert any("broken.md:3:" in m and "invalid YAML" in m for m in messages), messages
    assert any("binary.md:1:" in m and "UTF-8" in m for m in messages), messages
    assert len(corpus.entries) == 3


def test_content_cannot_inject_markup() -> None:
    hostile = (
        '<script>alert("x")</script> <img src="http://evil.example/t.png"> '
        "[click](http://evil.example) ![pixel](http://evil.example/p.png) "
        '<a href="javascript:alert(1)">j</a> [ok](entry:epidural-blood-patch)'
    )
    html = render(hostile)
    assert "<script" not in html and "<img" not in html
    assert 'href="http' not in html and 'href="javascript' not in html
    assert 'href="entry:epidural-blood-patch"' in html
    assert "&lt;script&gt;" in html  # shown as text, not run


def test_pack_style_html_in_a_content_file_is_shown_as_text(mini_corpus: Path, tmp_path: Path) -> None:
    path = mini_corpus / "management" / "fixture-rest.md"
    path.write_text(path.read_text().replace("Rare at standard doses;", "<b onclick=x>Rare</b> at standard doses;"))
    dirs = app_dirs(tmp_path / "data").ensure()
    library = open_library(dirs, content_dir=mini_corpus)
    page = library.entry("fixture-rest")
    section = next(s for s in page.sections if s.heading == "Adverse effects")
    assert "<b onclick" not in section.html and "&lt;b onclick=x&gt;" in section.html
    library.close()


def test_rebuild_while_another_reader_searches(mini_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    corpus = load_corpus(mini_corpus)
    fingerprint = corpus_fingerprint(mini_corpus)
    reader = SearchService(build_generation(corpus, root, fingerprint=fingerprint))
    errors: list[str] = []
    stop = threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            hits = reader.search("fixture headache").hits
            if not hits or hits[0].id != "fixture-headache":
                errors.append(repr(hits[:1]))

    thread = threading.Thread(target=search_loop)
    thread.start()
    for _ in range(4):  # several rebuilds swap CURRENT and prune old generations meanwhile
        build_generation(corpus, root, fingerprint=fingerprint)
    stop.set()
    thread.join()
    reader.close()
    assert errors == []


def run_cli(*args: str, data_dir: Path, content: Path) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(data_dir), "--content", str(content), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_instances_at_once_on_one_data_dir(mini_corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "shared data"
    procs = [run_cli("search", "wet tap", "--json", data_dir=data, content=mini_corpus) for _ in range(2)]
    procs.append(run_cli("build-index", data_dir=data, content=mini_corpus))
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(out)
    assert all('"id": "fixture-headache"' in out for out in outputs[:2])
    library = open_library(app_dirs(data).ensure(), content_dir=mini_corpus)
    assert not library.report.rebuilt  # they left one sound, current index behind
    library.close()


def test_paths_with_spaces_and_non_ascii(mini_corpus: Path, tmp_path: Path) -> None:
    content = tmp_path / "Protocoles locaux é ü" / "content"
    shutil.copytree(mini_corpus.parent, content.parent, dirs_exist_ok=True)
    data = tmp_path / "Données utilisateur ñ"
    proc = run_cli("search", "wet tap", "--json", data_dir=data, content=content)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert '"id": "fixture-headache"' in out


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare(1) not installed")
def test_self_test_runs_with_no_network_namespace(tmp_path: Path) -> None:
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not permitted here")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        ["unshare", "-rn", sys.executable, "main.py", "--data-dir", str(tmp_path), "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "self-test: passed" in out.stdout


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")
def test_self_test_opens_no_inet_socket(tmp_path: Path) -> None:
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect",
            "-o",
            str(trace),
            sys.executable,
            "main.py",
            "--data-dir",
            str(tmp_path / "data"),
            "--self-test",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if "PTRACE" in out.stderr or "Operation not permitted" in out.stderr:
        pytest.skip("ptrace is not permitted here")
    assert out.returncode == 0, out.stdout + out.stderr
    calls = trace.read_text()
    assert "AF_INET" not in calls and "AF_INET6" not in calls, calls
