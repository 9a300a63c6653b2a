"""A non-editable install carries its data: pipelines/ and queries/ ship in the package."""

import os
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_non_editable_install_builds_and_queries(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(REPO)],
                   check=True, capture_output=True, cwd=tmp_path)
    assert (target / "kg" / "pipelines" / "config.cfg").is_file()
    assert (target / "kg" / "cypher" / "owners.cypher").is_file()
    assert (target / "kg" / "formats" / "docx.py").is_file()
    # The distribution is kg-minutes ("kg" on PyPI is another project); the command is kg.
    assert list(target.glob("kg_minutes-*.dist-info"))
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
    build = subprocess.run(run + ["build", str(REPO / "seeds"), "--out", str(tmp_path / "out")],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    query = subprocess.run(run + ["query", "owners", "NEXUS-2000", "--graph",
                                  str(tmp_path / "out" / "graph.json"), "--format", "json"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert query.returncode == 0, query.stderr
    assert "Emily Watson" in query.stdout
