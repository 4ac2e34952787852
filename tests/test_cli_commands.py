"""`tmo` loads a command's module only when that command runs: the table of commands in
tmo.cli names each one's module and one-line help, and must say what the commands say."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from tmo.cli import COMMANDS, cli

CLI_DIR = Path(__file__).resolve().parents[1] / "src" / "tmo" / "cli"
HEAVY = ("pandas", "numpy", "duckdb", "fastapi", "sqlalchemy", "scipy", "jinja2")


def test_each_entry_is_the_command_and_says_what_it_says() -> None:
    for name, (module, short) in COMMANDS.items():
        command = getattr(importlib.import_module(f"tmo.cli.{module}"), name)
        assert isinstance(command, click.Command), name
        assert command.name == name
        assert command.get_short_help_str(1000) == short, name


def test_every_top_level_command_of_the_cli_modules_is_listed() -> None:
    commands = []
    for path in CLI_DIR.glob("*.py"):
        if path.stem in {"__init__", "__main__"}:
            continue
        module = importlib.import_module(f"tmo.cli.{path.stem}")
        commands += [v for v in vars(module).values() if isinstance(v, click.Command)
                     and getattr(v.callback, "__module__", None) == module.__name__]
    # a subcommand may be written in another module than its group (tmo.cli.survey_outputs)
    # and loaded when the group lists its commands
    ctx = click.Context(cli)
    nested = {id(g.get_command(ctx, name)) for g in commands if isinstance(g, click.Group)
              for name in g.list_commands(ctx)}
    found = {c.name for c in commands if id(c) not in nested}
    assert found == set(COMMANDS)


def test_help_and_version_import_no_command_module() -> None:
    script = ("import sys\nfrom tmo.cli import cli\n"
              "for args in (['--help'], ['--version']):\n"
              "    try:\n        cli(args, prog_name='tmo')\n"
              "    except SystemExit:\n        pass\n"
              f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
              "print(sorted(m for m in sys.modules if m.startswith('tmo.cli.')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[-2:] == ["[]", "[]"], out
    assert any("Usage: tmo" in line for line in out)


def test_a_command_runs_and_an_unknown_one_is_refused() -> None:
    result = CliRunner().invoke(cli, ["sql", "--help"])
    assert result.exit_code == 0
    assert "read-only query" in result.output
    wrong = CliRunner().invoke(cli, ["sqll"])
    assert wrong.exit_code == 2
    assert "No such command 'sqll'" in wrong.output


def test_an_alias_runs_its_command() -> None:
    """`tmo project backtest`, as issue #14 names it, is `tmo projections backtest`."""
    alias = CliRunner().invoke(cli, ["project", "backtest", "--help"])
    same = CliRunner().invoke(cli, ["projections", "backtest", "--help"])
    assert alias.exit_code == 0
    assert alias.output == same.output.replace("projections backtest", "project backtest")
    listed = CliRunner().invoke(cli, ["--help"]).output.split("Commands:")[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == sorted(COMMANDS)
