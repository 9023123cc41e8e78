"""Write docs/cli.md from each command's --help (run after changing the command line).

python scripts/cli_reference.py           rewrite docs/cli.md
python scripts/cli_reference.py --check   exit 1 if docs/cli.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from prinkipo.cli import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = [
        "# Command reference",
        "",
        "Generated from `--help` by `scripts/cli_reference.py`; do not edit by hand.",
        "",
        "## prinkipo",
        "",
        "```",
        runner.invoke(cli, ["--help"], prog_name="prinkipo", terminal_width=100).output.rstrip(),
        "```",
    ]
    group = cli if isinstance(cli, click.Group) else None
    assert group is not None
    for name in sorted(group.commands):
        out = runner.invoke(cli, [name, "--help"], prog_name="prinkipo", terminal_width=100)
        parts += ["", f"## prinkipo {name}", "", "```", out.output.rstrip(), "```"]
        sub = group.commands[name]
        for subname in sorted(sub.commands) if isinstance(sub, click.Group) else []:
            out = runner.invoke(
                cli, [name, subname, "--help"], prog_name="prinkipo", terminal_width=100
            )
            parts += ["", f"## prinkipo {name} {subname}", "", "```", out.output.rstrip(), "```"]
    return "\n".join(parts) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is out of date: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
