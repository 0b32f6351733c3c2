"""`voicecart` subcommands contributed by the skills package."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    package = subparsers.add_parser(
        "package",
        help="write the ASK CLI skill package (manifest and interaction models) for deployment",
        description="Write OUT/skill-package/skill.json, one interaction model per locale under "
        "OUT/skill-package/interactionModels/custom/, and OUT/ask-resources.json, ready for `ask deploy`.",
    )
    package.add_argument(
        "out", metavar="OUT", help="directory to write the package into (created if missing)"
    )
    package.add_argument(
        "--endpoint",
        metavar="URL",
        help="where Alexa sends requests: https://your.host/alexa for the web service, or a Lambda "
        "function ARN; default: the placeholder in skill.json",
    )
    package.add_argument(
        "--ssl-certificate-type",
        choices=("Trusted", "Wildcard", "SelfSigned"),
        default="Wildcard",
        help="the kind of TLS certificate your endpoint host presents (default: Wildcard)",
    )
    package.add_argument("--manifest", metavar="PATH", help="a skill.json to use instead of the project's")
    package.set_defaults(handler=_package)


def _load_model_function():
    from intents.command_error import CommandError

    try:
        from intents.model import load_model
    except ImportError as exc:
        raise CommandError(
            "the interaction model is not available yet (intents.model.load_model could not be imported: "
            f"{exc}); the skill package needs it to write interactionModels/custom/<locale>.json"
        ) from exc
    return load_model


def _package(args: argparse.Namespace) -> int:
    from pathlib import Path

    from intents.command_error import CommandError
    from skills.packaging import PackageError, build_skill_package

    load_model = _load_model_function()
    try:
        result = build_skill_package(
            Path(args.out),
            endpoint=args.endpoint,
            ssl_certificate_type=args.ssl_certificate_type,
            manifest_path=Path(args.manifest) if args.manifest else None,
            load_model=load_model,
        )
    except PackageError as exc:
        raise CommandError(str(exc)) from exc
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.written:
        print(path)
    return 0
