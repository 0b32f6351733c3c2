"""Input limits at the edge of the REST API, the same on every store, stated in the OpenAPI document.

Checked before any route runs (`check_request`, a `before_request` hook for /api), so SQLite, PostgreSQL
and DynamoDB never see what one of them would take and another refuse:

- **Text** (every string of a JSON body, its keys, the path, query parameters and the Idempotency-Key) holds
  no control character but the whitespace ones (tab, line feed, vertical tab, form feed, carriage return),
  and no lone surrogate: PostgreSQL cannot
  store a NUL byte, and no field means one. 422 `control_character`.
- **Numbers** are finite (no `NaN`, `Infinity` or `1e400`), and a fraction too small to be told from zero
  (a subnormal float such as `5e-324`, which PostgreSQL refuses) is zero. 422 `number_out_of_range`. Each
  field's own range (a quantity 1-99, a level up to 1,000,000) is checked where the field is read.
- **JSON** nests at most `MAX_JSON_DEPTH` levels (no schema of ours goes deeper than five). 422
  `nested_too_deep`, found before the body is parsed, so nesting never reaches Python's recursion limit.

`state_edge_limits` writes these into the document: every request string gets the pattern
`TEXT_PATTERN` (field names too, extra fields included: `ExtraValue`), a number "more than 0" starts at
the smallest normal float, and every operation that takes input documents its 422.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from flask import current_app, g, request

from reorder.errors import InvalidInput

MAX_JSON_DEPTH = 32
SMALLEST_NUMBER_ABOVE_ZERO = sys.float_info.min  # 2.2250738585072014e-308, the smallest normal float
_FORBIDDEN = "\x00-\x08\x0e-\x1f\x7f\ud800-\udfff"
_FORBIDDEN_TEXT = re.compile(f"[{_FORBIDDEN}]")
# The same rule as a JSON Schema pattern (written with escapes, so the document stays printable). Lone
# surrogates are left out of it: JSON text cannot carry one unescaped, and regex engines (Rust's, which
# validators use) cannot name them.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000e-\u001f\u007f]*$"
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class ControlCharacter(InvalidInput):
    code = "control_character"


class NumberOutOfRange(InvalidInput):
    code = "number_out_of_range"


class NestedTooDeep(InvalidInput):
    code = "nested_too_deep"


class UnknownParameter(InvalidInput):
    code = "unknown_parameter"


def query_names(document: dict[str, Any]) -> dict[tuple[str, str], frozenset[str]]:
    """{(path, method): the query parameters the operation declares}, from the OpenAPI document."""
    return {
        (path, method): frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    }


def _check_query_names() -> None:
    """A query parameter the operation does not declare is refused, not ignored: a misspelt `limt=5` would
    otherwise quietly answer with the default."""
    declared = current_app.extensions.get("voicecart.query_names")
    if declared is None or request.url_rule is None or not request.args:
        return
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", request.url_rule.rule)
    allowed = declared.get((path, request.method.lower()))
    if allowed is None:
        return
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        names = ", ".join(repr(n[:40]) for n in unknown[:5])
        raise UnknownParameter(
            f"Unknown query parameter {names}; this route takes {', '.join(sorted(allowed)) or 'none'}."
        )


def check_text(value: str, where: str) -> str:
    found = _FORBIDDEN_TEXT.search(value)
    if found:
        raise ControlCharacter(
            f"{where} holds the control character U+{ord(found.group()):04X}; "
            "text may hold tabs and line breaks, no other control characters."
        )
    return value


def _number(text: str) -> int | float:
    """JSON has one kind of number: `25.0` is the whole number 25 (as JSON Schema's `integer` says), so a
    quantity sent as 25.0 is 25, and a fraction stays a float; a subnormal fraction is 0."""
    value = float(text)
    if not math.isfinite(value):
        raise NumberOutOfRange(f"The number {text[:40]} is out of range.")
    if value.is_integer():
        return int(value)
    return 0.0 if abs(value) < SMALLEST_NUMBER_ABOVE_ZERO else value


def _constant(name: str) -> Any:
    raise NumberOutOfRange(f"{name} is not a number JSON allows.")


def _check_depth(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return  # fewer opening brackets than the limit, in strings or not: it cannot nest deeper
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise NestedTooDeep(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.")


def _check_strings(data: Any) -> None:
    stack = [(data, "the body")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            check_text(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(key, f"the field name {key[:40]!r}")
                stack.append((item, f"the field {key[:40]!r}"))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value))


def parse_json(raw: bytes) -> Any:
    """A request body as JSON, within the limits above; InvalidInput (422) otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("The request body is not valid JSON.") from None
    _check_depth(text)
    try:
        data = json.loads(text, parse_float=_number, parse_constant=_constant)
    except ValueError:
        raise InvalidInput("The request body is not valid JSON.") from None
    # JSON text holds no raw control character in a string (json.loads refuses it), so a forbidden one can
    # only come from an escape: a body without a backslash and without a forbidden character (DEL may be
    # written as is) has none in any of its strings or keys.
    if "\\" in text or _FORBIDDEN_TEXT.search(text):
        _check_strings(data)
    return data


def check_request() -> None:
    """The app's `before_request` hook: the limits above for every /api request, before any route runs."""
    asked = request._get_current_object()  # type: ignore[attr-defined]  # the proxy looked through once
    path = asked.path
    if not path.startswith("/api/"):
        return
    check_text(path, "The path")
    if asked.query_string:
        for name, value in asked.args.items(multi=True):
            check_text(name, "A query parameter's name")
            check_text(value, f"The query parameter {name[:40]!r}")
        _check_query_names()
    key = asked.headers.get("Idempotency-Key")
    if key is not None:
        check_text(key, "The Idempotency-Key header")
    raw = asked.get_data(cache=True)
    if raw and asked.is_json:
        g.json_body = parse_json(raw)


# -- the document ----------------------------------------------------------------------------------
_NO = r"\u0000-\u0008\u000e-\u001f\u007f"
# "Not blank" (a character that is not whitespace somewhere), control-free: one pattern, so generators of
# valid data (schemathesis) need no second pattern to filter by.
_NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
_NOT_BLANK_TEXT = rf"^[^{_NO}]*[^\s\x1c-\x1f\x85{_NO}][^{_NO}]*$"
_CLOSED = re.compile(r"^\^(?:[^\[]|\[(?!\^)(?:\\.|[^\]])*\])*\$$")


def _control_free(pattern: str | None) -> str:
    """`pattern` narrowed to text without control characters."""
    if pattern is None or pattern == TEXT_PATTERN:
        return TEXT_PATTERN
    if pattern == _NOT_BLANK:
        return _NOT_BLANK_TEXT
    if _CLOSED.match(pattern) and "." not in pattern.replace("\\.", ""):
        return pattern  # anchored, and every character comes from a class that names what it allows
    return rf"^(?=[^{_NO}]*$)[^{_NO}]*?(?:{pattern})"


def _limit_schema(schema: Any, components: dict[str, Any], seen: set[str]) -> None:
    if isinstance(schema, list):
        for item in schema:
            _limit_schema(item, components, seen)
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _limit_schema(components.get(name), components, seen)
        return
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "string" in kinds and not {"enum", "const", "format"} & set(schema):
        schema["pattern"] = _control_free(schema.get("pattern"))
    if "object" in kinds or "properties" in schema:
        schema.setdefault("propertyNames", {"pattern": TEXT_PATTERN})
        schema.setdefault("additionalProperties", {"$ref": "#/components/schemas/ExtraValue"})
    if "number" in kinds and schema.get("exclusiveMinimum") == 0:
        del schema["exclusiveMinimum"]
        schema["minimum"] = SMALLEST_NUMBER_ABOVE_ZERO
    for key in ("properties", "patternProperties"):
        for sub in (schema.get(key) or {}).values():
            _limit_schema(sub, components, seen)
    for key in ("items", "additionalProperties", "not"):
        _limit_schema(schema.get(key), components, seen)
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        _limit_schema(schema.get(key), components, seen)


LIMITS_TEXT = (
    "Limits on every request, on every store (422 when broken): text holds no control character but tab, "
    "line feed, vertical tab, form feed and carriage return (the pattern on every string and field name); "
    "numbers are finite, and a fraction smaller than 2.2250738585072014e-308 is taken as 0; a JSON body nests at most "
    f"{MAX_JSON_DEPTH} levels."
)


# A field the operation does not name: ignored, but held to the same limits as every other.
EXTRA_VALUE = {
    "description": "A field the operation does not use: ignored, within the limits on all input",
    "anyOf": [
        {"type": "string", "pattern": TEXT_PATTERN},
        {"type": ["number", "boolean", "null"]},
        {"type": "array", "items": {"$ref": "#/components/schemas/ExtraValue"}},
        {
            "type": "object",
            "propertyNames": {"pattern": TEXT_PATTERN},
            "additionalProperties": {"$ref": "#/components/schemas/ExtraValue"},
        },
    ],
}


def state_edge_limits(document: dict[str, Any]) -> dict[str, Any]:
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ExtraValue", EXTRA_VALUE)
    seen: set[str] = {"ExtraValue"}
    for item in document["paths"].values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            for parameter in operation.get("parameters", []):
                _limit_schema(parameter.get("schema"), components, seen)
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                _limit_schema(media.get("schema"), components, seen)
            if takes_input:
                operation["responses"].setdefault(
                    "422",
                    {
                        "description": "Invalid input",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    info = document.setdefault("info", {})
    if LIMITS_TEXT not in info.get("description", ""):
        info["description"] = (info.get("description", "") + " " + LIMITS_TEXT).strip()
    return document
