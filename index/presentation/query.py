"""The query parsed once (after Zeal's SearchQuery): reused by ranking, sections, highlights and
suggestions, so each of them reads the same meaning from the same words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.presentation.context import find_background, find_times
from index.presentation.vocabulary import Match, Meaning, Vocabulary
from index.presentation.words import LINKS, Word, word_key, words

GIVEN_FOR = frozenset("for against".split())
"""A drug typed right before one of these is the treatment asked about ("diphenhydramine for itch after
epidural morphine"): the other drugs typed are the setting."""
PURPOSE = frozenset(["for"])
"""A procedure typed after one of these, following other words, is what they are for ("gown and mask for a
labour epidural"): the setting of the question, unless it asks how to do the procedure."""
SETTING = frozenset("after post following since postop".split())
"""A procedure named right after one of these is the setting of the question ("SDH after ADP"), not
its topic."""
NEGATIONS = frozenset("no not without little minimal nil absent never denies".split())
"""A symptom phrase right after one of these is said to be absent ("little motor block", "no fever")."""
PREVENTED = frozenset(
    word_key(w) for w in "avoid avoiding prevent preventing prevention reduce reducing minimise".split()
)
"""... or to be prevented, not present ("which needle to avoid a headache")."""
_LAST_WORD = re.compile(r"([^\W_]+)\W*$")


def _markers(phrases: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The marker phrases as word keys, by their first word (looked up word by word)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases.split("|"):
        key = tuple(w.key for w in words(phrase))  # typed words are read without fillers too
        if key and key not in by_first.get(key[0], []):
            by_first.setdefault(key[0], []).append(key)
    return {first: tuple(keys) for first, keys in by_first.items()}


TRIED_AFTER = _markers(
    "not helping|not helped|not working|not worked|not work|didnt help|didnt work|doesnt help|doesnt work|"
    "isnt helping|isnt working|wasnt working|stopped working|hasnt helped|hasnt worked|havent helped|wont help|"
    "did not help|did not work|does not help|does not work|is not helping|is not working|has not helped|"
    "have not helped|no help|no better|no effect|no relief|no difference|not effective|ineffective|useless|"
    "failed|fail|"
    "shows|showed|shown|confirms|confirmed|reveals|revealed|tried|done"
)
"""A step typed right before one of these has been done or has failed ("caffeine not helping", "MRI
shows a clot"): the question is what comes after it, not that step again."""
TRIED_BEFORE = _markers("failed|despite|tried|after failed")
"""... or typed right after one of these ("despite caffeine")."""
REFUSED_AFTER = _markers("refused|declined|contraindicated|not allowed|not possible|not an option")
"""A step typed right before one of these will not be done: the question is what else there is."""
REFUSED_BEFORE = _markers(
    "refuses|refused|refusing|declines|declined|declining|doesnt want|dont want|wont have|cant have|cannot have|"
    "no consent for|contraindication to"
)
TRIED_REACH = 2
"""How many words of a step the vocabulary does not know are read as the step ("MRI", "nerve block")."""


@dataclass(frozen=True)
class SearchQuery:
    text: str
    search_text: str  # what the text engine matches: time phrases and question words blanked out
    symptoms: tuple[tuple[str, ...], ...] = ()  # one slot per phrase: any of these symptom ids
    procedures: tuple[str, ...] = ()  # procedure entry ids named
    hours: float | None = None  # time since the procedure
    intent: str | None = None  # "act", "dose", "howto", "equipment", "timing"
    sections: tuple[str, ...] = ()  # headings that answer the intent, best first
    drug_names: tuple[str, ...] = ()  # what the content calls the drugs (or the lab test's topic) typed
    understood: frozenset[str] = frozenset()  # lower-case typed words the vocabulary read: not typos
    drug_words: frozenset[str] = frozenset()  # lower-case typed words that name a drug
    given_names: tuple[str, ...] = ()  # the content names of a drug typed as the treatment ("X for Y")
    given_words: frozenset[str] = frozenset()  # ... and its typed words
    treatment_asked: bool = False  # "<something> for <symptom>": the something is a treatment asked about
    context_words: frozenset[str] = frozenset()  # lower-case typed words that name the procedure
    settings: tuple[str, ...] = ()  # the procedures named as the setting ("after a spinal"), not the topic
    setting_words: frozenset[str] = frozenset()  # lower-case typed words that name those
    symptom_phrases: tuple[tuple[str, ...], ...] = ()  # the typed words of each symptom phrase read
    presentation_share: float = 0.0  # share of the query's words that describe a presentation
    tried: tuple[tuple[str, ...], ...] = ()  # typed words of each step done or failed ("caffeine not helping")
    refused: tuple[tuple[str, ...], ...] = ()  # typed words of each step refused or ruled out

    @property
    def describes_presentation(self) -> bool:
        return bool(self.symptoms)


_BETWEEN = frozenset("feel feeling felt gone went turned become becoming".split())
"""Words that may stand between a body part and what it feels ("bottom feels numb")."""


def _by_body_part(match: Match, typed: list[Word], vocabulary: Vocabulary) -> tuple[Meaning, tuple[Word, ...]]:
    """A numbness, tingling or weakness typed next to a body part is that part's symptom ("pins and
    needles in her hands": hand or arm weakness; "bottom numb": saddle numbness)."""
    meaning = match.meaning
    if meaning.kind != "symptom" or not vocabulary.reread.intersection(meaning.value):
        return meaning, ()
    typed = [w for w in typed if w.key not in _BETWEEN or w.start >= match.words[0].start]
    starts = [w.start for w in typed]
    first = starts.index(match.words[0].start) if match.words[0].start in starts else None
    last = starts.index(match.words[-1].start) if match.words[-1].start in starts else None
    if first is None or last is None:
        return meaning, ()
    for size in (3, 2, 1):  # the part right after the phrase, then right before it
        for keys in (typed[last + 1 : last + 1 + size], typed[max(0, first - size) : first]):
            symptom = vocabulary.body_parts.get(tuple(w.key for w in keys)) if len(keys) == size else None
            if symptom is not None:
                return Meaning("symptom", (symptom,), f"{meaning.name} + body part"), tuple(keys)
    return meaning, ()


POSTURE_WINDOW = 4
"""How many words from a headache a change of posture may be typed ("head splitting when she sits up")."""
_UNSURE = frozenset("no not even still never".split())


def _by_posture(
    match: Match, typed: list[Word], vocabulary: Vocabulary, meaning: Meaning
) -> tuple[Meaning, tuple[Word, ...]]:
    """A headache typed with a change of posture near it is the postural headache, unless a word
    between says otherwise ("no better lying flat")."""
    if meaning.kind != "symptom" or not vocabulary.posture_symptom:
        return meaning, ()
    if not vocabulary.posture_reread.intersection(meaning.value):
        return meaning, ()
    starts = [w.start for w in typed]
    if match.words[0].start not in starts or match.words[-1].start not in starts:
        return meaning, ()
    first, last = starts.index(match.words[0].start), starts.index(match.words[-1].start)
    after = typed[last + 1 : last + 1 + POSTURE_WINDOW + 2]
    before = typed[max(0, first - POSTURE_WINDOW - 2) : first]
    for side, near in (("after", after), ("before", before)):
        for size in (3, 2, 1):
            for i in range(len(near) - size + 1):
                if tuple(w.key for w in near[i : i + size]) not in vocabulary.postures:
                    continue
                between = near[:i] if side == "after" else near[i + size :]
                if len(between) <= POSTURE_WINDOW and not any(w.key in _UNSURE for w in between):
                    posture = tuple(near[i : i + size])
                    return Meaning("symptom", (vocabulary.posture_symptom,), f"{meaning.name} + posture"), posture
    return meaning, ()


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _steps(
    text: str, typed: list[Word], matches: list[Match], after_markers, before_markers
) -> tuple[tuple[str, ...], ...]:
    """The steps a marker says were done (or refused): a phrase the vocabulary read (a drug, a
    procedure) next to the marker, else up to TRIED_REACH unknown words, never across a comma, a
    linking word or a question."""
    keys = [w.key for w in typed]
    unit: dict[int, tuple[int, int]] = {}  # word index -> the matched phrase it is part of
    starts = {w.start: i for i, w in enumerate(typed)}
    for match in matches:
        places = [starts[w.start] for w in match.words if w.start in starts]
        if places:
            for i in places:
                unit[i] = (min(places), max(places) + 1, match.meaning.kind)

    def found(markers: dict[str, tuple[tuple[str, ...], ...]]) -> list[tuple[int, int]]:
        candidates = [
            (len(marker), i)
            for i, key in enumerate(keys)
            for marker in markers.get(key, ())
            if tuple(keys[i : i + len(marker)]) == marker
        ]
        spans: list[tuple[int, int]] = []
        for size, i in sorted(candidates, key=lambda c: (-c[0], c[1])):  # the longest marker wins
            if not any(s < i + size and i < e for s, e in spans):
                spans.append((i, i + size))
        return spans

    after, before = found(after_markers), found(before_markers)
    marker_at = {k for i, j in after + before for k in range(i, j)}

    def apart(a: int, b: int) -> bool:  # a comma or a linking word between two neighbouring words
        return any(ch in ",;.?!" for ch in text[typed[a].end : typed[b].start]) or typed[b].key in LINKS

    def step(i: int, direction: int) -> tuple[str, ...]:
        if not 0 <= i < len(typed) or i in marker_at or typed[i].key in LINKS:
            return ()
        if i in unit:
            start, end, kind = unit[i]
            if kind not in ("procedure", "drug"):
                return ()
            return tuple(text[w.start : w.end].lower() for w in typed[start:end])
        taken = [i]
        while len(taken) < TRIED_REACH:
            nxt = taken[-1] + direction
            if (
                not 0 <= nxt < len(typed)
                or nxt in unit
                or nxt in marker_at
                or apart(min(nxt, taken[-1]), max(nxt, taken[-1]))
            ):
                break
            taken.append(nxt)
        taken.sort()
        return tuple(text[typed[k].start : typed[k].end].lower() for k in taken)

    steps: list[tuple[str, ...]] = []
    for i, _ in after:
        if i > 0 and not apart(i - 1, i):
            steps.append(step(i - 1, -1))
    for _, j in before:
        if j < len(typed) and not apart(j - 1, j):
            steps.append(step(j, 1))
    return tuple(dict.fromkeys(s for s in steps if s))


def _unknown_setting(text: str, typed: list[Word], matches: list[Match], skip: list[tuple[int, int]]) -> set[str]:
    """Words right after "after" that the vocabulary does not know ("fitting after a nerve block"): a
    setting all the same, so they set the context rather than say what is wrong."""
    known = {w.start for match in matches for w in match.words}
    out: set[str] = set()
    for i, word in enumerate(typed[:-1]):
        if word.key not in SETTING:
            continue
        taken: list[Word] = []
        for nxt in typed[i + 1 : i + 1 + TRIED_REACH]:
            previous = taken[-1] if taken else word
            if (
                nxt.start in known
                or nxt.key in LINKS
                or any(s <= nxt.start < e for s, e in skip)
                or any(ch in ",;.?!" for ch in text[previous.end : nxt.start])
            ):
                break
            taken.append(nxt)
        out.update(text[w.start : w.end].lower() for w in taken)
    return out


def _treatment_asked(text: str, typed: list[Word], matches: list[Match]) -> bool:
    """Whether the query asks about a treatment for what it describes: words of their own, then "for"
    right before a symptom, in one clause ("numbing swab up the nose for headache"); "headache for two
    days" and "spinal for knee op, aching legs" are not."""
    kinds = {w.start: m.meaning.kind for m in matches for w in m.words}
    for i, word in enumerate(typed):
        if word.key not in GIVEN_FOR or i == 0:
            continue
        clause_start = (
            max(
                (k for k in range(i) if any(ch in ",;.?!" for ch in text[typed[k].end : typed[k + 1].start])),
                default=-1,
            )
            + 1
        )
        before = typed[clause_start:i]
        after = []
        for w in typed[i + 1 :]:
            if any(ch in ",;.?!" for ch in text[(after[-1] if after else word).end : w.start]):
                break
            after.append(w)
        if after and kinds.get(after[0].start) == "symptom" and before:
            if not any(kinds.get(w.start) in ("symptom", "question", "intent") for w in before):
                return True
    return False


CONJUNCTIONS = frozenset(["when"])
"""Question words that also join a clause ("headache when she sits up")."""


def _asks(text: str, match: Match) -> bool:
    """Whether a question word asks: a lone "when" inside a clause joins it ("headache when she sits
    up"), and a word such as "dose" in the setting names what was given ("20 min after the
    epidural dose"); at the start or end of a clause they ask ("when?", "epidural out when")."""
    start, end = match.words[0].start, match.words[-1].end
    clause = re.split(r"[,;:.?!]", text[:start])[-1]
    if match.meaning.kind == "intent":
        return match.meaning.value[0] != "dose" or not any(w.key in SETTING for w in words(clause))
    if len(match.words) > 1 or match.words[0].key not in CONJUNCTIONS:
        return True
    before, after = words(clause), words(re.split(r"[,;:.?!]", text[end:])[0])
    return not before or not after or before[-1].key in LINKS


def parse_query(text: str, vocabulary: Vocabulary) -> SearchQuery:
    # "bp 90/52" is a value, not 90 weeks; "sat 2 hours after" is a time (the reader leaves it).
    readings = vocabulary.readings(text)
    # "38 weeks pregnant", "at 0300": neither the time since the procedure nor words to match.
    background = [b for b in find_background(text) if not any(_overlap(b, r.span) for r in readings)]
    times = [t for t in find_times(text) if not any(_overlap(b, t.span) for b in background)]
    times = [t for t in times if not any(_overlap(r.span, t.span) for r in readings)]
    spans = [t.span for t in times] + [r.span for r in readings] + background
    matches = vocabulary.match(text, skip=spans)
    blank = [t.span for t in times] + [r.value_span for r in readings] + background
    symptoms: list[tuple[str, ...]] = []
    procedures: list[str] = []
    drugs: list[str] = []
    drug_words: set[str] = set()
    given: list[str] = []
    purposes: list[tuple[str, tuple[str, ...]]] = []
    given_words: set[str] = set()
    context_words: set[str] = set()
    symptom_phrases: list[tuple[str, ...]] = []
    settings: list[str] = []
    setting_words: set[str] = set()
    intent = None
    understood: set[str] = set()
    presenting = 0
    typed_words = words(text)
    for match in matches:
        meaning, part = _by_body_part(match, typed_words, vocabulary)
        meaning, posture = _by_posture(match, typed_words, vocabulary, meaning)
        if part or posture:  # the body part or posture read with the symptom is part of its phrase
            match = Match(meaning, tuple(sorted(match.words + part + posture, key=lambda w: w.start)))
        understood.update(text[w.start : w.end].lower() for w in match.words)
        before = _LAST_WORD.search(text[: match.words[0].start])
        if meaning.kind == "symptom" and before and before.group(1).lower() in NEGATIONS:
            continue  # an absent symptom is not part of the presentation
        previous = words(text[: match.words[0].start])
        if meaning.kind == "symptom" and previous and previous[-1].key in PREVENTED:
            continue  # nor is one the question wants to prevent
        if meaning.kind in ("symptom", "procedure"):
            presenting += len(match.words)
            typed = tuple(text[w.start : w.end].lower() for w in match.words)
            if meaning.kind == "symptom":
                symptom_phrases.append(typed)
            else:
                context_words.update(typed)
        if meaning.kind == "symptom" and meaning.value not in symptoms:
            symptoms.append(meaning.value)
        elif meaning.kind == "procedure":
            if meaning.value[0] not in procedures:
                procedures.append(meaning.value[0])
            previous = words(text[: match.words[0].start])
            if previous and previous[-1].key in SETTING:
                settings.append(meaning.value[0])
                setting_words.update(text[w.start : w.end].lower() for w in match.words)
            elif previous and previous[-1].key in PURPOSE and len(previous) > 1:
                purposes.append((meaning.value[0], tuple(text[w.start : w.end].lower() for w in match.words)))
        elif meaning.kind in ("intent", "question"):
            if _asks(text, match):
                intent = intent or meaning.value[0]
            if meaning.kind == "question":
                # the whole phrase, with the filler words inside it ("what do i do")
                blank.append((match.words[0].start, match.words[-1].end))
        elif meaning.kind == "drug":
            drugs.extend(n for n in meaning.value if n not in drugs)
            drug_words.update(text[w.start : w.end].lower() for w in match.words)
            following = words(text[match.words[-1].end :])
            if following and following[0].key in GIVEN_FOR:
                given.extend(n for n in meaning.value if n not in given)
                given_words.update(text[w.start : w.end].lower() for w in match.words)
    for reading in readings:  # "RR 7": the value shows the symptom; "plt 65": only a value
        understood.update(reading.name_words)
        if reading.measure.about:  # "INR 1.6": a question about anticoagulants, as if one were named
            drugs.extend(n for n in reading.measure.about if n not in drugs)
            drug_words.update(reading.name_words)
        symptom = reading.symptom
        if symptom is None:
            continue
        presenting += len(reading.name_words)
        symptom_phrases.append(reading.name_words)
        if (symptom,) not in symptoms:
            symptoms.append((symptom,))
    if intent not in ("howto", "equipment", "dose", "timing"):  # "gown and mask for an epidural": its need
        for procedure, typed in purposes:
            settings.append(procedure)
            setting_words.update(typed)
    unknown = _unknown_setting(text, typed_words, matches, spans + blank)
    context_words |= unknown
    setting_words |= unknown
    chars = list(text)
    for start, end in blank:
        chars[start:end] = " " * (end - start)
    content = [w for w in words("".join(chars)) if w.key not in LINKS]
    return SearchQuery(
        text=text,
        search_text=" ".join("".join(chars).split()),
        symptoms=tuple(symptoms),
        procedures=tuple(procedures),
        hours=times[0].hours if times else None,
        intent=intent,
        sections=vocabulary.intent_sections.get(intent, ()) if intent else (),
        drug_names=tuple(drugs),
        understood=frozenset(understood),
        drug_words=frozenset(drug_words),
        given_names=tuple(given),
        given_words=frozenset(given_words),
        treatment_asked=_treatment_asked(text, typed_words, matches),
        context_words=frozenset(context_words),
        settings=tuple(dict.fromkeys(settings)),
        setting_words=frozenset(setting_words),
        symptom_phrases=tuple(symptom_phrases),
        presentation_share=min(1.0, presenting / len(content)) if content and symptoms else 0.0,
        tried=_steps(text, typed_words, matches, TRIED_AFTER, TRIED_BEFORE),
        refused=_steps(text, typed_words, matches, REFUSED_AFTER, REFUSED_BEFORE),
    )
