"""The website-form API: POST /api/inquiries/ with a per-source bearer token (docs/openapi.yaml).

The request body is checked against the InquiryRequest schema read from docs/openapi.yaml itself,
so the document and the server cannot drift apart. Everything after validation is intake's.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as django_cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from leads.ingest_models import hash_token
from leads.intake import InquiryInput, register_inquiry
from leads.models import ApiToken, IdempotencyRecord
from leads.verification.email import ParsedAddress, parse_address

OPENAPI_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
ALL = "__all__"
MAX_IDEMPOTENCY_KEY = 200
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$", re.IGNORECASE)

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("email")
def is_email(value: object) -> bool:
    """An address intake can normalize (email-validator's syntax rules, IDN and SMTPUTF8 included)."""
    return not isinstance(value, str) or isinstance(parse_address(value), ParsedAddress)


@FORMAT_CHECKER.checks("date-time")
def is_date_time(value: object) -> bool:
    """RFC 3339 (a date, a time and an offset), between the years 1990 and 2100."""
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return 1990 <= parsed.year <= 2100


@cache
def request_schema() -> dict[str, Any]:
    document = yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))
    return document["components"]["schemas"]["InquiryRequest"]


@cache
def _validator() -> Draft202012Validator:
    schema = request_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


def validation_errors(payload: object) -> dict[str, list[str]]:
    """Messages per field for a body that does not match InquiryRequest; empty when it matches."""
    errors: dict[str, list[str]] = {}
    for error in sorted(_validator().iter_errors(payload), key=lambda error: list(error.path)):
        for field, message in _explain(error):
            messages = errors.setdefault(field, [])
            if message not in messages:
                messages.append(message)
    return errors


def _explain(error: ValidationError) -> Iterable[tuple[str, str]]:
    path = [str(part) for part in error.path]
    field = path[0] if path else ALL
    if len(path) > 1:
        field = f"{path[0]}[{path[1]}]" + "".join(f".{part}" for part in path[2:])
    validator = error.validator
    if validator == "additionalProperties":
        extra = (
            sorted(set(error.instance) - set(error.schema.get("properties", {})))
            if isinstance(error.instance, dict)
            else []
        )
        prefix = f"{field}." if path else ""
        return [(f"{prefix}{name}", "unknown field") for name in extra] or [(field, "unknown field")]
    if validator == "anyOf" and not path:
        return [(ALL, "an email or a phone is required")]
    if validator == "required":
        return [
            (f"{field}.{name}" if path else name, "this field is required")
            for name in error.validator_value
            if isinstance(error.instance, dict) and name not in error.instance
        ]
    messages = {
        "type": f"must be {'an object' if error.validator_value == 'object' else 'a list' if error.validator_value == 'array' else 'a string'}",
        "maxLength": f"at most {error.validator_value} characters",
        "minLength": "must not be empty"
        if error.validator_value == 1
        else f"at least {error.validator_value} characters",
        "maxItems": f"at most {error.validator_value} items",
        "enum": "not one of the accepted values",
        "pattern": _pattern_message(path[0] if path else ""),
        "format": {
            "email": "not a valid email address",
            "date-time": "not an RFC 3339 date-time with an offset",
        }.get(str(error.validator_value), "not in the expected format"),
    }
    if not path and validator == "type":
        return [(ALL, "the body must be a JSON object")]
    return [(field, messages.get(str(validator), error.message))]


def _pattern_message(field: str) -> str:
    return {
        "country": "an ISO 3166 two-letter country code, such as DE",
        "phone": "only digits, spaces and + ( ) . / - (4 to 40 characters)",
        "language": "a language code such as en, de or pt-BR",
    }.get(field, "not in the expected format")


def _errors(status: int, errors: dict[str, list[str]], headers: dict[str, str] | None = None) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status, headers=headers)


@csrf_exempt
@login_not_required
@require_POST
def inquiries(request: HttpRequest) -> JsonResponse:
    token = _authenticate(request)
    if token is None:
        return _errors(
            401,
            {"authorization": ["send a valid token: Authorization: Bearer <token>"]},
            {"WWW-Authenticate": 'Bearer realm="inquiries"'},
        )
    if (retry_after := _retry_after(token)) is not None:
        return _errors(
            429,
            {ALL: [f"rate limit of {settings.LEADS_API_RATE_LIMIT} requests a minute reached"]},
            {"Retry-After": str(retry_after)},
        )
    cap = settings.LEADS_API_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return _errors(413, {ALL: [f"the body is larger than {cap} bytes"]})
    if request.content_type != "application/json":
        return _errors(415, {ALL: ["send the inquiry as JSON (Content-Type: application/json)"]})
    body = request.body
    if len(body) > cap:
        return _errors(413, {ALL: [f"the body is larger than {cap} bytes"]})
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        return _errors(400, {ALL: [f"the body is not valid JSON: {str(error)[:200]}"]})
    if errors := validation_errors(payload):
        return _errors(400, errors)
    key = request.headers.get("Idempotency-Key", "")
    if key and not (len(key) <= MAX_IDEMPOTENCY_KEY and key.strip()):
        return _errors(400, {"Idempotency-Key": [f"1 to {MAX_IDEMPOTENCY_KEY} characters"]})
    request_hash = hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    if key and (earlier := IdempotencyRecord.objects.filter(token=token, key=key).first()):
        return _replay(earlier, request_hash)
    try:
        with transaction.atomic():
            record = (
                IdempotencyRecord.objects.create(token=token, key=key, request_hash=request_hash)
                if key
                else None
            )
            result = register_inquiry(_inquiry(payload, token.source))
            answer: dict[str, Any] = {"id": result.lead.pk, "outcome": result.outcome.value}
            if result.problems:
                answer["warnings"] = result.problems
            if record is not None:
                record.status_code = 201
                record.response = answer
                record.lead = result.lead
                record.save(update_fields=["status_code", "response", "lead"])
    except IntegrityError:
        # The same key arrived twice at once: the first request's answer stands.
        earlier = IdempotencyRecord.objects.filter(token=token, key=key).first() if key else None
        if earlier is None:
            raise
        return _replay(earlier, request_hash)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return JsonResponse(answer, status=201)


def _authenticate(request: HttpRequest) -> ApiToken | None:
    scheme, _space, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip() or len(value) > 200:
        return None
    return ApiToken.objects.filter(token_hash=hash_token(value.strip()), is_active=True).first()


def _retry_after(token: ApiToken) -> int | None:
    """Seconds to wait when this token has used up its requests for the current minute (fixed window)."""
    limit = settings.LEADS_API_RATE_LIMIT
    if limit <= 0:
        return None
    now = time.time()
    key = f"api-rate:{token.pk}:{int(now // 60)}"
    django_cache.add(key, 0, timeout=120)
    try:
        count = django_cache.incr(key)
    except ValueError:  # expired between add and incr
        django_cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        return max(1, 60 - int(now % 60))
    return None


def _replay(record: IdempotencyRecord, request_hash: str) -> JsonResponse:
    if record.request_hash != request_hash:
        return _errors(409, {"Idempotency-Key": ["this key was used before with a different body"]})
    if not record.status_code:
        return _errors(409, {"Idempotency-Key": ["a request with this key is still being processed"]})
    return JsonResponse(record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def _text(payload: dict[str, Any], name: str) -> str:
    value = payload.get(name, "")
    # PostgreSQL text holds neither NUL nor lone surrogates (which JSON's \u escapes can produce).
    return str(value).replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _inquiry(payload: dict[str, Any], source: str) -> InquiryInput:
    received = payload.get("received_at")
    received_at = (
        datetime.fromisoformat(received.upper().replace("Z", "+00:00")) if received else timezone.now()
    )
    return InquiryInput(
        source=source,
        received_at=received_at,
        email=_text(payload, "email"),
        contact_name=_text(payload, "name"),
        role=_text(payload, "role"),
        company_name=_text(payload, "company"),
        website=_text(payload, "website"),
        country=_text(payload, "country"),
        phone=_text(payload, "phone"),
        subject=_text(payload, "subject"),
        message=_text(payload, "message"),
        products=_text(payload, "products"),
        quantity=_text(payload, "quantity"),
        language=_text(payload, "language"),
        source_ref=_text(payload, "external_id"),
        channels=tuple((_text(item, "kind"), _text(item, "value")) for item in payload.get("channels", [])),
    )
