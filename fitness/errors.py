"""The one exception hierarchy of the project; the CLI turns each into one readable line and an exit code."""

from __future__ import annotations


class FitnessError(Exception):
    """Base of every error the user should see as one clear line (exit code 1)."""

    exit_code = 1


class UsageError(FitnessError):
    """The command line asked for something impossible (exit code 2, like argparse)."""

    exit_code = 2


class NotImplementedYet(FitnessError):
    """A documented command that this version does not do yet."""


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
        where = self.file or "<definition>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        hint = f" — {self.suggestion}" if self.suggestion else ""
        return f"{where}:{field} {self.message}{hint}"


class HistoryError(FitnessError):
    """The workout history database is missing, corrupt, or from a newer version."""
