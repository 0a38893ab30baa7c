"""Every command documents itself: an example in --help, --json/--quiet where it prints, and
the committed CLI reference is the one the code generates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from triumf.cli import app
from triumf.report.cli_reference import render_reference

ROOT = Path(__file__).resolve().parents[1]


def _paths(cmd, prefix=()):
    subs = getattr(cmd, "commands", None) or {}
    for name, sub in sorted(subs.items()):
        yield (*prefix, name)
        yield from _paths(sub, (*prefix, name))


COMMANDS = list(_paths(typer.main.get_command(app)))
GROUPS = {("equipment",)}
PRINTING = [c for c in COMMANDS if c not in GROUPS and c not in {("schema",)}]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_has_example(path):
    """Every command's --help contains an example."""
    res = CliRunner().invoke(app, [*path, "--help"])
    assert res.exit_code == 0, res.output
    if path not in GROUPS:
        assert "Example" in res.output


@pytest.mark.parametrize("path", PRINTING, ids=" ".join)
def test_quiet_and_json_options(path):
    """Every command that prints results offers --quiet (except cli-reference: -q) and,
    where it prints results, --json."""
    cmd = typer.main.get_command(app)
    for name in path:
        cmd = cmd.commands[name]
    opts = {o for p in cmd.params for o in p.opts}
    assert "--quiet" in opts
    if path != ("cli-reference",):
        assert "--json" in opts


@pytest.mark.parametrize("args", [
    ["version", "--json"], ["scenarios", "--json"], ["validate", "demo", "--json"],
    ["equipment", "list", "--kind", "missile", "--json"],
    ["equipment", "show", "40N6E", "--json"],
], ids=" ".join)
def test_json_parses(args):
    """--json prints one JSON document."""
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    json.loads(res.output)


def test_validate_quiet_prints_nothing():
    """validate --quiet: the exit code tells."""
    res = CliRunner().invoke(app, ["validate", "demo", "--quiet"])
    assert res.exit_code == 0
    assert res.output == ""


def test_equipment_list_quiet_names():
    """equipment list --quiet: one name a line, the same names as --json."""
    q = CliRunner().invoke(app, ["equipment", "list", "--quiet"]).output.split()
    j = json.loads(CliRunner().invoke(app, ["equipment", "list", "--json"]).output)
    assert q == [r["name"] for r in j]


def test_cli_reference_up_to_date():
    """docs/cli.md is what 'triumf cli-reference' generates from the code now."""
    want = render_reference(typer.main.get_command(app))
    got = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert got == want, "docs/cli.md is stale: run 'triumf cli-reference -o docs/cli.md --force'"


def test_cli_reference_lists_every_command():
    """The reference has a section for every command and sub-command."""
    text = render_reference(typer.main.get_command(app))
    for path in COMMANDS:
        assert f"`triumf {' '.join(path)}`" in text
