"""The tooling is part of the suite: lint, layering and the public surface."""

import ast
import subprocess
import sys

import kg
from conftest import REPO

# Each layer may import only the layers below it (kg.vocab, kg.errors and
# kg.datafiles are shared vocabulary every layer may use).
LAYERS = [
    ("kg/notes.py", "kg/files.py", "kg/formats/"),
    ("kg/extract/",),
    ("kg/resolve.py", "kg/aliases.py"),
    ("kg/graph.py", "kg/item_state.py"),
    ("kg/cache.py", "kg/cache_codec.py", "kg/outdir.py", "kg/parallel.py", "kg/build.py",
     "kg/dask_executor.py", "kg/index.py", "kg/subgraphs.py", "kg/lookup.py", "kg/queries.py",
     "kg/backends/", "kg/viz", "kg/graph_diff.py", "kg/export.py", "kg/search.py",
     "kg/answers.py"),
    ("kg/cli",),
]
SHARED = {"kg.vocab", "kg.errors", "kg.datafiles", "kg"}


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "kg", "tests", "benchmarks"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _layer(path: str) -> int:
    return next(i for i, prefixes in enumerate(LAYERS) if path.startswith(prefixes))


def _module(path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def test_layers_import_only_downwards():
    modules = {}
    for path in (REPO / "kg").rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel in ("kg/__init__.py", "kg/vocab.py", "kg/errors.py", "kg/datafiles.py") \
                or rel.endswith("__init__.py"):
            continue
        modules[_module(path)] = (rel, path)
    bad = []
    for name, (rel, path) in sorted(modules.items()):
        package = name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                target = node.module
            else:
                continue
            if target in SHARED or target not in modules:
                continue
            if _layer(modules[target][0]) > _layer(rel):
                bad.append(f"{rel} imports {target}")
    assert not bad, bad


def test_public_surface_is_exported():
    assert set(kg.__all__) == {"BuildOptions", "BuildResult", "KgError", "__version__", "build",
                               "read_graph"}
    for name in kg.__all__:
        assert hasattr(kg, name)
