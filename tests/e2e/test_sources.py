"""One assembly path: build-index, search, screenshot and the app's background rebuild read the
same content and packs, and validate them the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from main import main


@pytest.fixture
def loads(monkeypatch) -> list[tuple]:
    """What every build read: content dir, packs, the entries after packs, and the problems found."""
    from index import sources as assembly

    records: list[tuple] = []
    real = assembly.load

    def spy(src, **kwargs):
        corpus, problems = real(src, **kwargs)
        records.append((src.content, src.packs, sorted(corpus.entries), sorted(str(p) for p in problems)))
        return corpus, problems

    monkeypatch.setattr(assembly, "load", spy)
    return records


@pytest.mark.gui
def test_every_path_loads_and_validates_the_same_sources(
    qtbot, capsys, make_window, loads, mini_corpus: Path, mini_pack: Path, tmp_path: Path
) -> None:
    from index.library import Policy, open_library, sources

    headache = mini_corpus / "complication" / "fixture-headache.md"
    headache.write_text(headache.read_text().replace("neck-stiffness]", "neck-stiffness, made-up-symptom]"))
    given = ["--content", str(mini_corpus), "--pack", str(mini_pack)]

    assert main(["--data-dir", str(tmp_path / "build"), "build-index", *given]) == 1  # the content has an error
    assert "unknown symptom 'made-up-symptom'" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "search"), "search", "zebra clinic", "--json", *given]) == 0
    assert '"local-zebra-clinic"' in capsys.readouterr().out
    png = tmp_path / "shot.png"
    assert main(["--data-dir", str(tmp_path / "shot"), "screenshot", str(png), "--query", "zebra", *given]) == 0

    app_data = tmp_path / "app"
    open_library(sources(app_data, mini_corpus, [], Policy())).close()  # yesterday's index, without the pack
    del loads[-1]
    win = make_window(app_data, mini_corpus, packs=[mini_pack])
    qtbot.waitUntil(lambda: win.library is not None and win.library.report.rebuilt, timeout=30000)

    assert len(loads) == 4, loads
    content, packs, entries, problems = loads[0]
    assert content == mini_corpus and packs == (mini_pack,) and "local-zebra-clinic" in entries
    assert any("unknown symptom 'made-up-symptom'" in p for p in problems)
    assert all(record == loads[0] for record in loads[1:]), loads
