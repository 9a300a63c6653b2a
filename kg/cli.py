"""The `kg` command line: each command parses options and makes one library call."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from . import __version__
from .cli_diff import diff_cmd
from .cli_export import export_cmd
from .cli_mcp import mcp_cmd
from .cli_neo4j import cypher_cmd, load_cmd, load_into_neo4j, neo4j_options, query_cmd
from .cli_open import open_cmd, open_command
from .cli_output import printable, to_json
from .cli_search import search_cmd
from .cli_viz import viz_cmd
from .errors import InputError, KgError
from .notes import DEFAULT_MAX_BYTES
from .outdir import DEFAULT_OUT


class KgGroup(click.Group):
    """Turns library errors into one-line messages with a hint and a meaningful exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            hint = f"\nHint: {printable(exc.hint)}" if exc.hint else ""
            click.echo(f"Error: {printable(str(exc))}{hint}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            # Workers ignore SIGINT and are stopped by the parent: this is the only line.
            click.echo("Error: interrupted", err=True)
            sys.exit(130)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Turn a folder of meeting notes into a knowledge graph.

    \b
    Example:
      kg build seeds/            # writes kg-out/graph.json
    """


def format_option(f):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="Summary as readable text or as JSON.")(f)


@main.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True,
              type=click.Path(path_type=Path), help="Folder for graph.json.")
@click.option("--aliases", type=click.Path(dir_okay=False, path_type=Path),
              help="Alias file forcing or forbidding merges (default: kg-aliases.toml "
                   "in the notes folder, if present).")
@click.option("--incident-prefix", "incident_prefixes", multiple=True, metavar="PREFIX",
              help="Key prefix that marks an incident, not a ticket (repeatable; default INC).")
@click.option("--max-file-mb", type=float, default=DEFAULT_MAX_BYTES / 1024 / 1024,
              show_default=True, help="Skip notes larger than this.")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Read only files matching GLOB (repeatable): a name glob such as '*.vtt', "
                   "or a path glob from the folder given such as 'team/*'.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Do not read files matching GLOB (repeatable), e.g. 'drafts/*' or '*.html'.")
@click.option("--follow-symlinks", is_flag=True,
              help="Also read links to files outside the notes folder (skipped by default).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Extraction processes (default: CPU count; one for under 50 changed files).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where notes are extracted: processes on this machine, "
                                      "or the workers of a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="--executor dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: start "
                   "a local cluster of --workers processes).")
@click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
              help="Reuse OUT/.kg-cache/ to re-extract only changed notes.")
@click.option("--html/--no-html", default=True, show_default=True,
              help="Also write OUT/graph.html, the interactive graph page.")
@click.option("--as-of", metavar="DATE", help="Colour the page's action items as open, done or "
              "overdue on DATE (YYYY-MM-DD; default today).")
@click.option("--neo4j", "to_neo4j", is_flag=True,
              help="Also load the graph into Neo4j (settings as for `kg load`).")
@neo4j_options
@format_option
def build_cmd(paths, out_dir, aliases, incident_prefixes, max_file_mb, include, exclude,
              follow_symlinks, workers, executor, scheduler, use_cache, html, as_of, to_neo4j, fmt,
              **neo4j) -> None:
    """Extract a knowledge graph from the notes under PATHS.

    Reads .md, .markdown and .txt notes, .vtt and .srt transcripts, .docx
    documents and .html exports (folders recursively; any other file is
    listed as skipped) and writes OUT/graph.json (NetworkX node-link JSON).
    Exit code 0 when a graph was written, 2 when nothing could be built.

    \b
    Example:
      kg build seeds/ --out kg-out
      kg build notes/2024 notes/2025 --format json
      kg build notes/ --executor dask --scheduler tcp://10.0.0.5:8786
      kg build ~/Meetings --include '*.vtt' --include '*.docx' --exclude 'archive/*'
    """
    from .build import BuildOptions, build  # spaCy and NetworkX: only for this command
    from .viz import check_date

    if scheduler and executor != "dask":
        err = InputError("--scheduler applies only to --executor dask")
        err.hint = "Add --executor dask, or leave out --scheduler."
        raise err
    if as_of is not None:  # checked now, not after minutes of extraction
        as_of = check_date(as_of, "--as-of")
    options = BuildOptions(incident_prefixes=tuple(p.upper() for p in incident_prefixes) or None,
                           max_bytes=_max_bytes(max_file_mb), aliases=aliases, workers=workers,
                           cache=use_cache, follow_symlinks=follow_symlinks, html=html,
                           executor=executor, scheduler=scheduler, include=include,
                           exclude=exclude, as_of=as_of)
    result = build(paths, out_dir, options, progress=_progress,
                   on_wait=lambda message: click.echo(printable(message), err=True))
    summary = result.summary()
    if to_neo4j:
        summary["neo4j"] = load_into_neo4j(result.graph, quiet=fmt == "json", **neo4j)
    if fmt == "json":
        click.echo(to_json(summary))
        return
    _print_summary(result)
    if to_neo4j:
        from .cli_neo4j import echo_load_summary

        echo_load_summary(summary["neo4j"])


def _max_bytes(megabytes: float) -> int:
    if not math.isfinite(megabytes) or megabytes <= 0:
        err = InputError(f"--max-file-mb {megabytes} is not a size in megabytes")
        err.hint = "Give a number above 0, e.g. --max-file-mb 20."
        raise err
    return min(int(megabytes * 1024 * 1024), sys.maxsize - 1)


def _progress(files):
    """A progress bar over `files` on a terminal, for builds long enough to want one."""
    if not sys.stderr.isatty() or len(files) < 20:
        return files
    return _bar(files)


def _bar(files):
    # click only renders (and allows iterating) a bar inside its `with` block.
    with click.progressbar(files, label="Extracting", file=sys.stderr,
                           item_show_func=lambda f: printable(f.source) if f else "") as bar:
        yield from bar


def _print_summary(result) -> None:
    """The build summary; every piece of note text or file name in it made printable."""
    labels, rels = result.counts()
    lines = [f"Read {len(result.read)} notes, skipped {len(result.skipped)} "
             f"in {result.seconds:.2f}s."]
    lines += [f"  skipped {printable(s.source)}: {printable(s.reason)}" for s in result.skipped]
    lines.append("Nodes:         " + ", ".join(f"{printable(str(k))} {v}"
                                               for k, v in sorted(labels.items())))
    lines.append("Relationships: " + ", ".join(f"{printable(str(k))} {v}"
                                               for k, v in sorted(rels.items())))
    lines += [f"  warning: {printable(w)}" for w in result.warnings]
    if result.out_path:
        lines.append(f"Graph: {printable(str(result.out_path))}")
    if result.page_path:
        lines.append(f"Page:  {printable(str(result.page_path))}")
        default = result.page_path == Path(DEFAULT_OUT) / "graph.html"
        again = "kg open" if default else f"kg open {result.page_path}"
        lines.append(f"Open it: {printable(again)}   (or: "
                     f"{printable(open_command(result.page_path))})")
    click.echo("\n".join(lines))


for _cmd in (query_cmd, load_cmd, cypher_cmd, viz_cmd, open_cmd, export_cmd, search_cmd,
             mcp_cmd):
    main.add_command(_cmd)
main.add_command(diff_cmd)


if __name__ == "__main__":  # pragma: no cover
    main()
