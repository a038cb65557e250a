"""`fitness exercises list | show | validate`."""

from fitness.errors import NotImplementedYet


def list_(args) -> int:
    raise NotImplementedYet("'fitness exercises list' is not implemented yet")


def show(args) -> int:
    raise NotImplementedYet("'fitness exercises show' is not implemented yet")


def validate(args) -> int:
    raise NotImplementedYet("'fitness exercises validate' is not implemented yet")
