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



def test_a_command_built_alone_reads_and_explains_itself_as_in_the_whole_command_line():
    """`app` builds only the command it runs (start-up, #20): its parsers are those of the whole command line."""
    whole = dict(_parsers(cli.build_parser()))
    built = set()
    for names, _ in cli._SECTIONS:
        for name in names:
            alone = dict(_parsers(cli.build_parser(name)))
            assert {prog.split()[1] for prog in alone if prog != "fitness"} == set(names)
            for prog, parser in alone.items():
                if prog != "fitness":
                    assert parser.format_help() == whole[prog].format_help(), prog
                    built.add(prog)
    assert built == set(whole) - {"fitness"}


def test_the_command_is_the_first_word_that_is_no_option():
    assert cli.command_named(["--debug", "run", "squats", "--video", "workout"]) == "run"
    assert cli.command_named(["summary", "last"]) == "summary"
    assert cli.command_named(["runs", "squats"]) is None  # argparse lists the commands
    assert cli.command_named(["--version"]) is None
