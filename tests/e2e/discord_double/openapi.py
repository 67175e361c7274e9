"""Every request checked against Discord's published description of API v10.

The description is Discord's OpenAPI document (github.com/discord/discord-api-spec), as the
npm package `discord-api-spec` publishes it (MIT; TypeScript types and Zod schemas generated
from the OpenAPI document). `make spec` installs the pinned version into the git-ignored
`.cache/discord-api-spec/<version>/` and turns it into one JSON file (spec/build_schema.mjs):
the component schemas as JSON Schema and, per operation, its path, method, query parameters
and request body. This module matches a request to its operation and validates path
parameters, query and body (JSON, or multipart `payload_json`), with the allowances below
for the description's known quirks. A violation is answered as Discord does (400, 50035
Invalid Form Body with the `errors` tree) and recorded as an `invalid-request` problem.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .errors import FormErrors

SPEC_VERSION = "10.0.266135"
REPO_ROOT = Path(__file__).resolve().parents[3]
SPEC_FILE = REPO_ROOT / ".cache" / "discord-api-spec" / SPEC_VERSION / "requests.json"

# Routes a bot uses that the description leaves out (Discord documents them elsewhere).
UNDESCRIBED = frozenset(
    {
        # discord.py's close(); https://discord.com/developers/docs/topics/oauth2 (token
        # revocation is the documented way; the client still calls this route).
        ("POST", "/auth/logout"),
    }
)

# Query parameters Discord accepts that the description does not list.
EXTRA_QUERY = {
    # discord.py creates forum posts with ?use_nested_fields=1 (the message fields nested
    # under `message`, as documented):
    # https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel
    ("POST", "/channels/{channel_id}/threads"): frozenset({"use_nested_fields"}),
}

# Allowances for the description's known quirks. Each patches one schema in `defs` before any
# validator is built, and says where Discord documents what it really accepts.
SNOWFLAKE = {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"}


def _allow_numeric_snowflakes(defs: dict[str, Any]) -> None:
    # Ids are strings in the description, but Discord accepts them as integers too, and
    # discord.py sends many as ints (message_reference.message_id, overwrite ids, role ids
    # in allowed_mentions, applied_tags …).
    # https://discord.com/developers/docs/reference#snowflakes ("… always returned as strings
    # … in order to prevent integer overflows"; input accepts either form).
    defs["SnowflakeType"] = {"anyOf": [SNOWFLAKE, {"type": "integer", "minimum": 0}]}


def _allow_string_or_integer_permissions(defs: dict[str, Any]) -> None:
    # Permission sets are "serialized into a string" on output; input accepts the string or
    # the integer (discord.py sends `permissions`/`allow`/`deny` as strings, but
    # `default_member_permissions` is typed int | string by the docs).
    # https://discord.com/developers/docs/topics/permissions#permissions
    for schema in defs.values():
        _loosen_permission_fields(schema)


PERMISSION_FIELDS = frozenset({"permissions", "allow", "deny", "default_member_permissions"})
PERMISSIONS_STRING = {"anyOf": [{"type": "string", "pattern": "^[0-9]+$"}, {"type": "null"}]}


def _loosen_permission_fields(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    props = schema.get("properties")
    if isinstance(props, dict):
        for key, sub in props.items():
            if key in PERMISSION_FIELDS and '"array"' not in json.dumps(sub):
                props[key] = {"anyOf": [PERMISSIONS_STRING, {"type": "integer", "minimum": 0}]}
            else:
                _loosen_permission_fields(sub)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key, []):
            _loosen_permission_fields(sub)
    if isinstance(schema.get("items"), dict):
        _loosen_permission_fields(schema["items"])


def _allow_any_utc_offset(defs: dict[str, Any]) -> None:
    # The package's schemas accept ISO8601 timestamps only with a "Z"; Discord takes any
    # ISO8601 offset (discord.py sends datetime.isoformat(), "+00:00").
    # https://discord.com/developers/docs/reference#iso8601-datetime
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("format") == "date-time":
                node["pattern"] = ISO8601
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(defs)


def _allow_media_channels(defs: dict[str, Any]) -> None:
    # GUILD_MEDIA (16) is missing from the description's ChannelTypes; discord.py lists it in
    # the channel_types of channel options.
    # https://discord.com/developers/docs/resources/channel#channel-object-channel-types
    defs["ChannelTypes"] = {**defs["ChannelTypes"], "enum": [*defs["ChannelTypes"]["enum"], 16]}


ISO8601 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$"

ALLOWANCES = (
    _allow_numeric_snowflakes,
    _allow_string_or_integer_permissions,
    _allow_any_utc_offset,
    _allow_media_channels,
)

# Discord sends timestamps with "+00:00" and may send media channels; the rest of what
# requests are allowed does not apply to what the double answers.
RESPONSE_ALLOWANCES = (_allow_any_utc_offset, _allow_media_channels)

# Boolean query strings: "True/true/1" and "False/false/0".
# https://discord.com/developers/docs/reference#boolean-query-strings
BOOLEAN_QUERY = {"true": True, "True": True, "1": True, "false": False, "False": False, "0": False}


@dataclass
class Operation:
    method: str
    path: str
    path_params: dict[str, dict[str, Any]]
    query: dict[str, dict[str, Any]]
    body: dict[str, Any] | None
    pattern: re.Pattern[str] = field(init=False)
    literal_segments: int = field(init=False)

    def __post_init__(self) -> None:
        parts = [
            f"(?P<{seg[1:-1]}>[^/]+)" if seg.startswith("{") else re.escape(seg)
            for seg in self.path.split("/")
        ]
        self.pattern = re.compile("/".join(parts) + "$")
        self.literal_segments = sum(1 for seg in self.path.split("/") if not seg.startswith("{"))


@dataclass
class Violation:
    """What the description refuses, shaped as Discord's 50035 `errors` tree."""

    operation: str
    errors: FormErrors

    def summary(self) -> str:
        return f"{self.operation}: {json.dumps(self.errors.errors, ensure_ascii=False)[:600]}"


class ApiDescription:
    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.defs: dict[str, Any] = copy.deepcopy(data["defs"])
        for allow in ALLOWANCES:
            allow(self.defs)
        for op in data["operations"]:
            # Bodies written inline in the description (e.g. overwrites' allow/deny).
            _loosen_permission_fields(op["body"])
        self.operations = sorted(
            (
                Operation(o["method"], o["path"], o["path_params"], o["query"], o["body"])
                for o in copy.deepcopy(data["operations"])
            ),
            key=lambda op: -op.literal_segments,
        )
        self._validators: dict[int, Draft202012Validator] = {}
        # Responses are checked strictly: ids and permissions as the strings Discord sends.
        self.response_defs: dict[str, Any] = copy.deepcopy(data["defs"])
        for allow in RESPONSE_ALLOWANCES:
            allow(self.response_defs)

    def find(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation of `METHOD /path` (path without /api/v10) and its path parameters."""
        for op in self.operations:
            if op.method != method:
                continue
            match = op.pattern.match(path)
            if match:
                return op, match.groupdict()
        return None

    def validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = id(schema)
        found = self._validators.get(key)
        if found is None:
            found = Draft202012Validator({**schema, "$defs": self.defs})
            self._validators[key] = found
        return found

    def check_response(self, name: str, payload: Any) -> list[str]:
        """What in `payload` the description's schema `name` (e.g. "MessageResponse")
        refuses, one line per error; empty when it is shaped as Discord sends it."""
        validator = Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": self.response_defs})
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '.'}: {e.message[:200]}"
            for e in _leaf_errors(validator.iter_errors(payload))
        ]

    def check(
        self, method: str, path: str, query: dict[str, str], body: Any | None
    ) -> Violation | str | None:
        """None when valid; a Violation (answered 400 50035); or a string when the route
        is not in the description at all."""
        if (method, path) in UNDESCRIBED:
            return None
        found = self.find(method, path)
        if found is None:
            return f"{method} {path} is not in Discord's API description {self.version}"
        op, params = found
        errs = FormErrors()
        for name, value in params.items():
            spec = op.path_params.get(name)
            if spec is not None:
                self._add_errors(errs, (name,), self.validator(spec["schema"]), value)
        for name, value in query.items():
            spec = op.query.get(name)
            if spec is None and name in EXTRA_QUERY.get((op.method, op.path), ()):
                continue
            if spec is None:
                errs.add((name,), "UNKNOWN_QUERY_PARAMETER", "Not a parameter of this route.")
                continue
            if not self._query_value_ok(spec["schema"], value):
                errs.add((name,), "BASE_TYPE_INVALID", f"Value {value!r} is not valid.")
        if op.body is not None and body is not None:
            self._add_errors(errs, (), self.validator(op.body), body)
        elif op.body is None and body not in (None, {}):
            errs.add((), "UNEXPECTED_BODY", "This route takes no request body.")
        if errs:
            return Violation(f"{op.method} {op.path}", errs)
        return None

    def _query_value_ok(self, schema: dict[str, Any], value: str) -> bool:
        validator = self.validator(schema)
        candidates: list[Any] = [value]
        if re.fullmatch(r"-?\d+", value):
            candidates.append(int(value))
        elif re.fullmatch(r"-?\d+\.\d+", value):
            candidates.append(float(value))
        if value in BOOLEAN_QUERY:
            candidates.append(BOOLEAN_QUERY[value])
        return any(validator.is_valid(c) for c in candidates)

    @staticmethod
    def _add_errors(
        errs: FormErrors, prefix: tuple[str | int, ...], validator: Draft202012Validator, value: Any
    ) -> None:
        for error in _leaf_errors(validator.iter_errors(value)):
            path = (*prefix, *error.absolute_path)
            code, message = _discord_code(error)
            if error.validator == "required":
                missing = re.match(r"'([^']+)'", error.message)
                path = (*path, missing.group(1)) if missing else path
            errs.add(path, code, message)


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """For a union, the errors of the branch that came closest (as jsonschema's best_match)."""
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and error.context:
            best = _closest_branch(error.context)
            yield from _leaf_errors(iter(best))
        else:
            yield error


def _closest_branch(context: list[ValidationError]) -> list[ValidationError]:
    branches: dict[Any, list[ValidationError]] = {}
    for sub in context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)

    def off_target(errs: list[ValidationError]) -> bool:
        # The branch is for another kind of thing: its `type` discriminator (components,
        # options, callbacks) or the value's JSON type does not match.
        return any(
            (e.validator == "const" and list(e.relative_path) == ["type"])
            or (e.validator == "type" and not e.relative_path)
            for e in errs
        )

    candidates = [errs for errs in branches.values() if not off_target(errs)]
    return min(candidates or list(branches.values()), key=len)


DISCORD_CODES = {
    "maxLength": "BASE_TYPE_MAX_LENGTH",
    "maxItems": "BASE_TYPE_MAX_LENGTH",
    "minLength": "BASE_TYPE_MIN_LENGTH",
    "minItems": "BASE_TYPE_MIN_LENGTH",
    "required": "BASE_TYPE_REQUIRED",
    "enum": "BASE_TYPE_CHOICES",
    "const": "BASE_TYPE_CHOICES",
    "maximum": "NUMBER_TYPE_MAX",
    "minimum": "NUMBER_TYPE_MIN",
    "pattern": "STRING_TYPE_REGEX",
    "format": "STRING_TYPE_REGEX",
}
TYPE_CODES = {
    "integer": "NUMBER_TYPE_COERCE",
    "number": "NUMBER_TYPE_COERCE",
    "string": "STRING_TYPE_CONVERT",
    "boolean": "BOOLEAN_TYPE_CONVERT",
    "object": "DICT_TYPE_CONVERT",
    "array": "LIST_TYPE_CONVERT",
}


def _discord_code(error: ValidationError) -> tuple[str, str]:
    if error.validator == "type":
        wanted = error.validator_value
        first = wanted[0] if isinstance(wanted, list) else wanted
        return TYPE_CODES.get(first, "BASE_TYPE_INVALID"), error.message
    return DISCORD_CODES.get(str(error.validator), "BASE_TYPE_INVALID"), error.message


class SpecMissing(RuntimeError):
    pass


@cache
def load() -> ApiDescription:
    path = Path(os.environ.get("DISCORD_API_SPEC", SPEC_FILE))
    if not path.exists():
        raise SpecMissing(
            f"{path} is missing: run `make spec` (installs discord-api-spec@{SPEC_VERSION} "
            "from npm into .cache/ and builds it); the Discord double validates every "
            "request against it"
        )
    return ApiDescription(json.loads(path.read_text(encoding="utf-8")))
