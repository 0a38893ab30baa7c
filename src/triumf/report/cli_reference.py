"""The CLI reference (docs/cli.md) rendered from the command line's own definitions.

Walks a Click command tree (``typer.main.get_command(app)``) and writes, for every command and
sub-command: its usage line, its help text (with its example as a code block) and a table of
its arguments and options (names, default, help). Nothing is written by hand, so the
reference cannot drift from the code; ``triumf cli-reference -o docs/cli.md --force``
regenerates it, and a test checks that the committed file matches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["render_reference"]

_HEADER = """# triumf command-line reference

Generated from the code by `triumf cli-reference -o docs/cli.md --force`; do not edit by
hand. Every command also prints this with `--help`. A first walk through the commands is in
the [tutorial](tutorial.md).
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _default(p: Any) -> str:
    d = p.default
    if d is None or d is False or d == () or d == [] or callable(d):
        return ""
    if d is True and getattr(p, "secondary_opts", None):
        return p.opts[0]
    return f"`{d}`"


def _names(p: Any) -> str:
    if p.param_type_name == "argument":
        name = str(p.name).upper()
        return f"`{name}`" + ("" if p.required else " (optional)")
    opts = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
    if not getattr(p, "is_flag", False):
        opts += " VALUE"
    if getattr(p, "multiple", False):
        opts += " (repeatable)"
    return opts + (" (required)" if p.required else "")


def _help_text(text: str) -> list[str]:
    """Help paragraphs, with ``Example: ...`` lines turned into console code blocks."""
    lines: list[str] = []
    for para in text.strip().split("\n\n"):
        flat = " ".join(para.split())
        if flat.startswith("Example: "):
            lines += ["Example:", "", "```console", f"$ {flat[len('Example: '):]}", "```", ""]
        else:
            lines += [flat, ""]
    return lines


def _usage(path: list[str], cmd: Any) -> str:
    pieces = ["[OPTIONS]"]
    for p in cmd.params:
        if p.param_type_name == "argument":
            name = str(p.name).upper() + ("..." if p.nargs == -1 else "")
            pieces.append(name if p.required else f"[{name}]")
    if getattr(cmd, "commands", None):
        pieces.append("COMMAND [ARGS]...")
    return " ".join([*path, *pieces])


def _command(path: list[str], cmd: Any, out: list[str]) -> None:
    depth = min(len(path), 3)
    out += [f"{'#' * (depth + 1)} `{' '.join(path)}`", ""]
    out += ["```text", _usage(path, cmd), "```", ""]
    out += _help_text(cmd.help or "")
    params = [p for p in cmd.params if not getattr(p, "hidden", False)
              and p.name != "help"]
    if params:
        out += ["| argument / option | default | meaning |", "|---|---|---|"]
        out += [f"| {_names(p)} | {_default(p)} | {_cell(getattr(p, 'help', '') or '')} |"
                for p in params]
        out.append("")
    subs = getattr(cmd, "commands", None)
    if subs:
        for name in sorted(subs):
            if not subs[name].hidden:
                _command([*path, name], subs[name], out)


def render_reference(root: Any, prog: str = "triumf") -> str:
    """Markdown reference of a Click command tree.

    Parameters
    ----------
    root : click.Group
        The application's root command (``typer.main.get_command(app)``).
    prog : str
        Program name shown in usage lines.

    Returns
    -------
    str
    """
    out = [_HEADER]
    out += _help_text(root.help or "")
    names = sorted(root.commands)
    out += ["Commands: " + ", ".join(f"`{n}`" for n in names if not root.commands[n].hidden),
            ""]
    for name in names:
        cmd = root.commands[name]
        if not cmd.hidden:
            _command([prog, name], cmd, out)
    return "\n".join(out).rstrip() + "\n"


def write_reference(root: Any, path: str | Path, force: bool = False) -> Path:
    """Write :func:`render_reference` to ``path`` atomically."""
    from triumf.report.atomic import write_atomic

    return write_atomic(path, render_reference(root), force=force)
