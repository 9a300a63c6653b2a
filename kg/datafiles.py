"""Where the shipped data folders are: `pipelines/` and `queries/`.

They live at the top of the repository so people can read and edit them, and
are installed inside the package (as `kg.pipelines` and `kg.cypher`) so a
non-editable `pip install .` works. In a source checkout the top-level
folders win, so an edit takes effect without reinstalling.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(folder: str, package: str) -> Path:
    local = _CHECKOUT / folder
    if local.is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return local
    return Path(str(resources.files(package)))


def pipelines_dir() -> Path:
    return data_dir("pipelines", "kg.pipelines")


def queries_dir() -> Path:
    return data_dir("queries", "kg.cypher")
