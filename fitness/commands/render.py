"""`fitness render` (synthetic athlete videos) and `fitness eval` (accuracy over rendered clips)."""

from fitness.errors import NotImplementedYet


def render(args) -> int:
    raise NotImplementedYet("'fitness render' is not implemented yet")


def eval_(args) -> int:
    raise NotImplementedYet("'fitness eval' is not implemented yet")
