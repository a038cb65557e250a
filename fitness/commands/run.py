"""`fitness run`: one live or recorded session."""

from fitness.errors import NotImplementedYet


def run(args) -> int:
    raise NotImplementedYet("'fitness run' is not implemented yet")
