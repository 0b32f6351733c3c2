"""`voicecart sim` (talk to a skill) and `voicecart test` (run conversation files)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

REPL_HELP = """Type what you would say, e.g. "alexa, open tea timer". An empty line is silence.
Commands:
  advance 2 days          move the clock (reminders fire, the backend's listeners run)
  :grant reminders        grant a permission (reminders, given_name, name, email, mobile_number, address)
  :revoke reminders       withhold it again
  :notify TEXT            a notification arrives (say "read my notifications" to hear it)
  :press BUTTON           press a virtual button
  :reminders              list reminders skills have set
  :json                   toggle printing each turn as JSON
  :help, :quit"""


def register(subparsers: Any) -> None:
    sim = subparsers.add_parser(
        "sim",
        help="talk to a skill through a simulated smart speaker",
        description="Play a smart speaker offline: type what you would say, read (or hear) the answer. "
        "Without --skill the voicecart skill runs in process.",
    )
    _skill_options(sim)
    sim.add_argument(
        "--say",
        action="append",
        metavar="TEXT",
        help='say this and exit instead of starting the interactive prompt (repeatable; --say "" is silence)',
    )
    sim.add_argument("--script", metavar="FILE", help="run a conversation file and report pass/fail")
    sim.add_argument(
        "--press",
        action="append",
        metavar="BUTTON",
        help="press the household's virtual button of this name (repeatable), like a Dash button",
    )
    sim.add_argument(
        "--times",
        type=int,
        default=1,
        metavar="N",
        help="with --press: press each button N times in a burst (default 1)",
    )
    time = sim.add_mutually_exclusive_group()
    time.add_argument(
        "--scratch",
        action="store_true",
        help="work on a scratch copy of the store from the start (a fresh demo store when the "
        "store is not SQLite); without it the session moves to one when the clock first moves",
    )
    time.add_argument(
        "--write-simulated-time",
        action="store_true",
        help="let a moved clock write simulated dates into the store (only for a store made for tests)",
    )
    record = sim.add_argument_group("recording the skill's outbound HTTP (replayed offline afterwards)")
    record.add_argument(
        "--record-http",
        metavar="FILE",
        help="send the skill's calls that no --http-stubs entry answers to the real service and record them in "
        "this vcrpy cassette; later runs replay them",
    )
    record.add_argument(
        "--record-mode",
        choices=("once", "new_episodes", "none", "all"),
        default="once",
        help="once: record while FILE does not exist, then only replay (default); new_episodes: replay and "
        "record what is missing; none: replay only; all: record every call again",
    )
    record.add_argument(
        "--record-local",
        action="store_true",
        help="record calls to this machine (localhost, 127.x) too; by default they pass through unrecorded",
    )
    sim.add_argument("--json", action="store_true", help="print one JSON object per turn")
    sim.add_argument("--envelopes", action="store_true", help="with --json, include request and response envelopes")
    sim.add_argument("--tts", action="store_true", help="speak answers with espeak-ng")
    sim.add_argument("--tts-out", metavar="FILE", help="write spoken answers into this WAV file (needs espeak-ng)")
    who = sim.add_argument_group("the simulated device and person")
    who.add_argument("--user-id", help="Alexa user id (default: the demo household's adult)")
    who.add_argument("--person-id", help="recognised person id; 'none' for an unrecognised voice")
    who.add_argument("--device-id", help="device id (default: the demo kitchen Echo)")
    who.add_argument("--locale", help="locale of requests, e.g. en-GB (default en-US)")
    who.add_argument("--time-zone", help="the device's time zone setting, e.g. Europe/London")
    who.add_argument("--given-name", help="the first name the customer profile API returns")
    who.add_argument(
        "--grant",
        action="append",
        metavar="PERMISSION",
        help="grant a permission (reminders, given_name, name, email, mobile_number, address)",
    )
    who.add_argument(
        "--withhold",
        action="append",
        metavar="PERMISSION",
        help="withhold a permission granted by default (reminders, given_name)",
    )
    sim.set_defaults(handler=run_sim)

    test = subparsers.add_parser(
        "test",
        help="run conversation files (test_*.yaml, *.conv.yaml) and report pass/fail",
        description="Run every conversation file under the folders given against the simulator.",
    )
    test.add_argument("paths", nargs="+", metavar="PATH", help="conversation files or folders to search")
    _skill_options(test)
    test.add_argument("--backend", metavar="URL", help="base URL of the REST API for backend checks")
    test.add_argument(
        "--backend-token",
        metavar="TOKEN",
        help="bearer token for the REST API (`voicecart token --household NAME` prints one)",
    )
    test.add_argument("-q", "--quiet", action="store_true", help="print failures and the summary only")
    test.set_defaults(handler=run_test)


def _skill_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("which skill")
    group.add_argument(
        "--skill",
        metavar="SPEC",
        help="the skill's code: module:handler, path/to/lambda_function.py[:handler] or a "
        "CustomSkill/SkillBuilder attribute (default: the voicecart skill)",
    )
    group.add_argument("--model", metavar="FILE", help="the skill's interaction model JSON (or YAML)")
    group.add_argument("--url", metavar="URL", help="send requests over HTTP(S) to this skill endpoint instead")
    group.add_argument("--skill-id", metavar="ID", help="application id to send (an HTTP endpoint checks it)")
    group.add_argument("--no-sign", action="store_true", help="do not sign HTTP requests like Alexa does")
    group.add_argument(
        "--timeout",
        type=float,
        default=8.0,
        metavar="SECONDS",
        help="how long to wait for the skill (Alexa waits 8 seconds)",
    )
    group.add_argument("--seed", type=int, default=0, help="seed for choosing among prompt variations")
    run = parser.add_argument_group("how a skill file runs (as on Lambda, from its own folder)")
    run.add_argument(
        "--env",
        action="append",
        metavar="NAME=VALUE",
        default=[],
        help="an environment variable of the Lambda function (repeat)",
    )
    run.add_argument(
        "--aws",
        choices=("auto", "on", "off"),
        default="auto",
        help="a local DynamoDB/S3 for the ASK SDK's persistence adapters (auto: when the skill's "
        "code uses boto3 or the adapters)",
    )
    run.add_argument("--aws-endpoint", metavar="URL", help="use this DynamoDB/S3 endpoint instead of starting one")
    run.add_argument("--aws-state", metavar="FILE", help="keep tables and buckets in FILE between runs")
    run.add_argument(
        "--aws-table",
        action="append",
        default=[],
        metavar="NAME",
        help="create this table first (partition key `id`), for skills that expect it",
    )
    run.add_argument("--aws-bucket", action="append", default=[], metavar="NAME", help="create this S3 bucket first")
    run.add_argument(
        "--http-stubs",
        metavar="FILE",
        help="YAML/JSON list of {url, json|body, status} answering the skill's outbound HTTP; any other call fails",
    )


def _spec(args: argparse.Namespace, profile: dict | None = None) -> Any:
    from device_sim.build import DeviceSpec

    env = {}
    for pair in args.env:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"--env takes NAME=VALUE, not {pair!r}")
        env[name] = value
    http = None
    if args.http_stubs:
        import yaml

        try:
            http = yaml.safe_load(open(args.http_stubs, encoding="utf-8").read()) or []
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read the HTTP stubs {args.http_stubs}: {exc}") from exc
    return DeviceSpec(
        skill=args.skill,
        model=args.model,
        url=args.url,
        sign=not args.no_sign,
        store=args.store,
        profile=profile or {},
        timeout=args.timeout,
        seed=args.seed,
        application_id=args.skill_id,
        env=env,
        aws=args.aws,
        aws_endpoint=args.aws_endpoint,
        aws_state=args.aws_state,
        aws_tables=args.aws_table,
        aws_buckets=args.aws_bucket,
        http=http,
        http_record=getattr(args, "record_http", None),
        http_record_mode=getattr(args, "record_mode", "once"),
        http_record_local=getattr(args, "record_local", False),
        simulated_time="write" if getattr(args, "write_simulated_time", False) else "scratch",
        scratch=getattr(args, "scratch", False),
    )


def _profile_overrides(args: argparse.Namespace) -> dict:
    from device_sim.profile import DEFAULT_GRANTS, scope_for

    overrides: dict = {}
    for option, name in (
        ("user_id", "user_id"),
        ("device_id", "device_id"),
        ("locale", "locale"),
        ("time_zone", "time_zone"),
        ("given_name", "given_name"),
    ):
        if getattr(args, option):
            overrides[name] = getattr(args, option)
    if args.person_id:
        overrides["person_id"] = None if args.person_id.lower() == "none" else args.person_id
    if args.grant or args.withhold:
        granted = set(DEFAULT_GRANTS) | {scope_for(p) for p in args.grant or []}
        overrides["permissions"] = sorted(granted - {scope_for(p) for p in args.withhold or []})
    if "time_zone" in overrides:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(overrides["time_zone"])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {overrides['time_zone']!r}") from exc
    return overrides


def _open_device(args: argparse.Namespace, conversation: Any = None) -> Any:
    from device_sim.build import build_device
    from device_sim.default_skill import SkillNotInstalled
    from device_sim.skill_loader import SkillLoadError
    from intents.command_error import CommandError
    from reorder.errors import BackendError

    try:
        spec = _spec(args, _profile_overrides(args) if hasattr(args, "grant") else {})
        if conversation is not None:
            _apply_conversation(spec, conversation)
        return build_device(spec)
    except (SkillNotInstalled, SkillLoadError, _local_aws_error(), ValueError) as exc:
        raise CommandError(str(exc)) from exc
    except BackendError as exc:  # a wrong or unreachable store: one line, as serve and token say it
        raise CommandError(exc.message) from exc


def _local_aws_error() -> type[Exception]:
    """LocalAwsError, looked up only when opening a device failed (an except clause's types are evaluated
    then): a device that needs no local AWS does not import it."""
    from device_sim.local_aws import LocalAwsError

    return LocalAwsError


def _apply_conversation(spec: Any, conversation: Any) -> None:
    """A conversation file's own skill, device and clock settings win over the command line's."""
    from device_sim.build import apply_conversation

    apply_conversation(spec, conversation)


def run_sim(args: argparse.Namespace) -> int:
    from intents.command_error import CommandError

    if args.script:
        return _run_scripts([args.script], args, quiet=False)
    if not 1 <= args.times <= 10_000:
        raise CommandError("--times must be between 1 and 10000")
    if args.times != 1 and not args.press:
        raise CommandError("--times counts presses: use it with --press BUTTON")
    speaker = _speaker(args)
    device = _open_device(args)
    for event in device.events:  # e.g. working on a scratch copy of the store
        print(f"({event})", file=sys.stderr)
    try:
        if args.press:
            return _press_buttons(device, args.press, args.times)
        if args.say is not None:
            for text in args.say:
                _show(device.say(text), device, args, speaker)
            return 1 if any(t.error for t in device.turns) else 0
        return _repl(device, args, speaker)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    finally:
        device.close()
        if speaker is not None:
            written = speaker.close()
            if written:
                print(f"(answers written to {written})", file=sys.stderr)


def _press_buttons(device: Any, names: list[str], times: int) -> int:
    """Press each button `times` times and show every outcome, then how many of each there were."""
    from collections import Counter

    from intents.command_error import CommandError

    outcomes: Counter[str] = Counter()
    for name in names:
        for number in range(1, times + 1):
            try:
                said = str(device.press(name))
            except LookupError as exc:
                raise CommandError(f"this device has no virtual buttons: {exc}") from exc
            outcome = said[1 : said.index("]")] if said.startswith("[") and "]" in said else "done"
            outcomes[outcome] += 1
            print(f"press {number} of {name!r}: {said}", flush=True)
    print("outcomes: " + ", ".join(f"{count} {outcome}" for outcome, count in outcomes.most_common()))
    return 1 if outcomes.get("error") else 0


def _speaker(args: argparse.Namespace) -> Any:
    if not (args.tts or args.tts_out):
        return None
    from device_sim.tts import Speaker, TtsUnavailable
    from intents.command_error import CommandError

    try:
        return Speaker(args.tts_out)
    except TtsUnavailable as exc:
        raise CommandError(str(exc)) from exc


def _show(turn: Any, device: Any, args: argparse.Namespace, speaker: Any) -> None:
    if args.json:
        import json  # here, so `voicecart --help` does not load it

        print(json.dumps(turn.to_json(envelopes=args.envelopes)), flush=True)
    else:
        for event in turn.events:
            print(f"  ({event})")
        if turn.speech:
            print(f"alexa> {turn.speech}")
        elif not turn.you.strip():
            print("  (silence: " + ("the speaker stays quiet" if not turn.skill else "no answer") + ")")
        extras = []
        if turn.intent:
            slots = ", ".join(
                f"{k}={v['value']!r}" + (f"→{v['id']}" if v.get("id") else "") for k, v in turn.slots.items()
            )
            extras.append(f"{turn.intent}({slots})")
        if turn.card:
            extras.append(f"card: {turn.card.get('title') or turn.card.get('type')}")
        kinds = [d["type"] for d in turn.directives]
        if kinds:
            extras.append("directives: " + ", ".join(kinds))
        if turn.error:
            extras.append(f"error: {turn.error}")
        if not turn.error:  # a failed turn's error already says what the skill logged
            extras.extend(f"the skill logged: {logged}" for logged in turn.skill_log)
        if turn.unstubbed:
            extras.append("no HTTP stub for: " + ", ".join(turn.unstubbed))
        if turn.skill:
            extras.append("session ended" if turn.session_ended else "listening")
        if extras:
            print("       [" + "; ".join(extras) + "]", flush=True)
    if speaker is not None and turn.speech:
        speaker.speak(turn.speech)


def _repl(device: Any, args: argparse.Namespace, speaker: Any) -> int:
    interactive = sys.stdin.isatty()
    if interactive:
        print(f"Simulated Echo for {device.default_skill.name!r}. {REPL_HELP.splitlines()[0]} :help for more.")
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            return 0
        stripped = line.strip()
        try:
            if stripped in (":quit", ":q", ":exit"):
                return 0
            if _command(stripped, device, args):
                continue
            _show(device.say(stripped), device, args, speaker)
        except (ValueError, LookupError, TypeError) as exc:
            print(f"  ! {exc}")
        except Exception as exc:  # a backend listener failing on `advance`: report it, keep the prompt
            print(f"  ! {type(exc).__name__}: {exc}")


def _command(line: str, device: Any, args: argparse.Namespace) -> bool:
    """Handles a REPL command; False when the line is speech."""
    word, _, rest = line.partition(" ")
    word = word.lower()
    if word in ("advance", ":advance"):
        events = device.advance(rest)
        print(f"  (the clock is now {device.clock.now():%Y-%m-%d %H:%M} UTC)")
        for event in events:
            print(f"  ({event})")
        return True
    if not word.startswith(":"):
        return False
    if word == ":help":
        print(REPL_HELP)
    elif word == ":grant":
        print(f"  (granted {device.grant(rest)})")
    elif word == ":revoke":
        print(f"  (withheld {device.revoke(rest)})")
    elif word == ":notify":
        device.notify(rest)
        print("  (chime: you have a new notification)")
    elif word == ":press":
        result = device.press(rest)
        if result is not None and hasattr(result, "speech"):
            _show(result, device, args, None)
        elif result is not None:
            print(f"  ({result})")
    elif word == ":reminders":
        reminders = device.cloud.all_reminders()
        for skill, reminder in reminders:
            when = f"{reminder.next_fire:%Y-%m-%d %H:%M} UTC" if reminder.next_fire else "done"
            print(f"  {skill}: {reminder.text(device.profile.locale)!r} ({reminder.status}, {when})")
        if not reminders:
            print("  (no reminders)")
    elif word == ":json":
        args.json = not args.json
    else:
        raise ValueError(f"unknown command {word}; :help lists them")
    return True


def run_test(args: argparse.Namespace) -> int:
    return _run_scripts(args.paths, args, quiet=args.quiet)


def _run_scripts(paths: list[str], args: argparse.Namespace, *, quiet: bool) -> int:
    from pathlib import Path

    from device_sim.runner import conversation_files, run_file
    from intents.command_error import CommandError

    files = []
    for path in paths:
        if not Path(path).exists():
            raise CommandError(f"no such file or folder: {path}")
        files.extend(conversation_files(path))
    if not files:
        raise CommandError(f"no conversation files (test_*.yaml, *.conv.yaml) under {', '.join(paths)}")

    def factory(conversation: Any) -> Any:
        try:
            return _open_device(args, conversation)
        except CommandError as exc:
            raise RuntimeError(str(exc)) from exc

    failed = 0
    for file in files:
        backend = getattr(args, "backend", None)
        if backend:
            backend = {"url": backend, "token": getattr(args, "backend_token", None)}
        result = run_file(file, factory, backend)
        if not result.passed:
            failed += 1
        if not result.passed or not quiet:
            print(result.report(), flush=True)
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0
