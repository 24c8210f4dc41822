"""Vademecum: `python main.py` opens the app; subcommands serve headless use (see --help)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.model import KINDS


class CliError(Exception):
    """A failure the user can act on: printed as one line, exit status 1."""


class Parser(argparse.ArgumentParser):
    """Usage mistakes too are one line and exit 1, like every other failure."""

    def error(self, message: str):
        self.exit(1, f"vademecum: {message} (see {self.prog} --help)\n")


def _add_common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="put everything the app writes (index, user data, settings) under DIR",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=default,
        help="read entries from DIR (<kind>/<id>.md) instead of the bundled content",
    )
    parser.add_argument(
        "--pack",
        metavar="DIR",
        type=Path,
        action="append",
        default=default,
        help="also load the local protocol pack(s) in DIR (repeatable); DATA/packs/ is always read",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="vademecum", description="Offline neuraxial anesthesia reference.")
    _add_common(parser, top=True)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the index, verify its manifest, run canary searches, render the window on the platform the "
        "app will use (QT_QPA_PLATFORM, else the system's); exit 0 if sound",
    )
    parser.add_argument("--version", action="store_true", help="print the app, content and index schema versions")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("build-index", help="validate the content and (re)build the store and search index")
    _add_common(p, top=False)
    p.add_argument(
        "--bundled",
        action="store_true",
        help="build into resources/index (the read-only index a packaged build ships) instead of the user cache",
    )

    p = sub.add_parser("validate", help="check the content; print every problem with file and line")
    _add_common(p, top=False)

    p = sub.add_parser("search", help="search the content")
    _add_common(p, top=False)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--json", action="store_true", help="print a JSON list of results")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    p.add_argument(
        "--kind",
        action="append",
        choices=KINDS,
        metavar="K",
        help=f"only entries of kind K ({', '.join(KINDS)}); repeatable",
    )

    p = sub.add_parser("show", help="print one entry")
    _add_common(p, top=False)
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print the entry as JSON")

    p = sub.add_parser("evaluate", help="measure search quality on judged queries (ours vs an FTS5 baseline)")
    _add_common(p, top=False)
    p.add_argument(
        "--queries",
        metavar="FILE",
        type=Path,
        action="append",
        help="judged queries (YAML list of {q, relevant, category}); repeatable. Default: every judged set in "
        "tests/queries/ (public, judged, bedside-dev*, bedside-test, bedside-heldout*)",
    )

    _add_pack_commands(sub)
    _add_content_commands(sub)
    _add_screenshot_command(sub)
    _add_study_parser(sub)
    return parser


def _add_pack_commands(sub) -> None:
    p = sub.add_parser("pack", help="author a local protocol pack: init, validate, build, keygen, sign")
    pack_sub = p.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    q = pack_sub.add_parser("init", help="create a pack skeleton in DIR")
    q.add_argument("dir", metavar="DIR", type=Path)
    q.add_argument("--name", required=True, help="pack name, e.g. 'St Elsewhere obstetric anesthesia'")
    q.add_argument("--publisher", required=True, help="department that publishes and reviews it")
    q = pack_sub.add_parser("validate", help="check a pack's manifest, checksums and entries against the content")
    q.add_argument("dir", metavar="DIR", type=Path)
    _add_common(q, top=False)
    q = pack_sub.add_parser("build", help="write the pack's checksum list (pack.yaml files:), then validate")
    q.add_argument("dir", metavar="DIR", type=Path)
    _add_common(q, top=False)
    q = pack_sub.add_parser(
        "keygen", help="create a publisher's signing key (private, mode 0600) and print its public key"
    )
    q.add_argument("key", metavar="KEYFILE", type=Path, help="where to write the private key (never overwritten)")
    q = pack_sub.add_parser("sign", help="sign the pack's pack.yaml (after `pack build`): writes DIR/pack.sig")
    q.add_argument("dir", metavar="DIR", type=Path)
    q.add_argument("--key", metavar="KEYFILE", type=Path, required=True, help="the private key from `pack keygen`")


def _add_content_commands(sub) -> None:
    p = sub.add_parser("content", help="curated content updates: status, install, rollback, build")
    content_sub = p.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    q = content_sub.add_parser("status", help="which content is in use (version, date, shipped or update)")
    _add_common(q, top=False)
    q = content_sub.add_parser("install", help="check a signed content file and use it (no reinstall needed)")
    q.add_argument("file", metavar="FILE", type=Path)
    _add_common(q, top=False)
    q = content_sub.add_parser(
        "rollback", help="leave the installed update for the previous one or the shipped content"
    )
    _add_common(q, top=False)
    q = content_sub.add_parser("build", help="pack the curated content into a signed content file (project key)")
    q.add_argument("out", metavar="OUT", type=Path, help="the content file to write (.zip)")
    q.add_argument("--key", metavar="KEYFILE", type=Path, required=True, help="the project's private content key")
    q.add_argument("--date", metavar="YYYY-MM-DD", default="", help="release date (default: resources/CONTENT_DATE)")
    _add_common(q, top=False)


def cmd_content(args: argparse.Namespace) -> int:
    """Install, roll back and inspect curated content updates; build one (project side)."""
    from index import content_update
    from index.paths import app_dirs
    from index.signing import SigningError

    try:
        if args.content_command == "build":
            release = content_update.build_content_file(args.out, args.key, args.content, args.date)
            print(f"wrote {args.out}: content {release.label}")
            return 0
        dirs = app_dirs(args.data_dir).ensure()
        if args.content_command == "install":
            release = content_update.install(args.file, dirs)
            print(f"installed content {release.label}; it is used from the next start (rollback: content rollback)")
            return 0
        if args.content_command == "rollback":
            release = content_update.rollback(dirs)
            print(f"rolled back: content {release.label} ({release.source}) is used from the next start")
            return 0
    except (content_update.ContentUpdateError, SigningError, OSError) as exc:
        raise CliError(str(exc)) from exc
    release, notes = content_update.active_release(dirs)
    for note in notes:
        print(note, file=sys.stderr)
    print(f"content {release.label} ({release.source}), format {release.format}")
    for name in content_update.installed(dirs):
        print(f"  installed update: {name}")
    return 0


def _add_screenshot_command(sub) -> None:
    p = sub.add_parser("screenshot", help="render the main window offscreen and save it as a PNG")
    _add_common(p, top=False)
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--query", metavar="Q", help="type Q into the search field first")
    p.add_argument("--open", metavar="ID", help="open entry ID in the reader")
    p.add_argument("--size", metavar="WxH", default="1280x800", help="window size (default 1280x800)")
    p.add_argument("--theme", choices=["light", "dark", "high-contrast"], help="render in this theme")
    p.add_argument(
        "--symptoms", metavar="IDS", help="show the symptom finder with these symptom ids ticked (comma list)"
    )
    p.add_argument("--hours", type=float, metavar="H", help="with --symptoms: hours since the procedure")
    p.add_argument("--pathway", metavar="ID", help="show the pathway diagram ID (pdph, spinal-hematoma)")
    p.add_argument(
        "--scroll", type=float, metavar="F", help="scroll the open entry to fraction F of its length (0 to 1)"
    )
    p.add_argument(
        "--study",
        choices=["lists", "review"],
        help="show the Study tab (lists: reading lists and progress; review: a first card, answer shown)",
    )


def _add_study_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("study", help="study mode: reading lists with progress, Anki export of the self-test cards")
    study_sub = p.add_subparsers(dest="study_command", metavar="ACTION", required=True)
    q = study_sub.add_parser("lists", help="print the reading lists with entries read and cards due")
    _add_common(q, top=False)
    q = study_sub.add_parser("export-anki", help="write the self-test cards as an Anki package (.apkg)")
    q.add_argument("file", metavar="FILE", type=Path)
    q.add_argument("--list", metavar="NAME", dest="list_name", help="only the cards of reading list NAME (id or title)")
    _add_common(q, top=False)


def _sources(args: argparse.Namespace):
    """The one assembly path (data dir, policy, --content, --pack), as the app uses it."""
    from index.library import configure_logging, find_packs, sources

    if args.content is not None and not args.content.is_dir():
        raise CliError(f"no content directory at {args.content}")
    for pack in args.pack or []:
        if not find_packs([pack]):
            raise CliError(f"no protocol pack (pack.yaml) in {pack}")
    try:
        src = sources(args.data_dir, args.content, args.pack or [])
    except OSError as exc:
        raise CliError(f"cannot use the data directory: {exc}") from exc
    configure_logging(src.dirs.data)
    for problem in src.policy.problems:
        print(f"policy: {problem}", file=sys.stderr)
    return src


def _library(args: argparse.Namespace, src=None):
    from index.library import open_library

    # fallback: a rebuild that is impossible (read-only cache, full disk) falls back to the newest
    # sound index with a one-line warning, rather than no answer at all
    library = open_library(src or _sources(args), fallback=True)
    if library.report.fallback:
        print(f"vademecum: warning: {library.report.fallback}", file=sys.stderr)
    for problem in library.report.pack_problems:
        print(problem, file=sys.stderr)
    return library


def cmd_pack_keys(args: argparse.Namespace) -> int:
    """`pack keygen` and `pack sign`: the publisher's side of pack trust."""
    from index.packs import PackError, sign_pack
    from index.signing import SigningError, generate_private_key

    try:
        if args.pack_command == "keygen":
            public = generate_private_key(args.key)
            print(f"private key written to {args.key} (keep it secret; only its owner can read it)", file=sys.stderr)
            print(f"key id: {public.key_id}")
            print(f"public key: {public.text}")
            print("for the machine policy, [trusted-publishers]:", file=sys.stderr)
            print(f"  <publisher name> = {public.text}", file=sys.stderr)
            return 0
        if not args.dir.is_dir():
            raise CliError(f"no pack directory at {args.dir}")
        public = sign_pack(args.dir, args.key)
    except (SigningError, PackError, OSError) as exc:
        raise CliError(str(exc)) from exc
    print(f"signed {args.dir / 'pack.yaml'} with key {public.key_id}: wrote {args.dir / 'pack.sig'}")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from index.packs import PackError

    try:
        return _pack(args)
    except (PackError, OSError) as exc:  # an unreadable pack.yaml, a pack that cannot be authored
        raise CliError(str(exc)) from exc


def _pack(args: argparse.Namespace) -> int:
    from index.content import load_corpus
    from index.packs import apply_pack, build_manifest, init_pack, read_pack
    from index.policy import load_policy
    from index.sources import trust_of

    if args.pack_command in ("keygen", "sign"):
        return cmd_pack_keys(args)
    if args.pack_command != "init" and not args.dir.is_dir():
        raise CliError(f"no pack directory at {args.dir}")
    if args.pack_command == "init":
        init_pack(args.dir, name=args.name, publisher=args.publisher)
        print(f"created pack in {args.dir}; edit it, then run: python main.py pack build {args.dir}")
        return 0
    if args.pack_command == "build":
        files = build_manifest(args.dir)["files"]
        print(f"listed {len(files)} file(s) with their SHA-256 in {args.dir / 'pack.yaml'}")
    pack, problems = read_pack(args.dir, trust_of(load_policy()))  # as this computer would show it
    if pack is not None:
        problems = apply_pack(pack, load_corpus(args.content))
    for problem in problems:
        print(problem)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"pack refused: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"pack '{pack.name}' ({pack.label}) is valid", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from index.sources import content_errors, load

    corpus, problems = load(_sources(args))  # what a build would read, packs included
    for problem in problems:
        print(problem)
    errors = content_errors(problems)
    kinds: dict[str, int] = {}
    for entry in corpus.entries.values():
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no entries"
    print(
        f"{len(corpus.entries)} entries ({summary}), {len(corpus.references)} references: {len(errors)} error(s)",
        file=sys.stderr,
    )
    return 1 if errors else 0


def cmd_build_index(args: argparse.Namespace) -> int:
    from index.sources import build

    # --bundled: the shipped index describes the shipped content only, never local packs
    built = build(_sources(args), bundled=args.bundled)
    for problem in built.problems:
        if problem.severity == "error" or problem.code:
            print(problem, file=sys.stderr)
    print(f"built {built.entries} entries into {built.generation}")
    return 1 if built.errors else 0


def cmd_search(args: argparse.Namespace) -> int:
    library = _library(args)
    try:
        results = library.search(args.query, limit=max(1, args.limit), kinds=args.kind)
    finally:
        library.close()
    if results.error:
        raise CliError(results.error)
    if args.json:
        print(json.dumps([hit.as_json() for hit in results.hits], indent=2, ensure_ascii=False))
        return 0
    if not results.hits:
        hint = f" Did you mean: {results.suggestion}?" if results.suggestion else ""
        print(f"No results for '{results.query}'.{hint}")
        return 0
    import re
    from html import unescape

    for rank, hit in enumerate(results.hits, start=1):
        snippet = unescape(re.sub(r"<[^>]+>", "", hit.snippet))
        print(f"{rank:2}. [{hit.kind}] {hit.title} ({hit.id}) — {hit.section}")
        print(f"    {snippet}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    library = _library(args)
    try:
        page = library.entry(args.id)
    finally:
        library.close()
    if page is None:
        print(f"no entry with id '{args.id}'", file=sys.stderr)
        return 1
    if args.json:
        from dataclasses import asdict

        print(json.dumps(asdict(page), indent=2, ensure_ascii=False))
        return 0
    print(f"{page.title}  [{page.kind}]  {page.review_line}, content {page.content_version}")
    if page.review is not None:
        print(f"Checked: {page.review.checked}")
        if page.review.sources:
            print(f"Sources: {', '.join(page.review.sources)}")
        if page.review.reproductions:
            print(f"Reproductions: {'; '.join(page.review.reproductions)}")
    for section in page.sections:
        print(f"\n## {section.heading}\n{plain_text(section.html)}")
    if page.references:
        print("\n## References")
        for ref in page.references:
            ident = f" doi:{ref.doi}" if ref.doi else (f" PMID:{ref.pmid}" if ref.pmid else f" {ref.url}")
            print(f"{ref.number}. {ref.citation}{ident}")
    return 0


def plain_text(html: str) -> str:
    """A section's HTML as terminal text that keeps list numbering ("1.") and bullets ("-")."""
    import re
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets

        def handle_starttag(self, tag, attrs) -> None:
            if tag in ("ol", "ul"):
                self.lists.append([int(dict(attrs).get("start") or 1)] if tag == "ol" else [])
            elif tag == "li":
                marker = "-"
                if self.lists and self.lists[-1]:
                    marker = f"{self.lists[-1][0]}."
                    self.lists[-1][0] += 1
                self.out.append("\n" + "  " * max(0, len(self.lists) - 1) + marker + " ")
            elif tag in ("p", "br", "tr", "h3", "h4"):
                self.out.append("\n")

        def handle_endtag(self, tag) -> None:
            if tag in ("ol", "ul") and self.lists:
                self.lists.pop()
            elif tag == "td":
                self.out.append("  ")

        def handle_data(self, data) -> None:
            self.out.append(re.sub(r"\s+", " ", data))

    parser = Text()
    parser.feed(html)
    lines = (
        line.strip() if not line.lstrip().startswith(("-", *"0123456789")) else line.rstrip()
        for line in "".join(parser.out).splitlines()
    )
    return "\n".join(line for line in lines if line.strip())


def cmd_evaluate(args: argparse.Namespace) -> int:
    from index.content import load_corpus
    from index.evaluation import Fts5Baseline, load_judged, report, score

    for path in args.queries or []:
        if not path.is_file():
            raise CliError(f"no queries file at {path}")
    judged_dir = Path(__file__).resolve().parent / "tests" / "queries"
    names = ("public.yaml", "judged.yaml")
    bedside = [*sorted(judged_dir.glob("bedside-dev*.yaml")), judged_dir / "bedside-test.yaml"]
    heldout = sorted(judged_dir.glob("bedside-heldout*.yaml"))
    files = args.queries or [judged_dir / name for name in names] + bedside + heldout
    files = [path for path in files if path.is_file()]
    library = _library(args)
    baseline = Fts5Baseline(load_corpus(args.content))
    try:
        for path in files:
            queries = load_judged(path)
            ours = score("vademecum", queries, lambda q: [h.id for h in library.search(q, limit=10).hits])
            fts = score("fts5", queries, baseline.rank)
            print(f"== {path.name} ({len(queries)} queries)")
            print(report(ours, fts))
    finally:
        library.close()
    return 0


def _check_screenshot_ids(args: argparse.Namespace) -> None:
    """An unknown entry, symptom or pathway is a mistake to report, not a picture of nothing."""
    if not (args.open or args.symptoms or args.pathway):
        return
    library = _library(args)
    try:
        if args.open and library.entry(args.open) is None:
            raise CliError(f"no entry with id '{args.open}'")
        known = library.symptoms()
        unknown = [s for s in (args.symptoms or "").split(",") if s and s not in known]
        if unknown:
            raise CliError(f"unknown symptom id(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        pathways = [p.id for p in library.pathways()]
        if args.pathway and args.pathway not in pathways:
            raise CliError(f"no pathway with id '{args.pathway}' (known: {', '.join(pathways)})")
    finally:
        library.close()


def cmd_screenshot(args: argparse.Namespace) -> int:
    from desktop.app import screenshot

    width, _, height = args.size.partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
        raise CliError(f"--size must be WIDTHxHEIGHT in pixels, e.g. 1280x800 (got '{args.size}')")
    _check_screenshot_ids(args)
    return screenshot(
        args.file,
        _sources(args),
        query=args.query,
        open_id=args.open,
        size=(int(width), int(height)),
        theme=args.theme,
        symptoms=args.symptoms.split(",") if args.symptoms else None,
        hours=args.hours,
        pathway=args.pathway,
        study=args.study,
        scroll=args.scroll,
    )


CANARIES = {
    "blood patch": "epidural-blood-patch",
    "PDPH": "post-dural-puncture-headache",
    "LAST": "local-anesthetic-systemic-toxicity",
}


def cmd_self_test(args: argparse.Namespace) -> int:
    """What a deployment runs to prove an install works: index, manifest, searches, window."""
    src = _sources(args)
    library = _library(args, src)
    failures = _self_test_policy_and_userdata(src)
    try:
        report = library.report
        where = library.generation
        state = "rebuilt: " + report.reason if report.rebuilt else "verified, not rebuilt"
        print(f"index: {where} ({'stale: ' + report.fallback if report.fallback else state})")
        if getattr(sys, "frozen", False) and report.rebuilt:
            failures.append(f"the shipped index was not usable: {report.reason}")
        if args.content is None:
            for query, expected in CANARIES.items():
                got = [hit.id for hit in library.search(query, limit=3).hits]
                status = "ok" if got[:1] == [expected] else "FAIL"
                print(f"search {query!r}: {got[:1]} {status}")
                if status != "ok":
                    failures.append(f"canary {query!r} gave {got[:1]}, expected {expected}")
    finally:
        library.close()
    failures += _self_test_window(args)
    for failure in failures:
        print(f"self-test: {failure}", file=sys.stderr)
    print("self-test: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


def cmd_study(args: argparse.Namespace) -> int:
    """`study lists` and `study export-anki`: thin calls into index.study and index.anki."""
    import datetime as dt
    import sqlite3

    from index.content import load_corpus
    from index.study import StudyStore, find_list, study_cards

    src = _sources(args)
    corpus = load_corpus(src.content)
    if args.study_command == "export-anki":
        from index.anki import export_anki

        reading_list = None
        if args.list_name:
            reading_list = find_list(corpus, args.list_name)
            if reading_list is None:
                names = "; ".join(f"{r.id} ({r.title})" for r in corpus.reading_lists) or "none"
                raise CliError(f"no reading list '{args.list_name}' (lists: {names})")
        try:
            count = export_anki(corpus, args.file, reading_list=reading_list)
        except OSError as exc:
            raise CliError(f"cannot write {args.file}: {exc.strerror or exc}") from exc
        print(f"wrote {count} card(s) to {args.file} (content {corpus.version})")
        return 0
    connection = sqlite3.connect(str(src.dirs.user_db))
    try:
        store = StudyStore(connection)
        now = dt.datetime.now().astimezone()
        for reading_list in corpus.reading_lists:
            progress = store.progress(reading_list, study_cards(corpus, reading_list), now=now)
            print(
                f"{progress.title} ({progress.list_id}): {progress.read}/{progress.entries} read, "
                f"{progress.cards} cards, {progress.new} new, {progress.due_today} due today, "
                f"{progress.due_week} due this week"
            )
        retention = store.retention()
        if retention.rate is not None:
            print(f"retention so far: {retention.rate:.0%} of {retention.reviews} review(s)")
    finally:
        connection.close()
    return 0


def _self_test_policy_and_userdata(src) -> list[str]:
    """Policy lines ignored (a warning), and whether bookmarks and notes can be saved (a failure):
    a deployment with a read-only data folder must not pass while the window cannot save a note."""
    from index.library import UserData

    for problem in src.policy.problems:
        print(f"policy: ignored: {problem}")
    userdata = UserData(src.dirs.user_db)
    try:
        for notice in userdata.notices:
            print(f"user data: {notice}")
        problem = userdata.write_problem()
    finally:
        userdata.close()
    print(f"user data: {src.dirs.user_db} " + (f"NOT writable: {problem}" if problem else "writable"))
    return [f"user data: {problem}"] if problem else []


def _self_test_window(args: argparse.Namespace) -> list[str]:
    """Render the window in a child process on the platform the app really uses (not offscreen
    unless QT_QPA_PLATFORM says so): a missing system library shows here, not at first start."""
    import tempfile

    from desktop.platform_check import check_window

    app = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, str(Path(__file__).resolve())]
    common = ["--data-dir", str(args.data_dir)] if args.data_dir else []
    if args.content is not None:
        common += ["--content", str(args.content)]
    for pack in args.pack or []:
        common += ["--pack", str(pack)]
    with tempfile.TemporaryDirectory() as temp:
        png = Path(temp) / "self-test.png"
        check = check_window([*app, *common, "screenshot", str(png), "--query", "blood patch"])
        if check.problem:
            return [check.problem]
        if not png.is_file() or png.stat().st_size < 5000:
            return [f"the window rendered blank on platform '{check.platform}'"]
    print(f"window: rendered on platform '{check.platform}'")
    return []


def cmd_version(args: argparse.Namespace) -> int:
    """The three numbers a bug report needs: the app, the content it reads and the index schema."""
    from importlib.metadata import PackageNotFoundError, version

    from index import SCHEMA_VERSION
    from index.content import resource_file
    from index.paths import bundled_resources

    try:
        app = version("vademecum")
    except PackageNotFoundError:
        app = "unknown"
    version_file = resource_file("VERSION", args.content or bundled_resources() / "content")
    content = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "unversioned"
    print(f"vademecum {app} · content {content} · index schema {SCHEMA_VERSION}")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    from desktop.app import run

    return run(_sources(args))


COMMANDS = {
    "validate": cmd_validate,
    "build-index": cmd_build_index,
    "search": cmd_search,
    "show": cmd_show,
    "evaluate": cmd_evaluate,
    "pack": cmd_pack,
    "content": cmd_content,
    "screenshot": cmd_screenshot,
    "study": cmd_study,
    None: cmd_app,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; any failure is one line on stderr and exit 1 (the traceback goes to the log)."""
    args = build_parser().parse_args(argv)
    command = cmd_version if args.version else cmd_self_test if args.self_test else COMMANDS[args.command]
    try:
        return command(args)
    except CliError as exc:
        print(f"vademecum: {one_line(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("vademecum: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a clear line for the user, the details for whoever reads the log
        import logging

        logging.getLogger("vademecum.cli").exception("%s failed", args.command or "app")
        print(f"vademecum: {args.command or 'app'} failed: {one_line(exc)}", file=sys.stderr)
    return 1


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An error message on one line (YAML and others span several), capped for a terminal."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    # A frozen app (PyInstaller) re-runs this file in each build process: let it act as the child.
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
