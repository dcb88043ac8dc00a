"""Errors of reconciliation: each message names the file, row or column and the reason."""

from __future__ import annotations


class ReconcileError(ValueError):
    """Base of reconciliation's errors: bad input (a ValueError), named in one line."""


class MappingError(ReconcileError):
    """The mapping file is unreadable or does not say what the reader needs."""


class ExportError(ReconcileError):
    """The export cannot be read at all (no header, a mapped column missing)."""
