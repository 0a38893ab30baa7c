"""What every CLI command shares: the consoles, the bad-input exit, scenario loading and the
default output path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)

EXIT_BAD_INPUT = 2

# Options shared by the commands that write an output directory.
ForceOpt = Annotated[bool, typer.Option(help="Replace an existing --out directory.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print only the result as JSON.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def fail(message: str) -> NoReturn:
    """Print a plain error and exit with code 2 (bad input)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def load(source: str) -> tuple[Any, Any]:
    """Scenario and equipment database, or a clean exit 2 with every problem listed.

    Parameters
    ----------
    source : str
        A shipped scenario name or a path to a scenario YAML file.

    Returns
    -------
    tuple
        ``(scenario, equipment database)``.
    """
    from triumf.equipment.database import EquipmentError, load_database
    from triumf.scenario.errors import ScenarioError
    from triumf.scenario.load import load_scenario

    try:
        scn, _ = load_scenario(source)
        db = load_database(scn.equipment_dirs)
    except ScenarioError as exc:
        err.print(exc.format(), highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except EquipmentError as exc:
        fail(str(exc))
    return scn, db


def default_out(name: str, root: Path = Path("runs"), unique: bool = True) -> Path:
    """The default output path of a command: ``root/<name>``, never outside ``root``.

    ``name`` (usually built from the scenario's name) is made one safe path component by
    :func:`triumf.scenario.limits.safe_file_name`, so ``"../../x"`` gives ``root/x``.

    Parameters
    ----------
    name : str
        File or directory name wanted, e.g. ``f"{scn.name}-coverage"`` or ``"demo.kml"``.
    root : Path
        Directory the output goes in.
    unique : bool
        When ``root/<name>`` exists, return ``root/<name>-2`` (``-3``, ...) instead.

    Returns
    -------
    Path
        A child of ``root``.
    """
    from triumf.scenario.limits import safe_file_name

    name = safe_file_name(name)  # no "../", no "/", no leading dot
    base = Path(root) / name
    if not unique or not base.exists():
        return base
    i = 2
    while (base.parent / f"{name}-{i}").exists():
        i += 1
    return base.parent / f"{name}-{i}"


@contextmanager
def output_dir(target: Path, force: bool) -> Iterator[Path]:
    """:func:`triumf.core.atomic_io.atomic_dir`, with an existing ``target`` (without
    ``force``) a clean exit 2 instead of an exception."""
    from triumf.core.atomic_io import OutputExistsError, atomic_dir

    try:
        with atomic_dir(target, force) as tmp:
            yield tmp
    except OutputExistsError as exc:
        fail(str(exc))
