"""`fitness history [delete|import]` and `fitness summary`."""

from fitness.errors import NotImplementedYet


def list_(args) -> int:
    raise NotImplementedYet("'fitness history' is not implemented yet")


def delete(args) -> int:
    raise NotImplementedYet("'fitness history delete' is not implemented yet")


def import_(args) -> int:
    raise NotImplementedYet("'fitness history import' is not implemented yet")


def summary(args) -> int:
    raise NotImplementedYet("'fitness summary' is not implemented yet")
