"""Writing a skill's composed models and its `ask deploy` package."""

from __future__ import annotations

import json
from pathlib import Path

from skills.framework.definition import SkillDefinition
from skills.framework.package import PackageError


def write_models(definition: SkillDefinition, out_dir: Path, locales: list[str] | None = None) -> list[Path]:
    """<out_dir>/<locale>.json for each locale of the skill; raises PackageError on any conflict."""
    out_dir = Path(out_dir)
    written = []
    for locale in locales or definition.locales():
        model = definition.model(locale)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{locale}.json"
        path.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def write_package(
    definition: SkillDefinition, out: Path, *, endpoint: str | None = None, ssl_certificate_type: str = "Wildcard"
):  # noqa: ANN201 - skills.packaging.SkillPackage
    """OUT/ask-resources.json and OUT/skill-package/ (skill.json, one model per locale) for `ask deploy`."""
    from skills.packaging import PackageError as ManifestError
    from skills.packaging import build_skill_package

    if definition.manifest is None:
        raise PackageError(f"skill {definition.name!r} names no manifest (skill.json) to package")
    try:
        return build_skill_package(
            Path(out),
            endpoint=endpoint,
            ssl_certificate_type=ssl_certificate_type,
            manifest_path=Path(definition.manifest),
            load_model=definition.model,
        )
    except ManifestError as exc:
        raise PackageError(str(exc)) from exc
