"""``triumf cli-reference``: the command-line reference (docs/cli.md) from the code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from triumf.commands.common import fail, out


def register(app: typer.Typer) -> None:
    """Add the ``cli-reference`` command to ``app`` (it documents ``app`` itself)."""

    @app.command("cli-reference")
    def cli_reference(
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Write to this file instead of printing.")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
        quiet: Annotated[bool, typer.Option(
            "--quiet", "-q", help="With -o: print nothing.")] = False,
    ) -> None:
        """Print the command-line reference (Markdown) generated from the commands' own help.

        Example: triumf cli-reference -o docs/cli.md --force
        """
        from triumf.report.atomic import OutputExistsError
        from triumf.report.cli_reference import render_reference, write_reference

        root = typer.main.get_command(app)
        if output is None:
            sys.stdout.write(render_reference(root))
            return
        try:
            path = write_reference(root, output, force=force)
        except OutputExistsError as exc:
            fail(str(exc))
        if not quiet:
            out.print(f"wrote {path}", highlight=False)
