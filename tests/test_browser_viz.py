"""The graph page in headless Chromium, opened from disk with every network request refused.

One browser for the module; each test opens its own page. Also writes docs/graph.png,
the screenshot the README shows.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import pytest

from kg.build import build
from kg.graph import read_graph
from kg.viz import write_page

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-quic"]
HOSTILE = "<img src=x onerror=alert(1)>"
TIP_POINT = """id => {
  const p = kg.network.canvasToDOM(kg.network.getPositions([id])[id]);
  const r = document.getElementById('kg-graph').getBoundingClientRect();
  return [r.left + p.x, r.top + p.y];
}"""
INK = """() => {
  const c = document.querySelector('#kg-graph canvas');
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
  return ink;
}"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./scripts/test.sh, which installs it")
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        # bypass_csp: the page's own CSP would block requests before our listener saw them.
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS, bypass_csp=True,
            viewport={"width": 1280, "height": 800})
        yield ctx
        ctx.close()


class Visit:
    """A page with everything that went wrong on it recorded."""

    def __init__(self, ctx, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = page = ctx.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)
        page.goto(path.as_uri())
        page.wait_for_function("window.kgReady === true", timeout=20_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            return route.continue_()
        self.requests.append(url)
        return route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def hover(self, node_id: str) -> str:
        x, y = self.page.evaluate(TIP_POINT, node_id)
        self.page.mouse.move(x - 40, y - 40)
        self.page.mouse.move(x, y, steps=4)
        self.page.wait_for_function(f"document.getElementById('kg-tip').dataset.id === "
                                    f"{node_id!r}", timeout=5_000)
        return self.page.inner_text("#kg-tip")

    def assert_clean(self):
        assert self.errors == [] and self.requests == [] and self.dialogs == []


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    result = build([REPO / "seeds"], out)
    write_page(result.graph, out / "graph.html")
    return out


def test_page_draws_the_whole_graph_offline(browser, seed_page):
    v = Visit(browser, seed_page / "graph.html")
    g = read_graph(seed_page / "graph.json")
    ids = v.page.evaluate("kg.nodes.getIds()")
    assert sorted(ids) == sorted(g.nodes)
    assert v.page.evaluate("kg.network.body.nodeIndices.length") == g.number_of_nodes()
    edges = v.page.evaluate("kg.edges.get().map(e => [e.from, e.to, e.label])")
    assert sorted(map(tuple, edges)) == sorted(g.edges(keys=True))
    assert v.page.evaluate(INK) > 2000, "the canvas is blank"
    legend = v.page.inner_text("#kg-legend")
    assert "Person" in legend and "Ticket" in legend
    v.assert_clean()
    v.page.close()


def test_search_focuses_a_node_and_hover_shows_evidence(browser, seed_page):
    v = Visit(browser, seed_page / "graph.html")
    v.page.fill("#kg-search", "emily watson")
    v.page.press("#kg-search", "Enter")
    assert v.page.evaluate("kg.network.getSelectedNodes()") == ["person:emily-watson"]
    assert v.page.evaluate("window.kgFocused") == "person:emily-watson"
    v.page.evaluate("kg.network.fit({animation: false})")
    tip = v.hover("person:emily-watson")
    assert "Emily Watson" in tip and "Evidence" in tip
    assert ".txt:" in tip or ".md:" in tip  # file:line of an evidence line
    (REPO / "docs").mkdir(exist_ok=True)
    v.page.screenshot(path=str(REPO / "docs" / "graph.png"))
    v.page.fill("#kg-search", "no such node at all")
    v.page.press("#kg-search", "Enter")
    assert "No node matches" in v.page.inner_text("#kg-status")
    v.assert_clean()
    v.page.close()


def test_hovering_an_edge_shows_its_type_and_evidence(browser, seed_page):
    v = Visit(browser, seed_page / "graph.html")
    v.page.evaluate("kg.network.fit({animation: false})")
    edge = v.page.evaluate("kg.edges.get().find(e => e.label === 'OWNS').id")
    x, y = v.page.evaluate("""id => {
      const p = kg.network.canvasToDOM(kg.network.body.edges[id].edgeType.getPoint(0.5));
      const r = document.getElementById('kg-graph').getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    }""", edge)
    v.page.mouse.move(x - 30, y - 30)
    v.page.mouse.move(x, y, steps=4)
    v.page.wait_for_function("id => document.getElementById('kg-tip').dataset.id === id", arg=edge,
                             timeout=5_000)
    tip = v.page.inner_text("#kg-tip")
    assert "OWNS" in tip and "Evidence" in tip
    v.assert_clean()
    v.page.close()


def test_label_checkboxes_filter_the_drawing(browser, seed_page):
    v = Visit(browser, seed_page / "graph.html")
    g = read_graph(seed_page / "graph.json")
    people = sum(a["label"] == "Person" for _, a in g.nodes(data=True))
    v.page.uncheck('#kg-legend input[data-label="Person"]')
    assert v.page.evaluate("kg.view.length") == g.number_of_nodes() - people
    v.page.check('#kg-legend input[data-label="Person"]')
    assert v.page.evaluate("kg.view.length") == g.number_of_nodes()
    v.assert_clean()
    v.page.close()


def test_hostile_note_text_is_shown_literally_and_runs_nothing(browser, tmp_path):
    result = build([REPO / "tests" / "fixtures" / "viz"], tmp_path)
    g = result.graph
    # The extractor rightly refuses this "name", so add it as a graph could carry it.
    g.add_node("person:x", label="Person", name=HOSTILE, aliases=[], mentions=1)
    meeting = next(n for n, a in g.nodes(data=True) if a["label"] == "Meeting")
    g.add_edge("person:x", meeting, key="ATTENDED", type="ATTENDED",
               evidence=[{"source": "n.md", "line": 3, "date": "2024-11-20",
                          "text": f"**Attendees:** {HOSTILE}</script><script>alert(2)</script>"}])
    page = write_page(g, tmp_path / "hostile.html")
    v = Visit(browser, page)
    v.page.evaluate("kg.network.fit({animation: false})")
    tip = v.hover("person:x")
    assert HOSTILE in tip and "</script><script>alert(2)</script>" in tip
    tip = v.hover(meeting)
    assert "<script>window.kgPwned = 1</script>" in tip
    assert v.page.evaluate("document.querySelectorAll('#kg-tip *:not(div,h4,dl,dt,dd,ul,li,span)')"
                           ".length") == 0
    assert v.page.evaluate("document.querySelectorAll('img, svg, b').length") == 0
    assert v.page.evaluate("window.kgPwned") is None
    v.page.wait_for_timeout(300)  # give any injected onerror handler a chance to fire
    v.assert_clean()
    v.page.close()


def test_big_graph_is_capped_says_so_and_settles(browser, tmp_path):
    spec = importlib.util.spec_from_file_location("viz_bench", REPO / "benchmarks" / "viz_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    g = bench.synthetic_graph(3000)
    v = Visit(browser, write_page(g, tmp_path / "big.html"))
    assert v.page.evaluate("kg.nodes.length") == 500
    assert f"showing 500 of {g.number_of_nodes():,} nodes" in v.page.inner_text("#kg-notes").lower()
    assert v.page.evaluate("kg.network.physics.physicsEnabled") is False
    # 2 s on a developer machine (benchmarks/VIZ_RESULTS.md); generous here for shared CI.
    assert v.page.evaluate("window.kgReadyMs") < 8000
    assert v.page.evaluate(INK) > 2000
    v.assert_clean()
    v.page.close()
