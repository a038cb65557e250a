"""`fitness models list | fetch | verify`."""

from fitness.errors import NotImplementedYet


def list_(args) -> int:
    raise NotImplementedYet("'fitness models list' is not implemented yet")


def fetch(args) -> int:
    raise NotImplementedYet("'fitness models fetch' is not implemented yet")


def verify(args) -> int:
    raise NotImplementedYet("'fitness models verify' is not implemented yet")
