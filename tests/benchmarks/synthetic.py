"""A synthetic corpus in the content format, shaped like the bundled one, for the benchmarks.

`write_corpus(out, size, seed=...)` writes `out/content/<kind>/<id>.md` plus copies of the bundled
`references.yaml`, `lexicon.yaml`, `tags.yaml`, `symptoms.yaml` and `VERSION` in `out/`, so that
`load_corpus(out / "content")` and `python main.py validate --content out/content` resolve them.

How an entry is made (everything from one `random.Random(seed)`, so a size and seed always give
the same bytes):

- a bundled entry of the same kind is picked as a *template*; the synthetic entry copies its
  section headings (so the required sections are present and in order), the shape of every
  section (paragraphs, bullets, numbered items, with the same word count each), its tags,
  references, review date and — for complications — urgency, onset window and symptoms;
- the words come from a first-order Markov chain (word bigrams) trained on the plain text of the
  bundled bodies and summaries, so the vocabulary and word frequencies are the corpus's own while
  every paragraph is new text (paragraphs are checked to be unique, so the validator's
  duplicate-paragraph rule is not triggered);
- titles come from a bigram chain over the bundled titles, aliases from the bundled alias pool
  (abbreviations included) plus an acronym of the new title; about a third of the blocks end
  with a citation of one of the entry's references, and some carry `[text](entry:<id>)` links to
  other synthetic entries, as the front matter `links` do.

Run alone: `python -m tests.benchmarks.synthetic OUT_DIR SIZE [--seed N]`.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from index.content import RESOURCE_FILES, load_corpus, resource_file, slugify
from index.model import Corpus, Entry
from index.paths import bundled_resources
from index.rendering import plain_text

DEFAULT_SEED = 20261125
LINK_TYPES = ("treats", "complication-of", "differential", "see-also")
_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_UNSAFE_START = re.compile(r"^(?:[-*+#>|=`~]|\d+[.)]$)")
_END = (".", "?", "!")


@dataclass
class Block:
    kind: str  # "para" | "bullet" | "numbered"
    words: int
    lead: str = ""  # a bold lead-in kept verbatim ("Incidence:"), for 'At a glance'


@dataclass
class Template:
    entry: Entry
    sections: list[tuple[str, list[Block]]]
    summary_words: int


def _blocks(markdown_text: str) -> list[Block]:
    """Paragraphs and list items of a section, with their word counts (of the visible text)."""
    blocks: list[Block] = []
    current: list[str] = []
    kind = "para"

    def flush() -> None:
        nonlocal current
        if current:
            raw = " ".join(current)
            lead = ""
            match = re.match(r"^\*\*([^*]{1,30}:)\*\*", raw)
            if match:
                lead = match.group(1)
            words = len(plain_text(raw).split())
            if words:
                blocks.append(Block(kind, words, lead))
        current = []

    for line in markdown_text.split("\n"):
        stripped = line.strip()
        item = _ITEM.match(line)
        if not stripped:
            flush()
            continue
        if item and len(item.group(1)) < 2:
            flush()
            kind = "numbered" if item.group(2)[0].isdigit() else "bullet"
            current = [item.group(3)]
        elif line.startswith((" ", "\t")) and current:
            current.append(stripped)  # continuation of a list item
        else:
            if not current:
                kind = "para"
            current.append(stripped)
    flush()
    return blocks


def _tokens(text: str) -> list[str]:
    out = []
    for token in text.split():
        token = token.replace("<", "≤").replace(">", "≥").replace("`", "").replace("|", "/")
        token = token.replace("[", "(").replace("]", ")").replace("*", "").replace("_", "")
        if token and token not in ("(", ")"):
            out.append(token)
    return out


class Chain:
    """A word-bigram Markov chain; successor lists keep repeats, so choice() follows frequency."""

    def __init__(self, texts: list[str]) -> None:
        self.next: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            for sentence in re.split(r"(?<=[.?!])\s+", text):
                tokens = _tokens(sentence)
                if len(tokens) < 3:
                    continue
                if not _UNSAFE_START.match(tokens[0]):
                    self.starts.append(tokens[0])
                for a, b in zip(tokens, tokens[1:], strict=False):
                    self.next[a].append(b)
        self.vocabulary = sorted(self.next)

    def words(self, rng: random.Random, count: int) -> str:
        """About `count` words of sentences; always ends a sentence."""
        out: list[str] = []
        word = rng.choice(self.starts)
        while True:
            out.append(word)
            if len(out) >= count:
                break
            successors = self.next.get(word)
            if word.endswith(_END) or not successors:
                word = rng.choice(self.starts)
            else:
                word = rng.choice(successors)
        text = " ".join(out).rstrip(",;:–—-")
        return text if text.endswith(_END) else text + "."


def _templates(corpus: Corpus) -> list[Template]:
    templates = []
    for entry in sorted(corpus.entries.values(), key=lambda e: e.id):
        sections = [(s.heading, _blocks(s.markdown)) for s in entry.sections]
        templates.append(Template(entry, sections, max(10, len(entry.summary.split()))))
    return templates


def _title_chain(corpus: Corpus) -> tuple[dict[str, list[str]], list[str]]:
    nxt: dict[str, list[str]] = defaultdict(list)
    starts = []
    for entry in corpus.entries.values():
        words = entry.title.split()
        starts.append(words[0])
        for a, b in zip(words, [*words[1:], ""], strict=True):
            nxt[a].append(b)
    return nxt, starts


class Generator:
    def __init__(self, corpus: Corpus, seed: int) -> None:
        self.rng = random.Random(seed)
        self.corpus = corpus
        self.templates = _templates(corpus)
        texts = [plain_text(s.markdown) for e in corpus.entries.values() for s in e.sections]
        texts += [plain_text(e.summary) for e in corpus.entries.values()]
        self.chain = Chain(texts)
        self.title_next, self.title_starts = _title_chain(corpus)
        self.alias_pool = sorted({a for e in corpus.entries.values() for a in e.aliases if a.strip()})
        self.seen_paragraphs: set[str] = set()
        self.titles: set[str] = set()

    # -- names -----------------------------------------------------------------------------
    def _title(self) -> str:
        rng = self.rng
        for attempt in range(50):
            words = [rng.choice(self.title_starts)]
            while len(words) < 9:
                nxt = rng.choice(self.title_next.get(words[-1]) or [""])
                if not nxt or (len(words) >= 2 and rng.random() < 0.15):
                    break
                words.append(nxt)
            if attempt > 5:  # the title space is small: qualify it with corpus words
                words += [w.strip(".,;:()") for w in self.chain.words(rng, rng.randint(1, 3)).split()]
            title = " ".join(w for w in words if w).strip(" ,;:-–")
            if title and title.lower() not in self.titles and slugify(title) != "section":
                self.titles.add(title.lower())
                return title
        raise RuntimeError("could not make a unique title")

    def _aliases(self, title: str, count: int) -> list[str]:
        rng = self.rng
        aliases = []
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]\w*", title) if len(w) > 2).upper()
        if 2 <= len(initials) <= 6 and rng.random() < 0.5:
            aliases.append(initials)
        while len(aliases) < count:
            aliases.append(rng.choice(self.alias_pool))
        return list(dict.fromkeys(aliases))

    # -- text ------------------------------------------------------------------------------
    def _paragraph(self, words: int) -> str:
        for _ in range(20):
            text = self.chain.words(self.rng, words)
            key = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()
            if key not in self.seen_paragraphs:
                self.seen_paragraphs.add(key)
                return text
        raise RuntimeError("could not make a unique paragraph")

    def _decorate(self, text: str, refs: list[str], ids: list[str], link_rate: float) -> str:
        rng = self.rng
        if ids and rng.random() < link_rate:
            words = text.split(" ")
            if len(words) > 4:
                start = rng.randrange(0, len(words) - 3)
                span = rng.randint(1, 3)
                inner = " ".join(words[start : start + span]).strip(".,;:()")
                if inner and re.search(r"\w", inner):
                    tail = words[start + span - 1][len(words[start + span - 1].rstrip(".,;:")) :]
                    linked = f"[{inner}](entry:{rng.choice(ids)}){tail}"
                    text = " ".join([*words[:start], linked, *words[start + span :]])
        if refs and rng.random() < 0.35:
            keys = rng.sample(refs, min(len(refs), rng.choice((1, 1, 1, 2))))
            text = text[:-1] + " [" + "; ".join(f"@{k}" for k in keys) + "]" + text[-1]
        return text

    def entry(self, entry_id: str, title: str, template: Template, ids: list[str]) -> str:
        rng = self.rng
        src = template.entry
        refs = list(src.references)
        others = [i for i in rng.sample(ids, min(len(ids), 8)) if i != entry_id]
        aliases = self._aliases(title, len(src.aliases))
        front = [
            "---",
            f"id: {entry_id}",
            f"kind: {src.kind}",
            f"title: {_yaml_str(title)}",
            "summary: >-",
            "  " + self._decorate(self._paragraph(template.summary_words), refs, [], 0.0),
            "aliases: [" + ", ".join(_yaml_str(a) for a in aliases) + "]",
            "tags: [" + ", ".join(src.tags) + "]",
        ]
        links = others[: rng.randint(1, 4)]
        if links:
            front.append("links:")
            front += [f"  - {{to: {target}, type: {rng.choice(LINK_TYPES)}}}" for target in links]
        front.append("references: [" + ", ".join(refs) + "]")
        front += ["review:", "  status: draft", f"  date: {src.reviewed}", '  checked: "Synthetic, never checked."']
        if src.kind == "complication":
            front.append(f"urgency: {src.urgency}")
            if src.onset_hours:
                low, high = src.onset_hours
                front.append(f"onset_hours: [{_num(low)}, {_num(high)}]")
            front.append("symptoms: [" + ", ".join(src.symptoms) + "]")
        front.append("---")
        body: list[str] = []
        for heading, blocks in template.sections:
            body += ["", f"## {heading}", ""]
            number = 0
            previous = None
            for block in blocks:
                text = self._paragraph(block.words)
                if heading.lower() == "at a glance" and block.lead:
                    lead = block.lead
                    if lead.lower().startswith("urgency") and src.urgency:
                        text = f"{src.urgency.capitalize()}. {text}"
                    text = f"**{lead}** {text}"
                rate = 0.6 if heading.lower() == "management" and block.kind == "numbered" else 0.08
                text = self._decorate(text, refs, others, rate)
                if block.kind == "para":
                    if previous is not None:
                        body.append("")
                    body.append(text)
                else:
                    if previous == "para":
                        body.append("")
                    number = number + 1 if block.kind == "numbered" else 0
                    body.append(f"{number}. {text}" if block.kind == "numbered" else f"- {text}")
                previous = block.kind
        return "\n".join(front + body) + "\n"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(out: Path, size: int, *, seed: int = DEFAULT_SEED, source: Path | None = None) -> Path:
    """Write `size` synthetic entries under out/content; returns that content dir."""
    source = source or bundled_resources() / "content"
    corpus = load_corpus(source)
    gen = Generator(corpus, seed + size)
    content = Path(out) / "content"
    if content.exists():
        shutil.rmtree(content)
    for kind in ("procedure", "complication", "management"):
        (content / kind).mkdir(parents=True, exist_ok=True)
    for name in (*RESOURCE_FILES, "VERSION"):
        shutil.copyfile(resource_file(name, source), Path(out) / name)
    plan = []
    used_ids: set[str] = set()
    for _ in range(size):
        template = gen.rng.choice(gen.templates)
        title = gen._title()
        base = slugify(title)[:60].strip("-")
        entry_id, n = base, 2
        while entry_id in used_ids:
            entry_id, n = f"{base}-{n}", n + 1
        used_ids.add(entry_id)
        plan.append((entry_id, title, template))
    ids = [entry_id for entry_id, _, _ in plan]
    for entry_id, title, template in plan:
        text = gen.entry(entry_id, title, template, ids)
        (content / template.entry.kind / f"{entry_id}.md").write_text(text, encoding="utf-8")
    return content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    content = write_corpus(args.out, args.size, seed=args.seed)
    print(f"wrote {args.size} entries to {content} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
