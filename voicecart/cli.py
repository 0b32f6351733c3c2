"""The `voicecart` console script.

Each part of the product contributes its own subcommands through a `register(subparsers)` function,
so this module only composes them. Command modules must import heavy dependencies inside their
handlers, not at module level, so `voicecart --help` stays fast.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import sys
import threading

from intents.command_error import CommandError

# Modules that contribute subcommands; a missing one is skipped so a partial install still runs.
COMMAND_MODULES = (
    "voicecart.commands",
    "intents.cli",
    "device_sim.cli",
    "skills.cli",
    "voicecart.new_skill",
    "voicecart.bench_cmd",
    "voicecart.due_work",
)

# Commands that run unattended log JSON lines at VOICECART_LOG_LEVEL (default INFO).
SERVICE_COMMANDS = ("serve", "routines")


# The module that registers a command whose start-up is measured (docs/speed.md): `voicecart sim ...` builds
# only that module's subcommands, not all ~30 (about 8 ms). A command found elsewhere gets the whole parser.
COMMAND_HOMES = {"sim": "device_sim.cli", "test": "device_sim.cli"}


def build_parser(modules: tuple[str, ...] = COMMAND_MODULES) -> argparse.ArgumentParser:
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
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default=None,
        help="log at this level and above (env VOICECART_LOG_LEVEL; default INFO)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


class _VersionAction(argparse.Action):
    """argparse's own version action needs the text up front; reading package metadata costs every command
    (`voicecart --help` included) tens of milliseconds, so it is read only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("voicecart")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _configure_logging(args: argparse.Namespace) -> None:
    from voicecart.logs import configure_logging
    from voicecart.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise CommandError(str(exc)) from exc
    if args.log_level:
        os.environ["VOICECART_LOG_LEVEL"] = args.log_level  # gunicorn's workers read it too
    if args.command in SERVICE_COMMANDS:
        configure_logging(args.log_level or settings.log_level, settings.log_format)
    else:
        # Interactive commands print their results; their log shows only problems unless asked for more.
        configure_logging(
            args.log_level or os.environ.get("VOICECART_LOG_LEVEL") and settings.log_level or "WARNING", "text"
        )


# How long a command runs before the cyclic garbage collector is switched back on (see _quiet_start).
QUIET_START_SECONDS = 1.0


def _quiet_start() -> None:
    """No automatic garbage collection while the command starts up.

    Start-up makes a few hundred thousand objects that live as long as the process (modules, classes, the
    language engine read from its cache), and the collector would walk them again and again to free
    nothing: about 30 ms of a one-shot `voicecart sim --say` (docs/speed.md). A command still running after
    QUIET_START_SECONDS (serve, the simulator's prompt) collects as usual from then on; garbage made
    before is collected then. Nothing changes where the caller had switched collection off itself."""
    global _fork_hook_registered
    if not gc.isenabled():
        return
    if not _fork_hook_registered:
        # A child forked during the quiet start has no timer thread to switch collection back on.
        os.register_at_fork(after_in_child=gc.enable)
        _fork_hook_registered = True
    gc.disable()
    timer = threading.Timer(QUIET_START_SECONDS, gc.enable)
    timer.daemon = True
    timer.start()


_fork_hook_registered = False


def _quick_exit() -> None:
    """No last walk of every object at exit.

    The interpreter collects garbage once more as it exits, over every object the command made (~50 ms after
    a sim turn), to free memory the operating system takes back anyway. Objects frozen at exit (gc.freeze,
    run by atexit before that collection) are left out of it. The commands close their files, connections
    and stores themselves, and the interpreter still flushes standard output and runs the other atexit hooks."""
    global _exit_registered
    if not _exit_registered:
        atexit.register(gc.freeze)
        _exit_registered = True


_exit_registered = False


def _one_blas_thread() -> None:
    """OpenBLAS with one thread, said before numpy loads it.

    The language engine limits BLAS to one thread anyway (intents/semantic.py: its products are small, and
    threads cost more than they save), but only once numpy has started OpenBLAS with a thread per core, whose
    start-up is 40-70 ms of a one-shot `voicecart sim --say` on a two-core machine (docs/speed.md). Saying
    it first skips that. A value the user set is kept; children (serve's workers, a skill run out of
    process) inherit it, as they would the engine's own limit."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser for this command line: only the command's own module's subcommands when it is one of
    COMMAND_HOMES (after the global options), all of them otherwise."""
    command, values = None, iter(argv)
    for token in values:
        if token in ("--store", "--log-level"):
            next(values, None)
        elif not token.startswith("-"):
            command = token
            break
        elif token in ("-h", "--help", "--version") or not token.startswith(("--store=", "--log-level=")):
            break  # the top-level help, the version or an option argparse will complain about: all commands
    home = COMMAND_HOMES.get(command or "")
    if home is not None:
        parser = build_parser((home,))
        if command in _commands(parser):
            return parser
    return build_parser()


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:  # argparse keeps its subcommands on the subparsers action
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def main(argv: list[str] | None = None) -> int:
    _quiet_start()
    _quick_exit()
    _one_blas_thread()
    parser = _parser_for(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        _configure_logging(args)
        result = args.handler(args)
    except CommandError as exc:
        print(f"voicecart: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
