"""What every CLI command shares: the consoles, the bad-input exit and scenario loading."""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from rich.console import Console

out = Console()
err = Console(stderr=True)

EXIT_BAD_INPUT = 2


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
