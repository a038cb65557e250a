"""The one exception hierarchy of the project; the CLI turns each into one readable line and an exit code."""

from __future__ import annotations

from fitness.text import printable


class FitnessError(Exception):
    """Base of every error the user should see as one clear line (exit code 1)."""

    exit_code = 1


class UsageError(FitnessError):
    """The command line asked for something impossible (exit code 2, like argparse)."""

    exit_code = 2


class ModelError(FitnessError):
    """MoveNet weights could not be fetched, verified, converted or run."""


class SourceError(FitnessError):
    """A camera, video or image folder could not be opened or read."""


class InputError(FitnessError):
    """An array handed to a stage has the wrong shape, dtype or is empty."""


class DefinitionError(FitnessError):
    """An exercise definition (YAML) is wrong; says where, what was expected and how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.suggestion = suggestion
        super().__init__(self.__str__())

    def __str__(self) -> str:
        """`file:line:col: field: message — suggestion`, leaving out the parts that are unknown.

        The text comes from the user's file and command line, so control characters are removed.
        """
        where = self.file or ("line" if self.line is not None else "")
        if self.line is not None:
            where += f":{self.line}" if self.file else f" {self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [p for p in (where, self.field) if p]
        hint = f" — {self.suggestion}" if self.suggestion else ""
        return printable("".join(f"{p}: " for p in parts) + f"{self.message}{hint}")


class HistoryError(FitnessError):
    """The workout history database is missing, corrupt, or from a newer version."""
