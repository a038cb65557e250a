"""Handlers of the `fitness` subcommands: turn parsed arguments into calls and print results. No logic."""
