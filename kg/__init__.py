"""kg: a deterministic, provenance-first knowledge graph of your meeting notes."""

__version__ = "0.1.0"

from .build import BuildOptions, BuildResult, build  # noqa: E402
from .errors import KgError  # noqa: E402
from .graph import read_graph  # noqa: E402

__all__ = ["BuildOptions", "BuildResult", "KgError", "__version__", "build", "read_graph"]
