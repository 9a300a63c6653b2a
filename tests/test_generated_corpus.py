"""The generated benchmark corpus still builds to exactly the facts planted in it.

`benchmarks/generate.py` writes notes in the styles the extractor was written
against, with names from its own lists, and records the facts it planted. That
makes this a regression guard for those styles and for the benchmark corpus,
not a measure of quality: it passes by construction when nothing breaks.
Quality is measured on notes kg was not written for (`kg_real_eval.py` on real
minutes) and on the invented shapes of `test_note_shapes.py`.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import bench_generator
from kg.build import BuildOptions, build

generate = bench_generator()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen")
    expected = generate.generate(30, out, seed=11)
    result = build([out / "notes"], None, BuildOptions(workers=1, cache=False))
    return expected, result


def _checked_edges(graph) -> set[tuple[str, str, str]]:
    def name(nid):
        attrs = graph.nodes[nid]
        return nid if attrs["label"] in ("Meeting", "ActionItem") else attrs["name"]
    return {(name(u), d["type"], name(v)) for u, v, d in graph.edges(data=True)
            if d["type"] in generate.CHECKED}


def test_no_planted_fact_is_lost(built):
    expected, result = built
    missing = {tuple(f) for f in expected["facts"]} - _checked_edges(result.graph)
    assert not missing, f"{len(missing)} lost, by type {Counter(f[1] for f in missing)}: " \
                        f"{sorted(missing)[:10]}"


def test_no_fact_beyond_the_planted_ones(built):
    expected, result = built
    extra = _checked_edges(result.graph) - {tuple(f) for f in expected["facts"]}
    assert not extra, f"{len(extra)} invented: {sorted(extra)[:10]}"


def test_every_style_and_type_is_planted(built):
    expected, result = built
    kinds = {f[1] for f in expected["facts"]}
    assert kinds == set(generate.CHECKED)
    suffixes = Counter(s.rsplit("-", 1)[0].split("-", 3)[3] for s in result.read)
    assert set(suffixes) == {s.replace("_", "-") for s in generate.Generator.STYLES}
    assert not result.warnings


def test_generation_is_deterministic(tmp_path):
    a = generate.generate(14, tmp_path / "a", seed=3)
    b = generate.generate(14, tmp_path / "b", seed=3)
    assert a == b
    for f in (tmp_path / "a" / "notes").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / "notes" / f.name).read_bytes()


def test_first_names_used_alone_belong_to_one_person():
    pools = generate.make_pools(10_000, generate.random.Random(1))
    firsts = Counter(p.first for p in pools.people)
    assert all(firsts[p.first] == 1 for p in pools.unique_first)
    assert len({p.name for p in pools.people}) == len(pools.people)
