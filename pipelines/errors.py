"""Errors a user sees: one paragraph naming the cause (file, row, column where it applies)."""

from __future__ import annotations


class ReachError(Exception):
    """An expected failure. The CLI prints its message as one paragraph and exits non-zero."""

    exit_code = 1


class UsageError(ReachError):
    exit_code = 2


class QualityGateFailed(ReachError):
    """Error-severity expectations failed; the build was not published."""

    exit_code = 3
