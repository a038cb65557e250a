"""Every argument of every command has a help text, so `--help` explains itself to a newcomer."""

from __future__ import annotations

import argparse

from fitness import cli


def _parsers(parser: argparse.ArgumentParser, prog: str = "fitness"):
    yield prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{prog} {name}")


def test_every_argument_of_every_command_has_a_help_text():
    missing = []
    seen = 0
    for prog, parser in _parsers(cli.build_parser()):
        assert parser.description, f"'{prog} --help' has no description"
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            seen += 1
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                kind = "/".join(action.option_strings) or "positional"
                missing.append(f"{prog}: {action.metavar or action.dest} ({kind})")
            if isinstance(action, argparse._SubParsersAction):
                missing += [f"{prog}: command {c.dest}" for c in action._choices_actions if not (c.help or "").strip()]
    assert seen > 50
    assert not missing, "arguments without help: " + "; ".join(missing)

