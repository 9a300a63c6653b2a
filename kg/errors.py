"""Named errors. The library raises these; the CLI adds a hint and an exit code."""

from __future__ import annotations


class KgError(Exception):
    """Base class for every error `kg` reports to a user."""

    #: Exit code the CLI uses for this error.
    exit_code = 1
    hint = ""


class InputError(KgError):
    """The input could not be used: a missing path, nothing readable, a bad option."""

    exit_code = 2


class GraphFileError(KgError):
    """A graph.json that is missing or not a kg graph."""

    exit_code = 2
    hint = "Run `kg build NOTES_DIR` first, or pass --graph PATH."


class AliasFileError(InputError):
    """The alias file could not be read."""


class QueryError(KgError):
    """A canned query that cannot run: unknown name, missing argument, unknown entity."""

    exit_code = 2


class BackendError(KgError):
    """A database that cannot be reached or refused the request."""

    exit_code = 1


class NoteTooDense(KgError):
    """A note that would take more work than one note may: it is skipped with this reason."""


class OutputError(KgError):
    """An output file or folder that cannot be written (permissions, a full disk)."""

    exit_code = 1
    hint = "Check that the folder is writable, or choose another with --out."
