"""`voicecart model ...`: build, validate and try out the interaction model."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    model = subparsers.add_parser(
        "model",
        help="build, validate and try the skill's interaction model",
        description="Build, validate and try the voicecart interaction model (the language layer).",
    )
    sub = model.add_subparsers(dest="model_command", metavar="ACTION")

    build = sub.add_parser(
        "build",
        help="write the Alexa interaction-model JSON for each locale",
        description="Write <DIR>/<locale>.json as the Alexa developer console accepts it.",
    )
    build.add_argument(
        "--out", default="build/models", metavar="DIR", help="folder for the JSON files (default: build/models)"
    )
    build.add_argument(
        "--locale",
        action="append",
        metavar="L",
        help="locale to build, e.g. en-US (repeatable; default: every locale with a source)",
    )
    build.add_argument(
        "--no-train",
        action="store_true",
        help="do not train the language engine's classifier for the built models (trained and "
        "cached on first use otherwise)",
    )
    build.set_defaults(handler=_build)

    validate = sub.add_parser(
        "validate",
        help="check an interaction model and skill.json the way the console would",
        description="Report every problem with its location; exit status 1 when there are errors.",
    )
    validate.add_argument(
        "--model", metavar="FILE", help="an interaction-model JSON file (default: build every locale from the source)"
    )
    validate.add_argument(
        "--manifest", metavar="FILE", help="a skill.json manifest (default: ./skill.json when it exists)"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(handler=_validate)

    parse = sub.add_parser(
        "parse",
        help="show what the NLU engine understands from a sentence",
        description="Print the intent, slots and confidence the NLU engine finds, as JSON.",
    )
    parse.add_argument("text", help='what the person said, e.g. "reorder diapers"')
    parse.add_argument("--locale", default="en-US", metavar="L", help="locale of the model (default: en-US)")
    parse.add_argument("--model", metavar="FILE", help="use this interaction-model JSON instead of the built one")
    parse.set_defaults(handler=_parse)

    def show_help(args: argparse.Namespace) -> int:
        model.print_help()
        return 0

    model.set_defaults(handler=show_help)


def _read_json(path: str, what: str) -> dict[str, Any]:
    import json
    from pathlib import Path

    from intents.command_error import CommandError

    try:
        document: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        return document
    except OSError as exc:
        raise CommandError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"{what} {path} is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from exc


def _build(args: argparse.Namespace) -> int:
    from intents.command_error import CommandError
    from intents.model import write_models
    from intents.source import SourceError

    try:
        paths = write_models(args.out, args.locale)
    except SourceError as exc:
        raise CommandError("the interaction-model source is broken:\n  " + "\n  ".join(exc.problems)) from exc
    for path in paths:
        print(f"wrote {path}")
    if not args.no_train:
        _train(paths)
    return 0


def _train(paths: list[Path]) -> None:
    """Train (or load from the cache) each built model's semantic classifier, so the first turn is fast."""
    import json
    import time

    from intents.engine_cache import cached_engine
    from intents.semantic import cache_folder

    for path in paths:
        locale = Path(path).stem
        start = time.perf_counter()
        engine = cached_engine(json.loads(Path(path).read_text(encoding="utf-8")), locale=locale)
        if engine.semantic_stage is None:
            print(f"{locale}: the language engine runs on its lexical stages (no sentence vectors installed)")
            continue
        # Say what it reads turns with: the static vectors, or the contextual encoder (through the learnt map).
        reads = "contextual encoder" if engine.encoder == "contextual" else "static vectors"
        if "+projection-" in str(getattr(engine.semantic_stage.embedder, "name", "")):
            reads += " through the learnt projection"
        print(
            f"{locale}: language classifier ready in {time.perf_counter() - start:.1f} s, reading turns with the "
            f"{reads} (cached in {cache_folder()})"
        )


def _validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from intents.command_error import CommandError
    from intents.model import build_model
    from intents.source import SourceError, available_locales
    from intents.validate import validate_manifest, validate_model

    models: dict[str, dict[str, Any]] = {}
    reports: list[tuple[str, list[Any]]] = []
    if args.model:
        model = _read_json(args.model, "model")
        locale = Path(args.model).stem
        models[locale] = model
        reports.append((args.model, validate_model(model)))
    else:
        for locale in available_locales():
            try:
                models[locale] = build_model(locale)
            except SourceError as exc:
                reports.append((f"source {locale}", [f"error: {p}" for p in exc.problems]))
                continue
            reports.append((f"model {locale}", validate_model(models[locale])))
    manifest_path = args.manifest or ("skill.json" if Path("skill.json").exists() else None)
    if args.manifest and not Path(args.manifest).exists():
        raise CommandError(f"manifest {args.manifest} does not exist")
    if manifest_path:
        reports.append((manifest_path, validate_manifest(_read_json(manifest_path, "manifest"), models)))
    failed = False
    for name, problems in reports:
        texts = [str(p) for p in problems]
        bad = [t for t in texts if t.startswith("error") or (args.strict and t.startswith("warning"))]
        failed = failed or bool(bad)
        print(f"{name}: {'FAILED' if bad else 'ok'} ({len(bad)} errors, {len(texts) - len(bad)} other findings)")
        for text in texts:
            print(f"  {text}")
    return 1 if failed else 0


def _parse(args: argparse.Namespace) -> int:
    import json

    from intents.engine_cache import cached_engine
    from intents.model import load_model

    model = _read_json(args.model, "model") if args.model else load_model(args.locale)
    result = cached_engine(model, locale=args.locale).parse(args.text)
    print(
        json.dumps({"intent": result.to_alexa_intent(), "confidence": result.confidence}, indent=2, ensure_ascii=False)
    )
    return 0
