"""Where a library comes from, assembled once: data dir, machine policy, content, protocol packs.

The CLI commands and the desktop app all call `sources()` and then `build()` or
`index.library.open_library()`, so a `--pack` or a policy pack directory means the same thing
everywhere, and every build validates the content the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from index.builder import Progress, build_generation, stored_problems
from index.content import corpus_fingerprint
from index.content_update import ContentRelease, active_release, shipped_release
from index.model import Corpus, Problem
from index.packs import MANIFEST, Trust, find_packs
from index.paths import AppDirs, app_dirs, bundled_resources
from index.policy import Policy, load_policy

PACK_REFUSED = "pack-refused"
"""Problem.code of the one-line summary for a pack left out (the app runs on without it)."""
PACK_PROBLEM = "pack-problem"
"""Problem.code of each detail found in a refused pack (more specific "pack-…" codes may be set)."""


def is_pack_problem(problem: Problem) -> bool:
    return problem.code.startswith("pack-")


@dataclass(frozen=True)
class Sources:
    """Everything a build reads: the content dir, the pack directories found, the policy in force."""

    dirs: AppDirs
    content: Path
    packs: tuple[Path, ...] = ()
    policy: Policy = dataclasses.field(default_factory=Policy)
    release: ContentRelease | None = None  # which curated content release (None: a --content dir)
    notes: tuple[Problem, ...] = ()  # e.g. a damaged content update set aside for the shipped one

    @property
    def bundled_content(self) -> bool:
        return self.content.resolve() == bundled_content_dir().resolve()

    @property
    def trust(self) -> Trust:
        """The publisher keys the machine policy trusts, and whether personal packs are allowed."""
        return trust_of(self.policy)

    def fingerprint(self) -> str:
        """The content and packs, and what decides how packs are shown (trusted keys, personal
        packs, guarded folders): a key added or withdrawn by the admin rebuilds at the next start."""
        base = corpus_fingerprint(self.content, list(self.packs))
        if not self.packs:
            return base
        trust = self.trust
        decided = repr(
            (
                sorted((k, name) for k, (name, _) in trust.publishers.items()),
                trust.personal_allowed,
                [str(p) for p in self.policy.pack_directories],
                folder_modes(self.packs),
            )
        )
        return f"{base}-{hashlib.sha256(decided.encode()).hexdigest()[:12]}"


def folder_modes(packs: tuple[Path, ...]) -> list[tuple[str, int, int]]:
    """Mode and owner of each pack's folders and its parent: a folder made writable by others
    (or fixed) changes the fingerprint, so the pack is checked again at the next start."""
    modes = []
    for pack in packs:
        for folder in (pack.parent, pack, *(Path(d) for d, _, _ in os.walk(pack))):
            try:
                info = os.stat(folder)
            except OSError:
                continue
            modes.append((str(folder), info.st_mode, info.st_uid))
    return modes


def trust_of(policy: Policy) -> Trust:
    """The publisher keys a policy trusts (each already checked when the policy was read)."""
    from index.signing import parse_public_key

    keys = {name: parse_public_key(text) for name, text in policy.trusted_publishers}
    return Trust.of(keys, policy.personal_packs_allowed)


def bundled_content_dir() -> Path:
    return shipped_release().content_dir


def bundled_index_root() -> Path:
    """Where a packaged build ships its prebuilt, read-only index (see `build-index --bundled`)."""
    return bundled_resources() / "index"


def sources(
    data_dir: str | os.PathLike[str] | None = None,
    content: Path | None = None,
    packs: list[Path] | tuple[Path, ...] = (),
    policy: Policy | None = None,
) -> Sources:
    """The one assembly path: packs come from DATA/packs/, then the policy's directories, then
    the ones given (CLI --pack); the content from `content`, else the bundled entries.

    Raises OSError when the data dir cannot be created (callers turn that into a message).
    """
    dirs = app_dirs(data_dir).ensure()
    policy = policy if policy is not None else load_policy()
    pack_dirs = find_packs([dirs.data / "packs", *policy.pack_directories, *packs])
    if content:
        return Sources(dirs, Path(content), tuple(pack_dirs), policy)
    release, notes = active_release(dirs)  # an installed content update, or the shipped content
    return Sources(dirs, release.content_dir, tuple(pack_dirs), policy, release, tuple(notes))


def load(src: Sources, *, with_packs: bool = True) -> tuple[Corpus, list[Problem]]:
    """Load and validate the content, then apply the packs; every problem found, with a code for
    the pack ones. Validation runs on the curated content; packs are checked when applied."""
    from index.content import load_corpus
    from index.packs import load_packs
    from index.validate import validate

    corpus = load_corpus(src.content)
    problems = validate(corpus)
    if with_packs:
        applied, pack_problems = load_packs(corpus, list(src.packs), src.trust, src.policy.pack_directories)
        problems += _coded(pack_problems, refused={p for p in src.packs if p not in {a.path for a in applied}})
    return corpus, problems


def _coded(problems: list[Problem], *, refused: set[Path]) -> list[Problem]:
    """Give pack problems a code: the first one reported for a refused pack's manifest is its
    summary, the others are details."""
    summaries = {str(path / MANIFEST) for path in refused}
    coded = []
    for problem in problems:
        if not problem.code:
            is_summary = problem.path in summaries
            summaries.discard(problem.path)
            problem = dataclasses.replace(problem, code=PACK_REFUSED if is_summary else PACK_PROBLEM)
        coded.append(problem)
    return coded


@dataclass(frozen=True)
class Built:
    generation: Path
    entries: int
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return content_errors(self.problems)


def content_errors(problems: list[Problem]) -> list[Problem]:
    """Errors in the content; a refused pack is reported apart (the build goes on without it)."""
    return [p for p in problems if p.severity == "error" and not is_pack_problem(p)]


def build(
    src: Sources,
    *,
    index_root: Path | None = None,
    bundled: bool = False,
    progress: Progress | None = None,
) -> Built:
    """Validate and build a generation into the user's index (or the shipped one, which never
    includes local packs) and make it current. Content with errors is still built: the problems
    are returned for the caller to show, and the entries that loaded stay searchable."""
    if bundled:
        src = dataclasses.replace(src, packs=())
        index_root = bundled_index_root()
    corpus, problems = load(src)
    generation = build_generation(
        corpus,
        index_root or src.dirs.index_root,
        fingerprint=src.fingerprint(),
        progress=progress,
        problems=[p for p in problems if is_pack_problem(p)],  # shown again on every later start
    )
    problems += [p for p in stored_problems(generation) if p not in problems]  # e.g. an index root moved aside
    return Built(generation, len(corpus.entries), problems)
