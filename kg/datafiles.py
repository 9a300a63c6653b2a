"""Where the shipped data folders are: `pipelines/` and `queries/`.

They live at the top of the repository so people can read and edit them, and
are installed inside the package (as `kg.pipelines` and `kg.cypher`) so a
non-editable `pip install .` works. In a source checkout the top-level
folders win, so an edit takes effect without reinstalling.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_dir(folder: str, installed_as: str) -> Path:
    """`folder` of the checkout, or its copy installed as `kg/<installed_as>`."""
    local = _CHECKOUT / folder
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    return _PACKAGE / installed_as


def pipelines_dir() -> Path:
    return data_dir("pipelines", "pipelines")


def queries_dir() -> Path:
    return data_dir("queries", "cypher")
