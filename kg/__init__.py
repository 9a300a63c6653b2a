"""kg: a deterministic, provenance-first knowledge graph of your meeting notes.

The public names are imported on first use: `kg --version` or a query must not
pay for spaCy and NetworkX (seconds) just because the package was imported.
"""

import importlib
import sys
import types

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_PUBLIC = {"BuildOptions": ".build", "BuildResult": ".build", "build": ".build",
           "KgError": ".errors", "read_graph": ".graph"}

__all__ = ["BuildOptions", "BuildResult", "KgError", "__version__", "build", "read_graph"]


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """`kg.build` is the function, as it always was, even once the submodule is imported.

    Importing kg.build sets the package attribute `build` to the submodule; this
    property keeps answering with the function (the module is sys.modules["kg.build"]).
    """

    @property
    def build(self):
        return importlib.import_module(".build", __name__).build

    @build.setter
    def build(self, _module) -> None:
        pass


sys.modules[__name__].__class__ = _Package
