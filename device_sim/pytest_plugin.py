"""pytest plugin (registered as `voicecart` through the pytest11 entry point).

- `device` fixture: a simulated Echo running the voicecart skill in process on a fresh SQLite store
  (or the skill named by the `voicecart_skill` / `voicecart_model` ini options);
- `device_factory` fixture: `device_factory(skill=..., model=..., profile={...})` for any other skill;
- conversation files are collected as tests only where configured: files matching the
  `voicecart_conversations` ini option's patterns (default `*.conv.yaml` / `*.conv.yml`), so another
  project's `test_*.yaml` data files stay data. `voicecart_conversations = off` collects none;
- `http_stubs` fixture: answers for the skill's outbound HTTP (device_factory(..., http=http_stubs)); a
  call no stub answers fails the test at teardown, naming the URL.

The plugin is registered through the pytest11 entry point; `-p no:voicecart` turns it off entirely.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DEFAULT_PATTERNS = ("*.conv.yaml", "*.conv.yml")
OFF = {"off", "none", "no", "false"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "voicecart_skill",
        "skill the device fixture and conversation files use by default "
        "(module:handler or file.py[:handler]; default: the voicecart skill)",
        default="",
    )
    parser.addini("voicecart_model", "interaction model for voicecart_skill (path from the rootdir)", default="")
    parser.addini(
        "voicecart_conversations",
        "glob patterns of conversation files to collect as tests "
        "(default: *.conv.yaml *.conv.yml; 'off' collects none)",
        type="linelist",
        default=list(DEFAULT_PATTERNS),
    )


def _spec_from_ini(config: pytest.Config, store_dir: str) -> Any:
    from device_sim.build import DeviceSpec

    skill, model = config.getini("voicecart_skill"), config.getini("voicecart_model")
    root = Path(config.rootpath)
    if skill and (skill.split(":")[0].endswith(".py")):
        skill = str(root / skill)
    return DeviceSpec(
        skill=skill or None,
        model=str(root / model) if model else None,
        store=f"sqlite:///{store_dir}/voicecart.sqlite3",
    )


def _build(spec: Any) -> Any:
    from device_sim.build import build_device
    from device_sim.default_skill import SkillNotInstalled

    try:
        return build_device(spec)
    except SkillNotInstalled as exc:
        pytest.skip(str(exc))


@pytest.fixture
def device(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A simulated Echo for the default skill, on a store of its own; closed after the test."""
    simulated = _build(_spec_from_ini(request.config, str(tmp_path)))
    yield simulated
    simulated.close()


@pytest.fixture
def device_factory(tmp_path: Path) -> Iterator[Any]:
    """Makes devices for any skill: device_factory(skill="pkg.mod:handler", model="en-US.json", profile={})."""
    from device_sim.build import DeviceSpec

    made: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("store", f"sqlite:///{tmp_path}/voicecart.sqlite3")
        simulated = _build(DeviceSpec(**options))
        made.append(simulated)
        return simulated

    yield make
    for simulated in made:
        simulated.close()


def conversation_patterns(config: pytest.Config) -> list[str]:
    patterns = [p for line in config.getini("voicecart_conversations") for p in str(line).split()]
    if any(p.lower() in OFF for p in patterns):
        return []
    return patterns or list(DEFAULT_PATTERNS)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in {".yaml", ".yml"}:
        return None
    if not any(file_path.match(p) for p in conversation_patterns(parent.config)):
        return None
    return ConversationFile.from_parent(parent, path=file_path)


@pytest.fixture
def http_stubs() -> Iterator[Any]:
    """Stubbed answers for the skill's outbound HTTP: http_stubs.add(url=..., json=...); pass it to
    device_factory(http=http_stubs). The test fails if the skill called a URL no stub answers."""
    from device_sim.http_stubs import HttpStubs, unstubbed_message

    stubs = HttpStubs()
    yield stubs
    if stubs.unstubbed:
        pytest.fail(unstubbed_message(stubs.unstubbed), pytrace=False)


class ConversationFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from device_sim.conversation import ConversationError, load_conversation

        try:
            conversation = load_conversation(self.path)
        except ConversationError as exc:
            yield BrokenConversation.from_parent(self, name=self.path.name, problem=str(exc))
            return
        item = ConversationItem.from_parent(self, name=conversation.name, conversation=conversation)
        if conversation.known_issue:
            # A conversation that shows a problem someone is working on: reported as xfail, XPASS once fixed.
            item.add_marker(pytest.mark.xfail(reason=conversation.known_issue, raises=ConversationFailed, strict=False))
        yield item


class ConversationFailed(AssertionError):
    pass


class ConversationItem(pytest.Item):
    def __init__(self, *, conversation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.conversation = conversation

    def runtest(self) -> None:
        from device_sim.build import apply_conversation, build_device
        from device_sim.default_skill import SkillNotInstalled
        from device_sim.runner import run_conversation

        with tempfile.TemporaryDirectory(prefix="voicecart-conv-") as store_dir:
            spec = _spec_from_ini(self.config, store_dir)

            def factory(conversation: Any) -> Any:
                return build_device(apply_conversation(spec, conversation))

            try:
                result = run_conversation(self.conversation, factory)
            except SkillNotInstalled as exc:
                pytest.skip(str(exc))
            if result.error and "not installed yet" in result.error:
                pytest.skip(result.error)
            if not result.passed:
                raise ConversationFailed(result.report())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ConversationFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"conversation: {self.name}"


class BrokenConversation(pytest.Item):
    def __init__(self, *, problem: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def runtest(self) -> None:
        raise ConversationFailed(self.problem)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return self.problem

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"conversation file: {self.name}"
