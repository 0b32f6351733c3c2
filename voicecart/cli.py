"""The `voicecart` console script.

Each part of the product contributes its own subcommands through a `register(subparsers)` function,
so this module only composes them. Command modules must import heavy dependencies inside their
handlers, not at module level, so `voicecart --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from intents.command_error import CommandError

# Modules that contribute subcommands; a missing one is skipped so a partial install still runs.
COMMAND_MODULES = (
    "voicecart.commands",
    "intents.cli",
    "device_sim.cli",
    "skills.cli",
    "voicecart.new_skill",
    "voicecart.bench_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicecart",
        description="Voice commerce on Alexa-style skills, with a local device simulator.",
    )
    parser.add_argument(
        "--store",
        default=os.environ.get("VOICECART_STORE"),
        metavar="URL",
        help="where the order backend keeps its data (env VOICECART_STORE); "
        "default: an SQLite file in your user data directory, e.g. sqlite:///path/to/voicecart.sqlite3",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        result = args.handler(args)
    except CommandError as exc:
        print(f"voicecart: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
