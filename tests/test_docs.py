"""The command reference in docs/ covers every command and option, and is up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from prinkipo.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
assert isinstance(cli, click.Group)


def _leaves(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every runnable command by its full name ("show", "users add"); groups are opened."""
    out: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out[prefix + name] = command
            out.update(_leaves(command, f"{prefix}{name} "))
        else:
            out[prefix + name] = command
    return out


ALL = _leaves(cli)
COMMANDS = sorted(ALL)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_with_help(name: str) -> None:
    command = ALL[name]
    assert command.help, f"prinkipo {name} has no help text"
    assert f"## prinkipo {name}" in DOC


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (n, o)
        for n in COMMANDS
        for p in ALL[n].params
        if isinstance(p, click.Option)
        for o in p.opts
    ],
)
def test_every_option_is_documented(name: str, option: str) -> None:
    section = DOC.split(f"## prinkipo {name}\n", 1)[1].split("\n## ", 1)[0]
    assert option in section


def test_every_command_takes_db() -> None:
    for name in COMMANDS:
        if isinstance(ALL[name], click.Group):
            continue
        assert "--db" in [o for p in ALL[name].params for o in getattr(p, "opts", [])], name


def test_reference_is_generated_from_current_help() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
