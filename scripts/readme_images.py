"""Regenerate the README's pictures of the graph page, on purpose (tests never touch them).

    python scripts/readme_images.py            # docs/graph.png and docs/graph-300.png

docs/graph.png: the page of seeds/ with Emily Watson searched for and her panel open.
docs/graph-300.png: the default view of a generated 300-note corpus
(benchmarks/generate.py, seed 7). Both pages are coloured as of their graph's latest
meeting date, so the same code gives the same picture on any day.
Needs Chromium at /usr/bin/chromium (scripts/test.sh installs it) and playwright.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from viz_bench import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from kg import vocab as V  # noqa: E402
from kg.build import BuildOptions, build  # noqa: E402
from kg.viz import write_page  # noqa: E402


def page_for(notes: Path, out: Path) -> Path:
    graph = build([notes], out, BuildOptions(cache=False)).graph
    latest = max(a["date"] for _, a in graph.nodes(data=True)
                 if a["label"] == V.MEETING and a.get("date"))
    return write_page(graph, out / "graph.html", as_of=latest)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = page_for(REPO / "seeds", tmp / "seeds")
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "300",
                        "--out", str(tmp / "c300")], check=True, capture_output=True)
        corpus = page_for(tmp / "c300" / "notes", tmp / "c300")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)
            for path, shot, search in ((seeds, "graph.png", "Emily Watson"),
                                       (corpus, "graph-300.png", None)):
                page.goto(path.as_uri())
                page.wait_for_function("window.kgReady === true", timeout=60_000)
                if search:
                    page.fill("#kg-search", search)
                    page.press("#kg-search", "Enter")
                    page.evaluate("kg.network.fit({animation: false})")
                page.screenshot(path=str(REPO / "docs" / shot))
                print(f"wrote docs/{shot}")
            browser.close()


if __name__ == "__main__":
    main()
