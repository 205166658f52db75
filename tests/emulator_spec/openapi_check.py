"""Validates HTTP responses against the WorkOS OpenAPI 3.1 document.

The spec's response schemas are JSON Schema 2020-12 with `$ref`s into
`#/components/...`; each schema is validated inside a wrapper document that
carries the spec's `components`, so those references resolve unchanged.
"""

import json
import os
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator, FormatChecker

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = Path(__file__).resolve().parent / "workos-openapi" / "open-api-spec.yaml"

# Statuses the emulator answers that the spec does not document for the
# operation, each with the shape it is held to instead.
GENERIC_MESSAGE = {
    "type": "object",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
}
GENERIC_OAUTH = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    "required": ["error", "error_description"],
}
UNDOCUMENTED = {
    # WorkOS documents no 401 body on most operations; the common one is {message}.
    ("*", "*", 401): GENERIC_MESSAGE,
    # Deleting or updating something that does not exist: WorkOS's usual 404.
    ("delete", "/organizations/{id}", 404): GENERIC_MESSAGE,
    ("delete", "/directories/{id}", 404): GENERIC_MESSAGE,
    ("put", "/user_management/users/{id}", 404): GENERIC_MESSAGE,
    ("post", "/user_management/invitations/{id}/revoke", 404): GENERIC_MESSAGE,
    # The authorize endpoint documents only its redirects; per RFC 6749 an
    # unknown client or a bad redirect URI must not be redirected to.
    ("get", "/user_management/authorize", 400): GENERIC_OAUTH,
    # Rate limiting (off unless a test turns it on): where an operation
    # documents no 429, the shape the audit log's documents.
    ("*", "*", 429): {
        "type": "object",
        "properties": {"code": {"const": "rate_limit_exceeded"}, "message": {"type": "string"}},
        "required": ["code", "message"],
    },
}

_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time")
def _is_date_time(value):
    return not isinstance(value, str) or bool(_DATE_TIME.match(value))


class ConformanceError(AssertionError):
    pass


def spec_path():
    return Path(os.environ.get("WORKOS_OPENAPI_SPEC", DEFAULT_SPEC))


def load_spec(path=None):
    path = Path(path or spec_path())
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


def _template_regex(template):
    parts = re.split(r"(\{[^}]+\})", template)
    pattern = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile("^" + pattern + "$")


class SpecChecker:
    """Looks up operations by concrete path and validates responses."""

    def __init__(self, spec):
        self.spec = spec
        self.components = spec.get("components", {})
        templates = list(spec["paths"].keys())
        # Literal segments win over parameters: /users/external_id/{x}
        # must not be taken for /users/{id}/{something}.
        templates.sort(key=lambda t: (t.count("{"), -len(t)))
        self._paths = [(t, _template_regex(t)) for t in templates]
        self._validators = {}
        self.validated = set()

    def template_for(self, path):
        for template, regex in self._paths:
            if regex.match(path):
                return template
        raise ConformanceError(f"no path in the spec matches {path}")

    def operation(self, method, template):
        op = self.spec["paths"].get(template, {}).get(method.lower())
        if op is None:
            raise ConformanceError(f"the spec has no {method.upper()} {template}")
        return op

    def resolve(self, node):
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            target = self.spec
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def validator(self, schema):
        # Schemas are objects inside the loaded spec (or module constants), so
        # their identity is a stable cache key.
        schema_key = id(schema)
        if schema_key not in self._validators:
            document = dict(schema)
            document["components"] = self.components
            Draft202012Validator.check_schema({k: v for k, v in document.items() if k != "components"})
            self._validators[schema_key] = Draft202012Validator(
                document, format_checker=FORMAT_CHECKER
            )
        return self._validators[schema_key]

    def validate_value(self, schema, value, label):
        errors = sorted(
            self.validator(schema).iter_errors(value), key=lambda e: [str(p) for p in e.path]
        )
        if errors:
            details = "\n".join(
                f"  at {'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:500]}"
                for e in errors[:10]
            )
            raise ConformanceError(
                f"{label}: body does not match the spec schema:\n{details}\nbody: "
                + json.dumps(value)[:2000]
            )

    def component_schema(self, name):
        return self.components["schemas"][name]

    def response_schema(self, method, template, status):
        """(documented, schema or None). Raises if the status is undocumented
        and not in UNDOCUMENTED."""
        op = self.operation(method, template)
        responses = op.get("responses", {})
        entry = responses.get(str(status))
        if entry is None:
            for key in ((method.lower(), template, status), ("*", "*", status)):
                if key in UNDOCUMENTED:
                    return False, UNDOCUMENTED[key]
            raise ConformanceError(
                f"{method.upper()} {template} answered {status}, which the spec does not "
                f"document (documented: {sorted(responses)})"
            )
        entry = self.resolve(entry)
        content = entry.get("content") or {}
        media = content.get("application/json")
        return True, (media or {}).get("schema")

    def check(self, response, method=None, path=None):
        """Validates a `requests` response; returns the parsed JSON body (or None)."""
        method = (method or response.request.method).lower()
        if path is None:
            from urllib.parse import urlsplit

            path = urlsplit(response.request.url).path
        template = self.template_for(path)
        status = response.status_code
        _, schema = self.response_schema(method, template, status)
        label = f"{method.upper()} {path} -> {status}"
        body = None
        if schema is not None:
            ctype = response.headers.get("content-type", "")
            if "json" not in ctype:
                raise ConformanceError(f"{label}: expected a JSON body, got {ctype!r}")
            body = response.json()
            self.validate_value(schema, body, label)
        elif status in (301, 302, 303, 307, 308):
            if not response.headers.get("location"):
                raise ConformanceError(f"{label}: a redirect without a Location header")
        self.validated.add((method, template, status))
        return body
