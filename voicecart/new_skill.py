"""`voicecart new NAME` (scaffold a skill package) and `voicecart skill build|check|package` (compose one)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    new = subparsers.add_parser(
        "new",
        help="scaffold a new skill package (handlers, model fragment, conversation test, README)",
        description="Write NAME/ with a working skill on the shared voicecart backend: it passes "
        "`voicecart model validate` and its own conversation test as written.",
    )
    new.add_argument("name", metavar="NAME", help="the skill's name, e.g. bean-box")
    new.add_argument("--dir", default=".", metavar="DIR", help="folder to create it in (default: here)")
    new.add_argument(
        "--invocation", metavar="WORDS", help="what people say to open it (default: the name's words, e.g. 'bean box')"
    )
    new.add_argument("--skill-id", metavar="ID", help="the skill id from the Alexa developer console")
    new.add_argument("--force", action="store_true", help="write over an existing, non-empty folder")
    new.set_defaults(handler=_new)

    skill = subparsers.add_parser(
        "skill",
        help="compose skill packages: build models, check conflicts, package for ask deploy",
        description="SKILL is a folder with skill.py, path/to/skill.py[:ATTR] or package.module:ATTR "
        "naming a SkillDefinition (ATTR defaults to SKILL).",
    )
    sub = skill.add_subparsers(dest="skill_command", metavar="ACTION")
    build = sub.add_parser(
        "build",
        help="check a skill's fragments for conflicts and write its models",
        description="Write <OUT>/<locale>.json (default OUT: SKILL's build/models).",
    )
    build.add_argument("skill", metavar="SKILL", help="the skill: a folder, skill.py[:ATTR] or module:ATTR")
    build.add_argument("--out", metavar="DIR", help="folder for the model JSON files")
    build.set_defaults(handler=_build)
    check = sub.add_parser(
        "check",
        help="check skills for conflicts, alone and served together",
        description="Intent, type and utterance conflicts inside each skill, and names, "
        "skill ids, endpoint paths and invocation names between them.",
    )
    check.add_argument("skills", nargs="+", metavar="SKILL", help="skills to check (voicecart for the shipped one)")
    check.set_defaults(handler=_check)
    package = sub.add_parser(
        "package",
        help="write the ASK CLI package (skill.json and models) of a skill",
        description="Write OUT/ask-resources.json and OUT/skill-package/ for `ask deploy`.",
    )
    package.add_argument("skill", metavar="SKILL", help="the skill: a folder, skill.py[:ATTR] or module:ATTR")
    package.add_argument("out", metavar="OUT", help="directory to write the package into")
    package.add_argument(
        "--endpoint", metavar="URL", help="https://your.host/alexa/NAME or a Lambda ARN (default: the manifest's)"
    )
    package.add_argument(
        "--ssl-certificate-type",
        choices=("Trusted", "Wildcard", "SelfSigned"),
        default="Wildcard",
        help="the TLS certificate your host presents (default: Wildcard)",
    )
    package.set_defaults(handler=_package)
    skill.set_defaults(handler=lambda args: skill.print_help() or 0)


def _definition(spec: str):  # noqa: ANN202 - a SkillDefinition
    from intents.command_error import CommandError
    from skills.framework.hosting import load_definition
    from skills.framework.package import PackageError

    if spec == "voicecart":
        from skills.app import voicecart_definition

        return voicecart_definition()
    try:
        return load_definition(spec)
    except PackageError as exc:
        raise CommandError(str(exc)) from exc


def _problems(exc: Exception) -> str:
    return "\n  ".join(getattr(exc, "problems", None) or [str(exc)])


def _new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from intents.command_error import CommandError
    from skills.framework.package import PackageError
    from skills.framework.scaffold import scaffold

    try:
        written = scaffold(
            Path(args.dir), args.name, invocation=args.invocation, skill_id=args.skill_id, force=args.force
        )
    except PackageError as exc:
        raise CommandError(_problems(exc)) from exc
    for path in written:
        print(f"wrote {path}")
    root = written[0].parent
    print(f"next: cd {root} && voicecart test tests/", file=sys.stderr)
    return 0


def _build(args: argparse.Namespace) -> int:
    from pathlib import Path

    from intents.command_error import CommandError
    from skills.framework.build import write_models
    from skills.framework.package import PackageError

    definition = _definition(args.skill)
    out = Path(args.out) if args.out else Path(definition.manifest or "skill.json").parent / "build" / "models"
    try:
        written = write_models(definition, out)
    except PackageError as exc:
        raise CommandError(f"skill {definition.name!r} cannot be composed:\n  {_problems(exc)}") from exc
    for path in written:
        print(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from skills.framework.hosting import skill_set_problems
    from skills.framework.package import PackageError

    definitions = [_definition(spec) for spec in args.skills]
    failed = False
    for definition in definitions:
        try:
            for locale in definition.locales():
                definition.model(locale)
            print(f"{definition.name}: ok ({', '.join(p.name for p in definition.packages)})")
        except PackageError as exc:
            failed = True
            print(f"{definition.name}: FAILED\n  {_problems(exc)}")
    together = skill_set_problems(definitions)
    for problem in together:
        print(f"served together: {problem}")
    return 1 if failed or together else 0


def _package(args: argparse.Namespace) -> int:
    from pathlib import Path

    from intents.command_error import CommandError
    from skills.framework.build import write_package
    from skills.framework.package import PackageError

    definition = _definition(args.skill)
    try:
        result = write_package(
            definition, Path(args.out), endpoint=args.endpoint, ssl_certificate_type=args.ssl_certificate_type
        )
    except PackageError as exc:
        raise CommandError(_problems(exc)) from exc
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in result.written:
        print(path)
    return 0
