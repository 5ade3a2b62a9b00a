"""POST /api/inquiries/: per-source bearer tokens, the documented schema, rate limit, idempotency, no 500s."""

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from leads import api
from leads.models import ApiToken, Contact, IdempotencyRecord, Lead

pytestmark = pytest.mark.django_db
URL = "/api/inquiries/"
OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
GOOD = {
    "email": "anna.schmidt@aqua-tech.de",
    "name": "Anna Schmidt",
    "company": "Aqua Tech GmbH",
    "country": "DE",
    "phone": "+49 151 23456789",
    "message": "Please quote 200 UV lamps.",
    "external_id": "form-1",
}


@pytest.fixture(autouse=True)
def local_cache(settings):  # type: ignore[no-untyped-def]
    # The rate limit counts in the cache: a private one per test, so counts never leak between tests.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-tests"}
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def token(capsys: pytest.CaptureFixture[str]) -> str:
    call_command("create_api_token", "main-website", "--source", "website")
    return capsys.readouterr().out.strip().splitlines()[-1]


def _post(client: Client, body: object, token: str = "", raw: bytes | None = None, **headers: str) -> object:
    data = raw if raw is not None else json.dumps(body).encode()
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    # generic() sends the bytes as they are, whatever charset the content type names.
    return client.generic(
        "POST", URL, data, content_type=headers.pop("content_type", "application/json"), **headers
    )


def test_token_is_printed_once_and_stored_only_as_its_hash(token: str) -> None:
    stored = ApiToken.objects.get(name="main-website")
    assert token.startswith("uvl_")
    assert len(token) > 40
    assert token not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == api.hash_token(token)


def test_valid_inquiry_creates_a_lead_from_the_tokens_source(client: Client, token: str) -> None:
    response = _post(client, GOOD, token)
    assert response.status_code == 201
    body = response.json()
    lead = Lead.objects.get(pk=body["id"])
    assert body["outcome"] == "created"
    assert (lead.source, lead.source_ref, lead.contact.name, lead.company.country) == (
        "website",
        "form-1",
        "Anna Schmidt",
        "DE",
    )
    assert lead.check_status == "pending"


def test_same_email_phone_or_domain_joins_the_existing_contact_and_company(
    client: Client, token: str
) -> None:
    first = _post(client, GOOD, token).json()
    by_email = _post(client, {"email": "ANNA.SCHMIDT@aqua-tech.de", "message": "again"}, token).json()
    by_phone = _post(client, {"phone": "+49 1512 3456789", "message": "call me"}, token).json()
    by_domain = _post(client, {"email": "ben@aqua-tech.de"}, token).json()
    assert [by_email["outcome"], by_phone["outcome"], by_domain["outcome"]] == ["merged"] * 3
    leads = Lead.objects.in_bulk([first["id"], by_email["id"], by_phone["id"], by_domain["id"]])
    assert (
        leads[by_email["id"]].contact_id == leads[by_phone["id"]].contact_id == leads[first["id"]].contact_id
    )
    assert leads[by_domain["id"]].company_id == leads[first["id"]].company_id
    assert Contact.objects.count() == 2


def test_same_external_id_is_a_duplicate_and_creates_nothing(client: Client, token: str) -> None:
    first = _post(client, GOOD, token).json()
    again = _post(client, {**GOOD, "message": "resent"}, token)
    assert again.status_code == 201
    assert again.json() == {"id": first["id"], "outcome": "duplicate"}
    assert Lead.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "No contact"}, {"__all__": ["an email or a phone is required"]}),
        ({"email": "not-an-address"}, {"email": ["not a valid email address"]}),
        (
            {"email": "a@b.de", "country": "Germany"},
            {"country": ["an ISO 3166 two-letter country code, such as DE"]},
        ),
        ({"email": "a@b.de", "nmae": "typo"}, {"nmae": ["unknown field"]}),
        ({"email": "a@b.de", "message": 42}, {"message": ["must be a string"]}),
        ({"email": "a@b.de", "name": "x" * 201}, {"name": ["at most 200 characters"]}),
        (
            {"email": "a@b.de", "received_at": "yesterday"},
            {"received_at": ["not an RFC 3339 date-time with an offset"]},
        ),
        (
            {"email": "a@b.de", "channels": [{"kind": "fax", "value": "1"}]},
            {"channels[0].kind": ["not one of the accepted values"]},
        ),
        ([1, 2], {"__all__": ["the body must be a JSON object"]}),
    ],
)
def test_invalid_body_gets_400_with_errors_per_field(
    client: Client, token: str, body: object, errors: dict
) -> None:  # type: ignore[type-arg]
    response = _post(client, body, token)
    assert response.status_code == 400
    assert response.json() == {"errors": errors}
    assert not Lead.objects.exists()


def test_body_that_is_not_json_gets_400(client: Client, token: str) -> None:
    response = _post(client, None, token, raw=b'{"email": ')
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["errors"]["__all__"][0]


def test_non_json_content_type_gets_415(client: Client, token: str) -> None:
    response = _post(
        client, None, token, raw=b"email=a@b.de", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_body_over_the_cap_gets_413(client: Client, token: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_API_MAX_BODY_BYTES = 200
    response = _post(client, {**GOOD, "message": "x" * 500}, token)
    assert response.status_code == 413
    assert not Lead.objects.exists()


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwdw==", "Token abc"])
def test_missing_or_wrong_token_gets_401(client: Client, token: str, header: str) -> None:
    response = client.post(URL, json.dumps(GOOD), content_type="application/json", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Lead.objects.exists()


def test_revoked_token_gets_401(client: Client, token: str) -> None:
    call_command("create_api_token", "main-website", "--revoke")
    assert _post(client, GOOD, token).status_code == 401


def test_rotated_token_replaces_the_old_one(
    client: Client, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("create_api_token", "main-website", "--rotate")
    new_token = capsys.readouterr().out.strip().splitlines()[-1]
    assert _post(client, GOOD, token).status_code == 401
    assert _post(client, GOOD, new_token).status_code == 201


def test_api_needs_no_login_and_no_csrf_token(token: str) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, GOOD, token).status_code == 201


def test_only_post_is_allowed(client: Client, token: str) -> None:
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 405


def test_rate_limit_per_token_answers_429_with_retry_after(
    client: Client, token: str, settings, capsys
) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_API_RATE_LIMIT = 2
    call_command("create_api_token", "shop", "--source", "website")
    other = capsys.readouterr().out.strip().splitlines()[-1]
    statuses = [_post(client, {"email": f"b{n}@x-corp.com"}, token).status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    limited = _post(client, {"email": "c@x-corp.com"}, token)
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert (
        _post(client, {"email": "d@x-corp.com"}, other).status_code == 201
    )  # another token has its own count


def test_same_idempotency_key_and_body_replays_the_first_answer(client: Client, token: str) -> None:
    first = _post(client, {"email": "a@x-corp.com"}, token, HTTP_IDEMPOTENCY_KEY="k-1")
    second = _post(client, {"email": "a@x-corp.com"}, token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json() == {"id": Lead.objects.get().pk, "outcome": "created"}
    assert second["Idempotent-Replayed"] == "true"
    assert Lead.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_idempotency_key_with_another_body_gets_409(client: Client, token: str) -> None:
    _post(client, {"email": "a@x-corp.com"}, token, HTTP_IDEMPOTENCY_KEY="k-1")
    response = _post(client, {"email": "b@x-corp.com"}, token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 409
    assert Lead.objects.count() == 1


def test_idempotency_keys_are_per_token(
    client: Client, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("create_api_token", "shop")
    other = capsys.readouterr().out.strip().splitlines()[-1]
    _post(client, {"email": "a@x-corp.com"}, token, HTTP_IDEMPOTENCY_KEY="same")
    response = _post(client, {"email": "b@y-corp.com"}, other, HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201
    assert Lead.objects.count() == 2


def test_openapi_document_is_valid_and_its_example_is_accepted(client: Client, token: str) -> None:
    document = yaml.safe_load(OPENAPI.read_text())
    assert document["openapi"].startswith("3.1")
    schema = document["components"]["schemas"]["InquiryRequest"]
    Draft202012Validator.check_schema(schema)
    assert api.request_schema() == schema  # the server validates against the document itself
    example = document["paths"]["/api/inquiries/"]["post"]["requestBody"]["content"]["application/json"][
        "example"
    ]
    assert _post(client, example, token).status_code == 201


texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "a@b.de", "anna@aqua-tech.de", "bad@", "+49 151 23456789", "DE", "de", "Germany", "x" * 260]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5),
)
values = st.one_of(texts, st.integers(), st.none(), st.booleans(), st.lists(texts, max_size=2))
fields = st.sampled_from([*api.request_schema()["properties"], "extra"])
channel_items = st.fixed_dictionaries(
    {"kind": st.sampled_from(["whatsapp", "skype", "fax", ""]), "value": texts}
)
bodies = st.one_of(
    st.dictionaries(fields, values, max_size=6),
    st.dictionaries(fields, texts, max_size=6),
    st.fixed_dictionaries(
        {
            "email": st.sampled_from(["a@b-corp.com", "x@gmail.com", "no"]),
            "received_at": st.sampled_from(
                [
                    "2026-11-02T10:00:00+01:00",
                    "2026-11-02T10:00:00",
                    "0001-01-01T00:00:00+14:00",
                    "2026-11-02T10:00:00Z",
                ]
            ),
        },
        optional={
            "channels": st.lists(channel_items, max_size=3),
            "phone": texts,
            "country": texts,
            "website": texts,
        },
    ),
    st.lists(texts, max_size=2),
    texts,
)
API_FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def unlimited(settings):  # type: ignore[no-untyped-def]
    settings.LEADS_API_RATE_LIMIT = 0


@API_FUZZ
@given(bodies)
def test_server_accepts_exactly_what_the_documented_schema_accepts(
    client: Client, token: str, unlimited: None, body: object
) -> None:
    schema = yaml.safe_load(OPENAPI.read_text())["components"]["schemas"]["InquiryRequest"]
    is_valid = Draft202012Validator(schema, format_checker=api.FORMAT_CHECKER).is_valid(body)
    response = _post(client, body, token)
    assert response.status_code == (201 if is_valid else 400), response.content
    if not is_valid:
        assert response.json()["errors"]


@API_FUZZ
@given(
    st.binary(max_size=300),
    st.sampled_from(["application/json", "text/plain", "application/json; charset=latin-1"]),
)
def test_any_bytes_get_an_answer_never_a_server_error(
    client: Client, token: str, unlimited: None, raw: bytes, content_type: str
) -> None:
    response = _post(client, None, token, raw=raw, content_type=content_type)
    assert response.status_code in (201, 400, 415)
    assert "errors" in response.json() or response.status_code == 201


def test_deeply_nested_json_is_refused_not_crashed(client: Client, token: str) -> None:
    response = _post(client, None, token, raw=b"[" * 20000 + b"]" * 20000)
    assert response.status_code in (400, 413)


def test_api_url_is_namespaced() -> None:
    assert reverse("api:inquiries") == URL
