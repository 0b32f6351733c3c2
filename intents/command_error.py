"""The error a `voicecart` subcommand raises for a user-facing failure.

It lives here, in the lowest package with subcommands, so every package that contributes commands
(`intents`, `skills`, `device_sim`, `voicecart`) raises the same type without importing the application;
`voicecart.cli.main` prints it without a traceback and exits with status 2."""

from __future__ import annotations


class CommandError(Exception):
    """A user-facing failure: printed without a traceback, exit status 2."""
