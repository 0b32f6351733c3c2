"""`voicecart` subcommands contributed by the skills package."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    package = subparsers.add_parser(
        "package",
        help="write the ASK CLI skill package (manifest and interaction models) for deployment",
        description="Write OUT/skill-package/skill.json, one interaction model per locale under "
        "OUT/skill-package/interactionModels/custom/, the function's code and requirements.txt under OUT/lambda/, "
        "and OUT/ask-resources.json, ready for `ask deploy` (which, unless --endpoint is an https URL, builds "
        "and deploys OUT/lambda as the skill's Lambda function).",
    )
    package.add_argument("out", metavar="OUT", help="directory to write the package into (created if missing)")
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
    package.add_argument(
        "--bundle",
        action="store_true",
        help="also install the dependencies into OUT/lambda as wheels for the Lambda runtime "
        "(Python 3.12, manylinux2014 x86_64; downloads from PyPI), check every shared object's "
        "glibc against the runtime's, and write OUT/lambda.zip",
    )
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
    import json
    from pathlib import Path

    from intents.command_error import CommandError
    from skills.lambda_package import lambda_resources, write_lambda_code
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
        written = write_lambda_code(Path(args.out))
    except PackageError as exc:
        raise CommandError(str(exc)) from exc
    except LookupError as exc:
        raise CommandError(f"cannot write the function's code: {exc}") from exc
    if not (args.endpoint or "").startswith("https://"):
        # No web service named: `ask deploy` deploys OUT/lambda with the ASK CLI's Lambda deployer.
        resources_path = Path(args.out) / "ask-resources.json"
        resources = json.loads(resources_path.read_text(encoding="utf-8"))
        resources["profiles"]["default"].update(lambda_resources())
        resources_path.write_text(json.dumps(resources, indent=2) + "\n", encoding="utf-8")
    result.written.extend(written)
    if args.bundle:
        result.written.append(_bundle(Path(args.out)))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.written:
        print(path)
    return 0


def _bundle(out):  # noqa: ANN001, ANN202 - a Path in, the zip's Path out
    import subprocess

    from intents.command_error import CommandError
    from skills.lambda_package import (
        RUNTIME,
        RUNTIME_GLIBC,
        UNZIPPED_LIMIT,
        ZIP_LIMIT,
        glibc_needs,
        install_dependencies,
        tree_size,
        zip_bundle,
    )

    target = out / "lambda"
    try:
        install_dependencies(target, pip=[sys.executable, "-m", "pip"])
    except subprocess.CalledProcessError as exc:
        raise CommandError(
            f"could not install the function's dependencies for {RUNTIME} (pip exited with "
            f"{exc.returncode}); see pip's message above"
        ) from exc
    too_new = {p: v for p, v in glibc_needs(target).items() if v > RUNTIME_GLIBC}
    if too_new:
        listing = "\n  ".join(f"{p.relative_to(target)} needs glibc {v[0]}.{v[1]}" for p, v in too_new.items())
        raise CommandError(
            f"these libraries need a newer glibc than {RUNTIME}'s {RUNTIME_GLIBC[0]}.{RUNTIME_GLIBC[1]}:\n  {listing}"
        )
    unzipped = tree_size(target)
    zipped = zip_bundle(target, out / "lambda.zip")
    print(
        f"lambda.zip: {zipped / 1e6:.1f} MB zipped (limit {ZIP_LIMIT / 1e6:.0f}), {unzipped / 1e6:.1f} MB "
        f"unzipped (limit {UNZIPPED_LIMIT / 1e6:.0f}), for {RUNTIME}",
        file=sys.stderr,
    )
    if zipped > ZIP_LIMIT or unzipped > UNZIPPED_LIMIT:
        raise CommandError("the bundle is larger than Lambda accepts")
    return out / "lambda.zip"
