"""ask-sdk's DefaultSerializer with a cheaper way in: the request body becomes model objects by the same
rules (the models' `deserialized_types`, `attribute_map` and discriminators), but each type string is parsed
and each model class found once per process, not on every field of every request, and timestamps in the
ISO 8601 form Alexa sends are read by the standard library instead of dateutil's general parser.

Nothing in the SDK is patched: this is a subclass, and `deserialize` falls back to the SDK's own code for an
ask-sdk-core release it was not checked against (`CHECKED_RELEASES`), or when asked to (`fast=False`).
tests/hosting/test_codec.py holds both paths to the same answers on every request the simulator sends.
"""

from __future__ import annotations

import copy
import decimal
import json
import re
import threading
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer

# ask-sdk-core releases whose deserialiser this one was compared with (major, minor).
CHECKED_RELEASES = frozenset({(1, 19)})
# Alexa's timestamps: "2026-12-04T23:48:25Z", sometimes with a fraction or a numeric offset.
_ALEXA_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")
_LIST = re.compile(r"list\[(.*)\]")
_DICT = re.compile(r"dict\(([^,]*), (.*)\)")

Decoder = Callable[[Any], Any]


def sdk_release() -> tuple[int, int] | None:
    try:
        major, minor = version("ask-sdk-core").split(".")[:2]
        return int(major), int(minor)
    except (PackageNotFoundError, ValueError):
        return None


def parse_timestamp(text: str) -> datetime:
    """An Alexa timestamp; anything in another form goes to dateutil, as the SDK would send it."""
    if isinstance(text, str) and _ALEXA_TIMESTAMP.fullmatch(text):
        return datetime.fromisoformat(text)
    from dateutil.parser import parse

    try:
        return parse(text)
    except ValueError as exc:  # the SDK's message and exception type
        raise SerializationException(f"Failed to parse {text} into 'datetime' object") from exc


class JsonObject(dict[str, Any]):
    """A JSON object read from a request (the session attributes): a dict whose deep copy, which the SDK makes
    of the session attributes on every turn, is made knowing it holds only what JSON holds (no shared parts,
    no objects to ask how to copy themselves); the copy is a plain dict."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return {key: _json_copy(value) for key, value in self.items()}


def _json_copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict or kind is JsonObject:
        return {key: _json_copy(item) for key, item in value.items()}
    if kind is list:
        return [_json_copy(item) for item in value]
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    return copy.deepcopy(value)


class RequestCodec(DefaultSerializer):
    """DefaultSerializer whose `deserialize` keeps a decoder per type (see the module's docstring)."""

    def __init__(self, *, fast: bool | None = None) -> None:
        super().__init__()
        self.fast = (sdk_release() in CHECKED_RELEASES) if fast is None else fast
        self._decoders: dict[Any, Decoder] = {}
        self._classes: dict[str, Any] = {}
        self._models: dict[type, tuple[tuple[tuple[str, str, Any], ...], frozenset[str]]] = {}
        self._encoders: dict[type, tuple[tuple[str, str], ...]] = {}
        self._resolved: dict[Any, tuple[tuple[str, str, Decoder], ...]] = {}
        self._lock = threading.Lock()

    def serialize(self, obj: Any) -> Any:
        """The SDK's `serialize`, with each model class's (attribute, JSON key) pairs read once: the response
        of a turn is some twenty models, and the SDK works each class's key map out again for each of them."""
        if not self.fast:
            return super().serialize(obj)
        return self._encode(obj)

    def _encode(self, obj: Any) -> Any:
        kind = type(obj)
        if obj is None or kind is str or kind is int or kind is bool or kind is float:
            return obj
        if kind is dict:
            return {key: self._encode(value) for key, value in obj.items()}
        if kind is list:
            return [self._encode(value) for value in obj]
        fields = self._encoders.get(kind)
        if fields is None:
            if isinstance(obj, (*self.PRIMITIVE_TYPES, list, tuple, dict, datetime, date, Enum, decimal.Decimal)):
                return super().serialize(obj)  # the SDK's rules; what it holds comes back through here
            # A model: every attribute its class declares that is set, under the key the class maps it to.
            names = getattr(kind, "attribute_map", {})
            fields = tuple((attr, names.get(attr, attr)) for attr in kind.deserialized_types)
            with self._lock:
                self._encoders[kind] = fields
        out = {}
        for attr, key in fields:
            value = getattr(obj, attr)
            if value is not None:
                out[key] = self._encode(value)
        return out

    def deserialize(self, payload: Any, obj_type: Any) -> Any:
        if not self.fast:
            return super().deserialize(payload, obj_type)
        if payload is None:
            return None
        try:
            data = json.loads(payload)
        except Exception:
            raise SerializationException(f"Couldn't parse response body: {payload}") from None
        return self.decode(data, obj_type)

    def decode(self, data: Any, obj_type: Any) -> Any:
        """Already-parsed JSON into `obj_type` (the body is parsed once, by the caller)."""
        if not self.fast:
            return super().deserialize(json.dumps(data), obj_type)
        return None if data is None else self._decoder(obj_type)(data)

    def _decoder(self, obj_type: Any) -> Decoder:
        decoder = self._decoders.get(obj_type)
        if decoder is None:
            decoder = self._build(obj_type)
            with self._lock:
                self._decoders[obj_type] = decoder
        return decoder

    def _build(self, obj_type: Any) -> Decoder:
        if isinstance(obj_type, str):
            if obj_type.startswith("list["):
                return self._list_decoder(obj_type)
            if obj_type.startswith("dict("):
                match = _DICT.match(obj_type)
                if match is None:
                    return lambda data: {}
                values = match.group(2)
                if values == "object":  # JSON as it came (session attributes): copied for each turn, see JsonObject
                    return lambda data: JsonObject({k: self._value(v, values) for k, v in data.items()})
                return lambda data: {k: self._value(v, values) for k, v in data.items()}
            if obj_type in self.NATIVE_TYPES_MAPPING:
                obj_type = self.NATIVE_TYPES_MAPPING[obj_type]
            else:
                obj_type = self._class(obj_type)
        if obj_type in self.PRIMITIVE_TYPES:
            # A JSON value already of the type (a string for a str field) is what converting it would give.
            return lambda data: data if type(data) is obj_type else self._primitive(data, obj_type)
        if obj_type is object:
            return lambda data: data
        if obj_type is datetime:
            return parse_timestamp
        if obj_type is date:
            return lambda data: parse_timestamp(data).date()
        return self._model_decoder(obj_type)

    def _model_decoder(self, cls: Any) -> Decoder:
        """`_model` for one class, with what depends on the class alone worked out once (a request has some
        thirty models: the class checks were a third of decoding it)."""
        if (
            (isinstance(cls, type) and issubclass(cls, Enum))
            or not hasattr(cls, "deserialized_types")
            or hasattr(cls, "get_real_child_model")
        ):
            return lambda data: self._model(data, cls)
        fields, keys = self._fields(cls)

        def decode(data: Any) -> Any:
            try:
                return self._filled(cls, fields, keys, data)
            except Exception as exc:
                raise SerializationException(str(exc)) from exc

        return decode

    def _filled(self, cls: Any, fields: tuple[tuple[str, str, Any], ...], keys: frozenset[str], data: Any) -> Any:
        """A model of `cls` from its JSON: declared fields decoded by type, any other key kept as it is."""
        resolved = self._resolved.get(cls)
        if resolved is None:  # each field's decoder, found once per class (on first use: models nest each other)
            resolved = tuple((attr, key, self._decoder(obj_type)) for attr, key, obj_type in fields)
            with self._lock:
                self._resolved[cls] = resolved
        model = cls()
        for attr, key, decoder in resolved:
            if key in data:
                value = data[key]
                setattr(model, attr, None if value is None else decoder(value))
        for key in data:
            if key not in keys:
                setattr(model, key, data[key])
        return model

    def _list_decoder(self, obj_type: str) -> Decoder:
        match = _LIST.match(obj_type)
        if match is None:
            return lambda data: []
        inner = match.group(1)
        if "," in inner:
            types = [t.strip() for t in inner.split(",")]
            return lambda data: [self._value(v, t) for v, t in zip(data, types, strict=False)]
        inner = inner.strip()

        def decode(data: Any) -> list[Any]:
            item = self._decoder(inner)
            return [None if v is None else item(v) for v in data]

        return decode

    def _value(self, data: Any, obj_type: Any) -> Any:
        return None if data is None else self._decoder(obj_type)(data)

    @staticmethod
    def _class(name: str) -> Any:
        try:
            module, _, class_name = name.rpartition(".")
            if not module:
                return globals()[class_name]
            return getattr(import_module(module), class_name)
        except Exception as exc:
            raise SerializationException(f"Unable to resolve class {name} from installed modules: {exc}") from exc

    @staticmethod
    def _primitive(data: Any, obj_type: Any) -> Any:
        try:
            return obj_type(data)
        except UnicodeEncodeError:
            return str(data)
        except TypeError:
            return data
        except ValueError:
            raise SerializationException(f"Failed to parse {data} into '{obj_type.__name__}' object") from None

    def _fields(self, cls: type) -> tuple[tuple[tuple[str, str, Any], ...], frozenset[str]]:
        """(attribute, JSON key, type) of a model class, and its JSON keys; read from the class once."""
        known = self._models.get(cls)
        if known is None:
            types = cls.deserialized_types  # type: ignore[attr-defined]
            names = {**{k: k for k in types}, **getattr(cls, "attribute_map", {})}
            fields = tuple((attr, key, types[attr]) for attr, key in names.items())
            known = (fields, frozenset(names.values()))
            with self._lock:
                self._models[cls] = known
        return known

    def _model(self, data: Any, cls: Any) -> Any:
        try:
            if isinstance(cls, type) and issubclass(cls, Enum):
                return cls(data)
            if not hasattr(cls, "deserialized_types"):
                return data
            if hasattr(cls, "get_real_child_model"):
                name = cls.get_real_child_model(data)
                if not name:
                    raise SerializationException(f"Couldn't resolve object by discriminator type for {cls} class")
                cls = self._decoder_class(name)
            fields, keys = self._fields(cls)
            return self._filled(cls, fields, keys, data)
        except Exception as exc:
            raise SerializationException(str(exc)) from exc

    def _decoder_class(self, name: str) -> Any:
        cls = self._classes.get(name)
        if cls is None:
            cls = self._class(name)
            with self._lock:
                self._classes[name] = cls
        return cls
