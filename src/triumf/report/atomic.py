"""Atomic file writes for exports and figures (the shared writer lives in
:mod:`triumf.core.atomic_io`; re-exported here for the report modules)."""

from __future__ import annotations

from triumf.core.atomic_io import OutputExistsError, check_free, write_atomic

__all__ = ["OutputExistsError", "check_free", "write_atomic"]
