"""CLI subcommands beyond the core ones in ``triumf.cli``, one module per topic.

Each module defines ``register(app)`` that adds its commands to the Typer app; ``triumf.cli``
calls it. Shared console objects and the bad-input exit live in ``triumf.commands.common``.
"""
