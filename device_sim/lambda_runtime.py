"""Running a skill's code the way AWS Lambda runs a function: from its task root, with Lambda's environment.

On Lambda the function's folder is both the working directory and the first entry of `sys.path`
(LAMBDA_TASK_ROOT), and the process carries the function's environment variables (region, function name,
credentials). A skill that opens `language_strings.json` or `locales/` by a relative path, imports a
sibling module, or builds a boto3 client at import time depends on that. `LambdaEnvironment` applies all
of it while the skill is imported and while each request runs, then restores the simulator's own
process state, so several skills from different folders run side by side.

Errors name their root cause: an import failure reports the innermost exception and the line of the
skill's own code that raised it; a failing request also reports what the skill logged at ERROR level
before it failed (the usual way ask-sdk skills hide the first exception behind a catch-all handler).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_REGION = "us-east-1"
DEFAULT_FUNCTION_NAME = "voicecart-sim"
FRESH_PACKAGES = {"ask_sdk_dynamodb", "ask_sdk_s3"}
SIMULATOR_PACKAGES = {"device_sim", "reorder", "intents", "skills", "voicecart"}
NOT_THE_SKILL = {"device_sim", "werkzeug"}


# Variables, working directory and sys.path belong to the process: two skills' requests running at once on
# different threads (several devices in one simulator or one test process) would see each other's. Requests
# are serialised process-wide; re-entrant because importing a skill happens inside its own environment.
_PROCESS_STATE = threading.RLock()


class SkillImportError(Exception):
    """The skill's module could not be imported; the message names the root cause and where it was raised."""


@dataclass
class LambdaEnvironment:
    """The task root and environment variables a skill sees, as on Lambda's Python runtime."""

    task_root: Path
    handler: str = "lambda_function.lambda_handler"
    function_name: str = DEFAULT_FUNCTION_NAME
    region: str = DEFAULT_REGION
    memory_mb: int = 128
    extra: dict[str, str] = field(default_factory=dict)  # the function's own configured variables

    def variables(self) -> dict[str, str]:
        """Lambda's reserved variables (with placeholder credentials: nothing leaves the machine)."""
        root = str(self.task_root)
        values = {
            "LAMBDA_TASK_ROOT": root,
            "LAMBDA_RUNTIME_DIR": "/var/runtime",
            "_HANDLER": self.handler,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_python{sys.version_info.major}.{sys.version_info.minor}",
            "AWS_LAMBDA_FUNCTION_NAME": self.function_name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.function_name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": "simulated",
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ACCESS_KEY_ID": "simulated",
            "AWS_SECRET_ACCESS_KEY": "simulated",
            "AWS_SESSION_TOKEN": "simulated",
            "TZ": ":UTC",
            "LANG": "en_US.UTF-8",
            "PYTHONPATH": root,
        }
        values.update(self.extra)
        return values

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """The skill's working directory, import path and variables, restored afterwards."""
        # The device sends one request at a time; the call itself may run on the timeout guard's thread,
        # which sees the working directory and variables because they belong to the process.
        with _PROCESS_STATE:
            yield from self._applied()

    def _applied(self) -> Iterator[None]:
        saved_env = dict(os.environ)
        saved_cwd = os.getcwd()
        boto3 = sys.modules.get("boto3")
        saved_session = getattr(boto3, "DEFAULT_SESSION", None)
        if boto3 is not None:  # a session made elsewhere would carry another region and endpoint
            setattr(boto3, "DEFAULT_SESSION", None)  # noqa: B010 - boto3's module-level cache
        root = str(self.task_root)
        added = root not in sys.path
        if added:
            sys.path.insert(0, root)
        os.environ.update(self.variables())
        os.chdir(root)
        try:
            yield
        finally:
            os.chdir(saved_cwd)
            boto3 = sys.modules.get("boto3")
            if boto3 is not None:
                setattr(boto3, "DEFAULT_SESSION", saved_session)  # noqa: B010
            os.environ.clear()
            os.environ.update(saved_env)
            if added and root in sys.path:
                sys.path.remove(root)


def lambda_environment_for(
    path: Path, extra: Mapping[str, str] | None = None, handler_name: str = "lambda_handler"
) -> LambdaEnvironment:
    """The environment for a skill file: its folder is the task root, as when the folder is zipped and
    uploaded with the handler `lambda_function.lambda_handler`."""
    path = path.resolve()
    return LambdaEnvironment(path.parent, handler=f"{path.stem}.{handler_name}", extra=dict(extra or {}))


def import_skill_file(path: Path, environment: LambdaEnvironment) -> ModuleType:
    """Executes the skill's file afresh inside its Lambda environment and returns the module."""
    if not path.is_file():
        raise SkillImportError(f"no skill file at {path}")
    root = environment.task_root
    for name in _bundle_module_names(root):
        # A module of the same name imported earlier (from another skill's folder) is read again from this one.
        for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            if not _shared(sys.modules.get(loaded)):
                sys.modules.pop(loaded, None)
    for loaded in [m for m in sys.modules if m.split(".")[0] in FRESH_PACKAGES or m == "ask_sdk.standard"]:
        # DynamoDbAdapter builds its default boto3 resource when its module is imported: importing it again
        # inside this skill's environment points it at this skill's region and endpoint.
        sys.modules.pop(loaded, None)
    name = f"_voicecart_sim_skill_{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SkillImportError(f"cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    with environment.active():
        try:
            spec.loader.exec_module(module)
        except BaseException as exc:
            del sys.modules[name]
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise SkillImportError(
                f"Runtime.ImportModuleError: unable to import {path.name}: {root_cause(exc, root)}"
            ) from exc
    return module


def _bundle_module_names(root: Path) -> list[str]:
    """The top-level modules and packages a skill's folder provides."""
    names = [p.stem for p in root.glob("*.py")]
    names += [p.parent.name for p in root.glob("*/__init__.py")]
    return names


def _shared(module: ModuleType | None) -> bool:
    """Installed libraries and the simulator's own packages are never re-imported for a skill."""
    if module is None:
        return False
    top = module.__name__.split(".")[0]
    if top in SIMULATOR_PACKAGES or top in sys.stdlib_module_names:
        return True
    location = str(getattr(module, "__file__", "") or "")
    return "site-packages" in location or "dist-packages" in location


def root_cause(exc: BaseException, task_root: Path | None = None) -> str:
    """`Type: message (at file:line in function)` for the first exception of a chain, followed by the
    exception that was finally raised when it differs."""
    chain = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    first, last = chain[-1], chain[0]
    text = f"{_describe(first)}{_where(first, task_root)}"
    if first is not last:
        text += f"; then {_describe(last)}{_where(last, task_root)}"
    return text


def _describe(exc: BaseException) -> str:
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _where(exc: BaseException, task_root: Path | None) -> str:
    frames: list[traceback.FrameSummary] = list(traceback.extract_tb(exc.__traceback__))
    if task_root is not None:
        root = str(task_root.resolve())
        own = [f for f in frames if str(Path(f.filename).resolve()).startswith(root)]
        frames = own or frames
    if not frames:
        return ""
    frame = frames[-1]
    filename = frame.filename
    if task_root is not None and filename.startswith(str(task_root.resolve())):
        filename = os.path.relpath(filename, task_root.resolve())
    return f" (at {filename}:{frame.lineno} in {frame.name})"


class ErrorLog(logging.Handler):
    """Collects what a skill logs at ERROR level while one request runs (with the exception, if any)."""

    def __init__(self, task_root: Path | None = None) -> None:
        super().__init__(logging.ERROR)
        self.task_root = task_root
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in NOT_THE_SKILL:
            return  # the emulated Alexa APIs' web server runs in this process too
        if record.exc_info and record.exc_info[1] is not None:
            self.messages.append(root_cause(record.exc_info[1], self.task_root))
        else:
            self.messages.append(record.getMessage())

    @contextlib.contextmanager
    def capturing(self) -> Iterator[ErrorLog]:
        self.messages = []
        logger = logging.getLogger()
        logger.addHandler(self)
        try:
            yield self
        finally:
            logger.removeHandler(self)


class InTaskRoot:
    """A transport that sends each request inside the skill's Lambda environment, reporting the root cause
    of a failure and what the skill logged at ERROR level (`logged_errors`, kept for the last request)."""

    def __init__(self, inner: Any, environment: LambdaEnvironment) -> None:
        self.inner = inner
        self.environment = environment
        self.logged_errors: list[str] = []
        self._log = ErrorLog(environment.task_root)

    def send(self, envelope: dict) -> dict:
        from device_sim.transports import SkillError

        with self.environment.active(), self._log.capturing():
            try:
                return self.inner.send(envelope)
            except SkillError as error:
                cause = error.__cause__
                detail = error.detail
                if error.kind == "exception" and cause is not None:
                    detail = root_cause(cause, self.environment.task_root)
                if self._log.messages:
                    detail += "; before that the skill logged: " + " | ".join(self._log.messages)
                raise SkillError(error.kind, detail) from cause
            finally:
                self.logged_errors = list(self._log.messages)
