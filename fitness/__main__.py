"""`python -m fitness` is the same as the `fitness` command."""

from fitness.cli import app

if __name__ == "__main__":
    raise SystemExit(app())
