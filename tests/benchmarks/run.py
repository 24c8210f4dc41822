"""Performance benchmark: index build, query latency vs an FTS5 baseline, cold start, RSS, GUI stalls.

    .venv/bin/python -m tests.benchmarks.run [--sizes 200,2000,10000] [--json FILE] [--quick]
        [--workdir DIR] [--rebuild | --reuse] [--cold-runs N] [--gui-python PYTHON]

Not a pytest test (pytest does not collect this directory's files). For the bundled corpus and
each synthetic size (tests/benchmarks/synthetic.py) it measures, in one run:

- index build: `index.builder.build_generation` on the loaded corpus, into WORKDIR/data-<size>;
- query latency: `SearchService.search(q, limit=20)` (ranking + section snippets), median and p95
  over a fixed mix of QUERY_MIX (single words, phrases, abbreviations, typos, half-typed last
  words, UK spellings) after a warm-up on other queries, in a fresh subprocess that reports its peak
  RSS (VmHWM: see peak_rss_mb for why not ru_maxrss);
- the same mix on SQLite FTS5 (`index.evaluation.Fts5Baseline`, extended here with `snippet()`,
  OR of the words, last word as a prefix, bm25 with the same column weights), and the ratio;
- cold start: wall time from launching `tests/benchmarks/cold_start.py app` to the main window
  shown with `library_ready` emitted (index prebuilt, modules compiled to bytecode as in an
  installed app: cold process, warm disk), against a bare PySide6 QMainWindow shown the same way;
  medians of --cold-runs launches of each, interleaved, after one untimed launch of each;
- a GUI responsiveness probe on the largest size (and the bundled corpus): a 20-character query
  typed one key per 50 ms while a 5 ms heartbeat timer measures the longest event-loop stall.

Synthetic corpora and built indexes are kept in WORKDIR (default $TMPDIR/vademecum-bench) and
reused when the content and the index/ build code are unchanged; the build time shown is then the
one measured when that index was built (marked "cached"). --rebuild always rebuilds; --reuse keeps
a cached index even if index/ build code changed since (marked "*"). --gui-python runs the GUI
subprocesses with another interpreter (e.g. a venv with another PySide6). The full table
is printed, the summary JSON printed after it, and the full JSON (with every latency) written to
--json FILE (default WORKDIR/results.json).
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COLD_START = Path(__file__).resolve().parent / "cold_start.py"
BUNDLED = "bundled"
COMMAND_ENV = "VADEMECUM_BENCH_COMMAND"
LIMIT = 20
PROBE_QUERY = "epidural blood patch"  # 20 characters
assert len(PROBE_QUERY) == 20

TARGETS = {
    "query_p95_ms_bundled": 10.0,
    "query_p95_ms_10000": 50.0,
    "cold_start_ratio": 1.5,
    "gui_stall_ms": 50.0,
    "peak_rss_mb_10000": 250.0,
    "build_s_2000": 15.0,
    "build_s_10000": 60.0,
}

QUERY_MIX: dict[str, list[str]] = {
    "word": [
        "headache",
        "epidural",
        "hematoma",
        "caffeine",
        "abscess",
        "meningitis",
        "hypotension",
        "naloxone",
        "bupivacaine",
        "pruritus",
        "shivering",
        "fibrin",
        "anticoagulant",
        "heparin",
        "fever",
        "paresthesia",
        "catheter",
        "lidocaine",
        "seizure",
        "pneumocephalus",
        "phenylephrine",
        "morphine",
        "diplopia",
        "arachnoiditis",
        "ultrasound",
    ],
    "phrase": [
        "wet tap",
        "epidural blood patch",
        "post dural puncture headache",
        "spinal epidural hematoma",
        "local anesthetic systemic toxicity",
        "lipid emulsion therapy",
        "accidental dural puncture",
        "high neuraxial block",
        "back pain after blood patch",
        "urinary retention after epidural",
        "cauda equina syndrome",
        "cerebral venous sinus thrombosis",
        "respiratory depression intrathecal morphine",
        "hypotension after spinal for caesarean",
        "epidural catheter removal",
        "greater occipital nerve block",
        "sphenopalatine ganglion block",
        "combined spinal epidural",
        "transient neurologic symptoms",
        "failed spinal",
        "subdural haematoma after dural puncture",
        "how much blood for a blood patch",
        "fever and back pain after epidural",
        "anticoagulant timing before neuraxial block",
        "repeat blood patch",
    ],
    "abbreviation": [
        "PDPH",
        "EBP",
        "LAST",
        "ADP",
        "CSE",
        "CSF",
        "LMWH",
        "TNS",
        "SPGB",
        "GONB",
        "CVST",
        "PRES",
        "SEH",
        "ITC",
        "DOAC",
        "EBP volume",
        "PDPH caffeine",
        "LAST lipid",
    ],
    "typo": [
        "epidrual",
        "hematmoa",
        "meningitsi",
        "caffiene",
        "headahce",
        "anaestheisa",
        "naloxnoe",
        "bupivacain",
        "prurtius",
        "shiverring",
        "arachnoidits",
        "hypotensoin",
        "blood pacth",
        "duaral puncture",
        "epidural absces",
        "lumbar punture",
        "cerebral venus thrombosis",
        "spinal hemtoma",
        "phenylephirne",
        "seizrue",
    ],
    "prefix": [
        "epidural blo",
        "post dur",
        "spinal hem",
        "caff",
        "local anest",
        "lipid emu",
        "nalox",
        "mening",
        "blood pa",
        "wet t",
        "cauda eq",
        "sphenopal",
        "occipital ne",
        "urinary ret",
        "respiratory dep",
        "intrathecal cat",
        "hypot",
        "arachn",
        "pneumo",
        "subdural hem",
    ],
    "uk-spelling": ["haematoma", "anaesthesia", "paracetamol", "caesarean", "paediatric"],
}


WARM_UP = [
    "spinal",
    "blood",
    "opioid",
    "neuraxial block",
    "PACU",
    "epidural analgesia",
    "hematomma",
    "intrath",
    "labour epidural",
    "nerve injury",
]  # distinct from the measured mix, so that no measured query has run before


def query_list() -> list[tuple[str, str]]:
    return [(category, q) for category, queries in QUERY_MIX.items() for q in queries]


# -- statistics ------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summarise(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
    }


def latency_report(timed: list[tuple[str, str, float]]) -> dict:
    """timed: (category, query, ms) for every measured query."""
    by_category: dict[str, list[float]] = {}
    for category, _, ms in timed:
        by_category.setdefault(category, []).append(ms)
    slowest = sorted(timed, key=lambda t: -t[2])[:5]
    return {
        **summarise([ms for _, _, ms in timed]),
        "by_category": {c: summarise(v) for c, v in by_category.items()},
        "slowest": [{"category": c, "query": q, "ms": round(ms, 2)} for c, q, ms in slowest],
    }


def peak_rss_mb() -> float:
    """This process's own peak RSS in MB. On Linux VmHWM from /proc/self/status: ru_maxrss of a
    child process also counts the parent's peak from before the exec (measured: a child of a
    500 MB parent reports ru_maxrss 513 MB and VmHWM 13 MB), so it is used only elsewhere."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)
    except (OSError, IndexError, ValueError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- the search worker (a fresh process per size: latency and peak RSS) -----------------------
def search_worker(generation: Path, passes: int) -> dict:
    started = time.perf_counter()
    from whoosh import collectors

    from index.search import SearchService

    imported = time.perf_counter()
    fired = [0]  # count the searches cut short by SearchService's TimeLimitCollector (no other effect)
    timestop = collectors.TimeLimitCollector._timestop

    def counting_timestop(self) -> None:
        fired[0] += 1
        timestop(self)

    collectors.TimeLimitCollector._timestop = counting_timestop
    service = SearchService(generation)
    opened = time.perf_counter()
    queries = query_list()
    first = time.perf_counter()
    answer = service.search(WARM_UP[0], limit=LIMIT)  # the first query pays for lazy readers and caches
    first_ms = (time.perf_counter() - first) * 1000
    if not answer.hits:  # search() swallows errors: make sure it works at all
        raise SystemExit(f"SearchService on {generation} answers nothing (index and code out of step?)")
    for q in WARM_UP:
        service.search(q, limit=LIMIT)
    timed = []
    totals = {}
    cut_short = set()
    for _ in range(passes):
        for category, q in queries:
            before = fired[0]
            t0 = time.perf_counter()
            results = service.search(q, limit=LIMIT)
            timed.append((category, q, (time.perf_counter() - t0) * 1000))
            totals[q] = results.total
            if fired[0] > before:
                cut_short.add(q)
    service.close()
    return {
        "import_s": round(imported - started, 3),
        "open_ms": round((opened - imported) * 1000, 1),
        "first_query_ms": round(first_ms, 1),
        "latency": latency_report(timed),
        "hits_total_median": statistics.median(totals.values()),
        "zero_hit_queries": sorted(q for q, n in totals.items() if n == 0),
        "time_limited_queries": sorted(cut_short),
        "peak_rss_mb": peak_rss_mb(),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "raw_ms": [round(ms, 3) for _, _, ms in timed],
    }


def run_search_worker(generation: Path, passes: int) -> dict:
    cmd = [sys.executable, "-m", "tests.benchmarks.run", "--search-worker", str(generation), "--passes", str(passes)]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"search worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- FTS5 baseline with snippets ---------------------------------------------------------------
def fts5_class():
    from index.evaluation import Fts5Baseline

    class Fts5WithSnippets(Fts5Baseline):
        """The evaluation baseline plus what our search returns: top 20 with a body snippet.

        MATCH is the OR of the quoted words with the last one as a prefix (as we type), ranked by
        bm25 with the same column weights as Fts5Baseline.rank. The top rows are chosen first and
        snippet() is computed for those only. No fuzzy matching, synonyms or spelling folding.
        """

        TOP = (
            "select docs_fts.rowid from docs_fts where docs_fts match ? "
            "order by bm25(docs_fts, 10.0, 5.0, 2.0, 1.0) limit ?"
        )
        SNIPPETS = (
            "select docs.id, docs.title, snippet(docs_fts, 3, '<b class=\"hit\">', '</b>', ' … ', 24) "
            "from docs_fts join docs on docs.rowid = docs_fts.rowid "
            "where docs_fts match ? and docs_fts.rowid in ({marks})"
        )

        def search(self, query: str, limit: int = LIMIT) -> list[tuple[str, str, str]]:
            words = re.findall(r"\w+", query.lower())
            if not words:
                return []
            terms = [f'"{w}"' for w in words]
            if not query.endswith(" "):
                terms[-1] += "*"
            match = " OR ".join(terms)
            try:
                rowids = [r[0] for r in self.db.execute(self.TOP, [match, limit]).fetchall()]
                if not rowids:
                    return []
                sql = self.SNIPPETS.format(marks=",".join("?" * len(rowids)))
                rows = {r[0]: r for r in self.db.execute(sql, [match, *rowids]).fetchall()}
                order = {rid: i for i, rid in enumerate(rowids)}
                ids = self.db.execute(
                    f"select rowid, id from docs where rowid in ({','.join('?' * len(rowids))})", rowids
                ).fetchall()
                ranked = sorted(ids, key=lambda r: order[r[0]])
                return [rows[i] for _, i in ranked if i in rows]
            except sqlite3.Error:
                return []

    return Fts5WithSnippets


def measure_fts5(corpus, passes: int) -> dict:
    cls = fts5_class()
    t0 = time.perf_counter()
    fts = cls(corpus)
    build_s = time.perf_counter() - t0
    queries = query_list()
    for q in WARM_UP:
        fts.search(q)
    timed = []
    for _ in range(passes):
        for category, q in queries:
            t1 = time.perf_counter()
            fts.search(q)
            timed.append((category, q, (time.perf_counter() - t1) * 1000))
    fts.db.conn.close()
    return {"build_s": round(build_s, 2), "latency": latency_report(timed), "raw_ms": [round(t[2], 3) for t in timed]}


# -- corpora and indexes -------------------------------------------------------------------------
def _sha(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build_code() -> list[Path]:
    """The index/ modules a build runs (index.builder and what it imports, transitively): a change
    to any of them invalidates a cached index; a change to search.py or library.py does not."""
    seen: dict[str, Path] = {}
    todo = ["builder"]
    while todo:
        name = todo.pop()
        path = ROOT / "index" / f"{name}.py"
        if name in seen or not path.is_file():
            continue
        seen[name] = path
        text = path.read_text(encoding="utf-8")
        todo += [dep or "__init__" for dep in re.findall(r"^\s*from index(?:\.(\w+))? import", text, re.MULTILINE)]
    return sorted(seen.values())


def prepare_content(workdir: Path, size: str, seed: int) -> tuple[Path, dict]:
    if size == BUNDLED:
        return ROOT / "resources" / "content", {"generated": False}
    from tests.benchmarks.synthetic import write_corpus

    out = workdir / f"synthetic-{size}"
    stamp = {
        "size": int(size),
        "seed": seed,
        "generator": _sha([Path(__file__).with_name("synthetic.py")]),
        "source": _sha(sorted((ROOT / "resources").glob("content/*/*.md"))),
    }
    stamp_file = out / "stamp.json"
    if stamp_file.is_file() and json.loads(stamp_file.read_text()) == stamp:
        return out / "content", {"generated": False, "cached": True}
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    content = write_corpus(out, int(size), seed=seed)
    elapsed = time.perf_counter() - t0
    stamp_file.write_text(json.dumps(stamp))
    return content, {"generated": True, "generate_s": round(elapsed, 1)}


def prepare_index(
    workdir: Path, size: str, content: Path, corpus, rebuild: bool, reuse: bool = False
) -> tuple[Path, Path, dict]:
    from index.builder import IndexUnavailableError, build_generation, current_generation, verify
    from index.content import corpus_fingerprint
    from index.paths import app_dirs

    data_dir = workdir / f"data-{size}"
    dirs = app_dirs(data_dir).ensure()
    fingerprint = corpus_fingerprint(content)
    code = _sha(build_code())
    record_file = workdir / f"build-{size}.json"
    if not rebuild and record_file.is_file():
        record = json.loads(record_file.read_text())
        generation = current_generation(dirs.index_root)
        same_code = record.get("index_code") == code
        if generation and record.get("fingerprint") == fingerprint and (same_code or reuse):
            try:
                verify(generation, fingerprint=fingerprint, check_hashes=False)
                if generation.name == record.get("generation"):
                    return data_dir, generation, {**record, "cached": True, "older_index_code": not same_code}
            except IndexUnavailableError:
                pass
    if dirs.cache.exists():
        shutil.rmtree(dirs.cache)
        dirs.ensure()
    t0 = time.perf_counter()
    generation = build_generation(corpus, dirs.index_root, fingerprint=fingerprint)
    build_s = time.perf_counter() - t0
    record = {
        "build_s": round(build_s, 1),
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "fingerprint": fingerprint,
        "index_code": code,
        "generation": generation.name,
        "index_mb": round(sum(p.stat().st_size for p in generation.rglob("*") if p.is_file()) / 2**20, 1),
        "whoosh_mb": round(sum(p.stat().st_size for p in (generation / "whoosh").rglob("*")) / 2**20, 1),
    }
    record_file.write_text(json.dumps(record, indent=2))
    return data_dir, generation, {**record, "cached": False}


# -- GUI subprocesses ------------------------------------------------------------------------------
PYCACHE: Path | None = None  # set by run(): WORKDIR/pycache


def _env() -> dict:
    """Subprocess environment: offscreen Qt, and bytecode cached under WORKDIR/pycache (never in
    the source tree), so that a warm-up launch compiles every module once, as an installed app
    would have it, even where PYTHONDONTWRITEBYTECODE is set."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("VADEMECUM_DATA_DIR", None)
    if PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


class GuiFailedError(RuntimeError):
    """A GUI subprocess died before its report line (the record says how)."""

    def __init__(self, record: dict) -> None:
        super().__init__(record["error"])
        self.record = record


def launch(python: str, args: list[str], tag: str, timeout: float = 900) -> tuple[float, dict]:
    """Wall seconds from spawning the process to its `TAG {json}` line, and that JSON."""
    cmd = [python, str(COLD_START), *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    data = None
    elapsed = None
    for line in proc.stdout:
        if line.startswith(tag + " "):
            elapsed = time.perf_counter() - t0
            data = json.loads(line[len(tag) + 1 :])
            break
    _, err = proc.communicate(timeout=timeout)
    if data is None:
        fatal = [line for line in err.splitlines() if "Fatal Python error" in line or "Error" in line]
        raise GuiFailedError(
            {
                "error": f"no {tag} line: exit {proc.returncode}" + (f" — {fatal[0].strip()}" if fatal else ""),
                "exit": proc.returncode,
                "after_s": round(time.perf_counter() - t0, 1),
                "command": " ".join(cmd[1:]),
                "stderr_tail": err[-2500:],
            }
        )
    return elapsed, data


def cold_starts(python: str, args: list[str], runs: int) -> tuple[dict, dict]:
    """App launches interleaved with bare-window launches (so load changes hit both alike).
    If the app dies, its record holds the error instead of timings."""
    walls: dict[str, list[float]] = {"app": [], "bare": []}
    children: dict[str, list[dict]] = {"app": [], "bare": []}
    failure: dict | None = None
    launch(python, ["bare"], "READY")  # warm-ups: page cache, bytecode cache
    try:
        launch(python, args, "READY")
    except GuiFailedError as exc:
        failure = exc.record
    for _ in range(runs):
        for name, argv in (("bare", ["bare"]), ("app", args)):
            if name == "app" and failure:
                continue
            try:
                wall, child = launch(python, argv, "READY")
            except GuiFailedError as exc:
                failure = exc.record
                continue
            walls[name].append(wall * 1000)
            children[name].append(child)

    def summary(name: str) -> dict:
        w, c = walls[name], children[name]
        if not w:
            return {"runs": 0, "median_ms": None, "ratio": None, "failed": failure, "peak_rss_mb": None}
        return {
            "runs": len(w),
            "median_ms": round(statistics.median(w), 1),
            "min_ms": round(min(w), 1),
            "max_ms": round(max(w), 1),
            "all_ms": [round(x, 1) for x in w],
            "child": c[w.index(sorted(w)[len(w) // 2])],
            "peak_rss_mb": max(x.get("peak_rss_mb", 0) for x in c),
            "rebuilt": any(x.get("rebuilt") for x in c),
            "failed": failure if name == "app" else None,
        }

    return summary("app"), summary("bare")


def ui_probe(python: str, data_dir: Path, content: Path) -> dict:
    try:
        _, data = launch(
            python,
            ["probe", "--data-dir", str(data_dir), "--content", str(content), "--query", PROBE_QUERY, "--key-ms", "50"],
            "PROBE",
        )
    except GuiFailedError as exc:
        return {"failed": exc.record, "longest_stall_ms": None, "last_key_to_results_ms": None}
    return data


# -- machine -------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = ""
    mem = ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"^model name\s*:\s*(.*)$", info, re.MULTILINE).group(1).strip()
        mem = re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.MULTILINE).group(1)
        mem = f"{int(mem) / 2**20:.1f} GiB"
    except (OSError, AttributeError):
        pass
    import PySide6
    import whoosh

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pyside6": PySide6.__version__,
        "whoosh": whoosh.versionstring(),
        "sqlite": sqlite3.sqlite_version,
    }


# -- the table -------------------------------------------------------------------------------------
def _cell(value, fmt: str = "{}") -> str:
    return "—" if value is None else fmt.format(value)


def _verdict(value, limit) -> str:
    if value is None or limit is None:
        return ""
    return " ok" if value <= limit else " MISS"


def _get(data, *keys):
    """data[k1][k2]…, or None when any level is missing (a failed step leaves holes)."""
    for key in keys:
        if not isinstance(data, dict) or key not in data or data[key] is None:
            return None
        data = data[key]
    return data


def _per_thousand(size: dict) -> float | None:
    """Build seconds per 1,000 entries: comparable across corpus sizes (flat when the build is linear)."""
    build_s, entries = _get(size, "index", "build_s"), _get(size, "entries")
    return build_s / entries * 1000 if build_s is not None and entries else None


def table(results: dict) -> str:
    s = results["sizes"]
    sizes = list(s)
    rows: list[tuple[str, str, list[str]]] = []

    def row(label: str, target: str, path: tuple, fmt: str = "{:.1f}", limit=None, where=None) -> None:
        """One table row: the value at `path` under each size (where(k) picks another root)."""
        cells = []
        for k in sizes:
            root = where(k) if where else s[k]
            value = _get(root, *path) if root is not None else None
            crashed = root is not None and (_get(root, "failed") or _get(root, "error"))
            if value is None and crashed:
                cells.append("FAILED")
                continue
            lim = limit(k) if callable(limit) else limit
            cells.append(_cell(value, fmt) + _verdict(value, lim))
        rows.append((label, target, cells))

    def p95_target(k: str):
        return {BUNDLED: TARGETS["query_p95_ms_bundled"], "10000": TARGETS["query_p95_ms_10000"]}.get(k)

    def rss_target(k: str):
        return TARGETS["peak_rss_mb_10000"] if k == "10000" else None

    row("entries", "", ("entries",), "{}")
    row("corpus load (s)", "", ("load_s",))
    rows.append(
        (
            "index build (s)",
            "≤15 @2k, ≤60 @10k",
            [
                _cell(_get(s[k], "index", "build_s"), "{:.1f}")
                + _verdict(_get(s[k], "index", "build_s"), TARGETS.get(f"build_s_{k}"))
                + (" cached" if _get(s[k], "index", "cached") else "")
                + ("*" if _get(s[k], "index", "older_index_code") else "")
                for k in sizes
            ],
        )
    )
    rows.append(("index build (s per 1,000 entries)", "", [_cell(_per_thousand(s[k]), "{:.1f}") for k in sizes]))
    row("index on disk (MB)", "", ("index", "index_mb"))
    search = lambda k: s[k].get("search")  # noqa: E731
    row("open SearchService (ms)", "", ("open_ms",), "{:.0f}", where=search)
    row("first query, cold searcher (ms)", "", ("first_query_ms",), "{:.0f}", where=search)
    row("search median (ms)", "", ("latency", "median_ms"), where=search)
    row("search p95 (ms)", "≤10 bundled, ≤50 @10k", ("latency", "p95_ms"), limit=p95_target, where=search)
    for category in QUERY_MIX:
        row(f"  p95 {category} (ms)", "", ("latency", "by_category", category, "p95_ms"), where=search)
    rows.append(
        (
            "searches cut short by the time limit",
            "",
            [
                f"{len(_get(s[k], 'search', 'time_limited_queries'))}/{_get(s[k], 'search', 'latency', 'n')}"
                if _get(s[k], "search", "time_limited_queries") is not None
                else "—"
                for k in sizes
            ],
        )
    )
    row("FTS5 median (ms)", "", ("fts5", "latency", "median_ms"), "{:.2f}")
    row("FTS5 p95 (ms)", "", ("fts5", "latency", "p95_ms"), "{:.2f}")
    row("ratio ours/FTS5 median", "", ("ratio_median",), "{:.0f}×")
    row("ratio ours/FTS5 p95", "", ("ratio_p95",), "{:.0f}×")
    row("search process peak RSS (MB)", "≤250 @10k", ("peak_rss_mb",), "{:.0f}", limit=rss_target, where=search)
    for label in results["gui_pythons"]:
        rows.append((f"GUI with {label}:", "", ["" for _ in sizes]))
        cold = lambda k: _get(s[k], "gui", label, "cold_start")  # noqa: E731, B023
        gui = lambda k: _get(s[k], "gui", label)  # noqa: E731, B023
        row("  cold start, app (ms)", "", ("median_ms",), "{:.0f}", where=cold)
        row("  cold start, bare window (ms)", "", ("bare_window", "median_ms"), "{:.0f}", where=gui)
        ratio_limit = TARGETS["cold_start_ratio"]
        row("  cold start ratio app/bare", "≤1.5×", ("ratio",), "{:.2f}×", limit=ratio_limit, where=cold)
        row("  app peak RSS at start (MB)", "", ("peak_rss_mb",), "{:.0f}", where=cold)
        probe = lambda k: _get(results, "ui_probe", label, k)  # noqa: E731, B023
        stall = TARGETS["gui_stall_ms"]
        row("  longest GUI stall typing (ms)", "≤50", ("longest_stall_ms",), "{:.0f}", stall, probe)
        row("    _show_results on the GUI thread (ms)", "", ("show_results_max_ms",), "{:.0f}", where=probe)
        row("  last key → results shown (ms)", "", ("last_key_to_results_ms",), "{:.0f}", where=probe)

    label_w = max(len(r[0]) for r in rows)
    target_w = max(len("target"), *(len(r[1]) for r in rows))
    col_w = [max(len(k), *(len(r[2][i]) for r in rows)) for i, k in enumerate(sizes)]
    header = f"{'':<{label_w}}  {'target':<{target_w}}  " + "  ".join(
        f"{k:>{w}}" for k, w in zip(sizes, col_w, strict=True)
    )
    lines = [header, "-" * len(header)]
    for label, target, cells in rows:
        lines.append(
            f"{label:<{label_w}}  {target:<{target_w}}  "
            + "  ".join(f"{c:>{w}}" for c, w in zip(cells, col_w, strict=True))
        )
    lines.append("")
    for k in sizes:
        failures = [("search worker", _get(s[k], "search", "error"))]
        for label in results["gui_pythons"]:
            failures.append((f"app cold start ({label})", _get(s[k], "gui", label, "cold_start", "failed")))
            failures.append((f"GUI probe ({label})", _get(results, "ui_probe", label, k, "failed")))
            cold = _get(s[k], "gui", label, "cold_start") or {}
            if cold.get("rebuilt") or _get(cold, "child", "stale"):
                lines.append(f"WARNING [{k}] ({label}): the app rebuilt or found a stale index at start")
        for what, failed in failures:
            if failed:
                error = failed["error"] if isinstance(failed, dict) else str(failed).splitlines()[-1]
                lines.append(f"FAILED [{k}] {what}: {error}")
    if any(_get(s[k], "index", "older_index_code") for k in sizes):
        lines.append("* cached index built by older index/ code (--reuse)")
    lines.append(
        f"load average before/after: {' '.join(results['load_before'])} / {' '.join(results['load_after'])}"
        f" on {results['machine']['nproc']} CPUs ({results['machine']['cpu']}); total {results['total_s'] / 60:.1f} min"
    )
    for label, gui in results["gui_pythons"].items():
        lines.append(f"GUI subprocesses ({label}): {gui['executable']}")
    source = results.get("source") or {}
    if source:
        lines.append(
            f"source: snapshot {source.get('sha', '')[:12]} of {source.get('from', '')} ({source.get('path', '')})"
        )
    return "\n".join(lines)


def _strip_raw(data):
    if isinstance(data, dict):
        return {k: _strip_raw(v) for k, v in data.items() if k not in ("raw_ms", "results_shown")}
    if isinstance(data, list):
        return [_strip_raw(v) for v in data]
    return data


# -- a consistent copy of the source ------------------------------------------------------------------
SNAPSHOT_PARTS = ("index", "desktop", "main.py", "pyproject.toml", "resources", "tests/benchmarks")
SNAPSHOT_SKIP = ("resources/index/", "resources/screenshots/")


def snapshot_source(workdir: Path) -> tuple[Path, str]:
    """Copy the code and resources the benchmark runs into WORKDIR/src/<sha>: a run then measures
    one version of index/ and desktop/ throughout, even while others edit the working tree."""
    files: dict[str, bytes] = {}
    for part in SNAPSHOT_PARTS:
        path = ROOT / part
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in candidates:
            rel = file.relative_to(ROOT).as_posix()
            if "__pycache__" in file.parts or rel.startswith(SNAPSHOT_SKIP) or file.suffix == ".pyc":
                continue
            files[rel] = file.read_bytes()
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    sha = digest.hexdigest()
    dest = workdir / "src" / sha[:12]
    if not (dest / ".complete").is_file():
        temp = Path(tempfile.mkdtemp(prefix=".src-", dir=workdir))
        for rel, data in files.items():
            (temp / rel).parent.mkdir(parents=True, exist_ok=True)
            (temp / rel).write_bytes(data)
        (temp / ".complete").write_text(sha)
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, dest)
    # Bytecode written now, as an installed app has it: with PYTHONDONTWRITEBYTECODE set, every
    # timed launch would otherwise compile index/ and desktop/ again (~100 ms of CPU at each start)
    # while the bare window's PySide6 comes precompiled.
    compileall.compile_dir(str(dest), quiet=1)
    return dest, sha


# -- main --------------------------------------------------------------------------------------------
def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict:
    from index.content import load_corpus

    started = time.perf_counter()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [BUNDLED] + [s for s in args.sizes if s != BUNDLED]
    passes = 1
    results: dict = {
        "command": os.environ.get(COMMAND_ENV) or " ".join(["python -m tests.benchmarks.run", *sys.argv[1:]]),
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine(),
        "targets": TARGETS,
        "assumptions": [
            "cold start = cold process, warm disk: the index is prebuilt, the snapshot's modules are "
            "compiled to bytecode (as installed) and one untimed launch precedes the timed ones",
            "search latency = SearchService.search(q, limit=20) incl. section snippets, warm searcher, after a "
            "warm-up of other queries (WARM_UP), in a fresh process per size",
            "FTS5 = in-memory index.evaluation.Fts5Baseline + snippet(); no fuzzy, synonyms or spelling folding",
            "peak RSS = VmHWM of the search-worker process (imports + open + warm-up + measured queries); "
            "ru_maxrss is also recorded but inherits the parent's peak",
            "offscreen Qt (QT_QPA_PLATFORM=offscreen)",
        ],
        "workdir": str(workdir),
        "queries": {"count": len(query_list()), "passes": passes, "mix": QUERY_MIX},
        "sizes": {},
    }
    global PYCACHE
    PYCACHE = workdir / "pycache"
    results["load_before"] = Path("/proc/loadavg").read_text().split()[:3]
    probe_cmd = "import sys, PySide6; print(sys.version.split()[0], PySide6.__version__)"
    guis: dict[str, str] = {}  # label -> interpreter
    results["gui_pythons"] = {}
    for python in args.gui_python:
        out = subprocess.run([python, "-c", probe_cmd], capture_output=True, text=True, check=True).stdout.split()
        label = f"PySide6 {out[1]}, Python {out[0]}"
        if label in guis:  # the same versions twice: tell them apart by path
            label += f" ({python})"
        guis[label] = python
        results["gui_pythons"][label] = {"executable": python, "python": out[0], "pyside6": out[1]}
    prepared: dict[str, tuple[Path, Path]] = {}
    for size in sizes:
        entry: dict = {}
        log(f"[{size}] content")
        content, entry["content"] = prepare_content(workdir, size, args.seed)
        t0 = time.perf_counter()
        corpus = load_corpus(content)
        entry["load_s"] = round(time.perf_counter() - t0, 1)
        entry["entries"] = len(corpus.entries)
        errors = [str(p) for p in corpus.errors]
        entry["content_errors"] = errors[:5]
        log(f"[{size}] {len(corpus.entries)} entries loaded in {entry['load_s']} s; index")
        data_dir, generation, entry["index"] = prepare_index(workdir, size, content, corpus, args.rebuild, args.reuse)
        how = "cached" if entry["index"]["cached"] else "built"
        log(f"[{size}] index {how} ({entry['index']['build_s']} s); search")
        try:
            entry["search"] = run_search_worker(generation, passes)
        except RuntimeError as exc:
            entry["search"] = {"error": str(exc)[-3000:]}
        log(f"[{size}] FTS5 baseline")
        entry["fts5"] = measure_fts5(corpus, passes)
        del corpus
        ours, fts = entry["search"].get("latency"), entry["fts5"]["latency"]
        if ours:
            entry["ratio_median"] = round(ours["median_ms"] / max(fts["median_ms"], 1e-6), 1)
            entry["ratio_p95"] = round(ours["p95_ms"] / max(fts["p95_ms"], 1e-6), 1)
        entry["gui"] = {}
        for label, python in guis.items():
            log(f"[{size}] cold start ×{args.cold_runs} ({label})")
            app_args = ["app", "--data-dir", str(data_dir), "--content", str(content)]
            cold, bare = cold_starts(python, app_args, args.cold_runs)
            cold["ratio"] = round(cold["median_ms"] / bare["median_ms"], 2) if cold["median_ms"] else None
            entry["gui"][label] = {"cold_start": cold, "bare_window": bare}
        results["sizes"][size] = entry
        prepared[size] = (data_dir, content)
    results["ui_probe"] = {}
    largest = max((s for s in sizes if s != BUNDLED), key=int, default=BUNDLED)
    for label, python in guis.items():
        results["ui_probe"][label] = {}
        for size in dict.fromkeys([largest, BUNDLED]):
            log(f"[{size}] GUI responsiveness probe ({label})")
            results["ui_probe"][label][size] = ui_probe(python, *prepared[size])
    results["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    results["total_s"] = round(time.perf_counter() - started, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=None, help="synthetic corpus sizes, comma-separated (default 200,2000,10000)"
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="write the full JSON here (default WORKDIR/results.json)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: size 200 only (unless --sizes), 2 cold starts"
    )
    parser.add_argument(
        "--workdir", default=str(Path(tempfile.gettempdir()) / "vademecum-bench"), help="corpora and indexes live here"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild every index even if a cached one matches")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a cached index built from the same content even if index/ build code changed since",
    )
    parser.add_argument("--cold-runs", type=int, default=None, help="timed launches per cold-start figure (default 5)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--gui-python",
        action="append",
        metavar="PYTHON",
        help="interpreter for the GUI subprocesses (cold start, probe), e.g. a venv with another PySide6; "
        "repeat to compare several (default: this interpreter)",
    )
    parser.add_argument("--search-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument(
        "--live", action="store_true", help="run on the working tree itself instead of a snapshot copy of it"
    )
    parser.add_argument("--in-snapshot", metavar="ORIGINAL_ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.search_worker:
        print(json.dumps(search_worker(args.search_worker, args.passes)))
        return 0
    if not args.live and not args.in_snapshot:
        workdir = Path(args.workdir).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        source, sha = snapshot_source(workdir)
        out = (args.json or workdir / "results.json").resolve()
        forwarded, raw = [], list(sys.argv[1:] if argv is None else argv)
        while raw:  # interpreters given relative to here must still work from the snapshot
            item = raw.pop(0)
            if item == "--gui-python" and raw:
                item = "--gui-python=" + raw.pop(0)
            if item.startswith("--gui-python="):
                python = item.split("=", 1)[1]
                item = "--gui-python=" + str(Path(shutil.which(python) or python).absolute())
            forwarded.append(item)
        forwarded += ["--workdir", str(workdir), "--json", str(out), "--in-snapshot", str(ROOT)]
        log(f"source snapshot {sha[:12]} in {source}")
        cmd = [sys.executable, "-m", "tests.benchmarks.run", *forwarded]
        env = {**os.environ, COMMAND_ENV: " ".join(["python -m tests.benchmarks.run", *forwarded[:-6]])}
        return subprocess.call(cmd, cwd=source, env=env)
    from tests.benchmarks.synthetic import DEFAULT_SEED

    args.seed = DEFAULT_SEED if args.seed is None else args.seed
    sizes = args.sizes or ("200" if args.quick else "200,2000,10000")
    args.sizes = [s.strip().replace("_", "").replace(",", "") for s in sizes.split(",") if s.strip()]
    args.cold_runs = args.cold_runs or (2 if args.quick else 5)
    args.gui_python = args.gui_python or [sys.executable]
    results = run(args)
    if args.in_snapshot:
        results["source"] = {"from": args.in_snapshot, "path": str(ROOT), "sha": (ROOT / ".complete").read_text()}
    print(table(results))
    print()
    print(json.dumps(_strip_raw(results), indent=2, ensure_ascii=False))
    out = args.json or Path(args.workdir) / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nfull results (every latency): {out}  ·  total {results['total_s'] / 60:.1f} min", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
