"""The ingest rows have admin pages; token hashes never show, and history rows cannot be edited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from leads.ingest_models import hash_token
from leads.models import (
    ApiToken,
    Attachment,
    CompanyMerge,
    IdempotencyRecord,
    ImportPreset,
    ImportRun,
    InboundMessage,
    MailboxCursor,
)
from tests import factories

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

TOKEN = "uvl_secret-token-for-tests-only-0123456789"


@pytest.fixture
def superuser() -> User:
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def token() -> ApiToken:
    return ApiToken.objects.create(name="website", token_hash=hash_token(TOKEN), prefix=TOKEN[:12])


@pytest.fixture
def rows(token: ApiToken) -> dict[type[Model], Model]:
    lead = factories.LeadFactory()
    survivor = factories.CompanyFactory(name="Survivor GmbH")
    return {
        ImportPreset: ImportPreset.objects.create(name="Alibaba 2026", mapping={"company": "company_name"}),
        ImportRun: ImportRun.objects.create(
            file_name="inquiries.xlsx", sha256="a" * 64, status=ImportRun.Status.DONE, total_rows=3
        ),
        MailboxCursor: MailboxCursor.objects.create(mailbox="sales", uidvalidity=7, last_uid=41),
        InboundMessage: InboundMessage.objects.create(
            message_id="<m1@example.com>",
            mailbox="sales",
            uid=41,
            outcome=InboundMessage.Outcome.NEW_LEAD,
            lead=lead,
        ),
        Attachment: Attachment.objects.create(
            lead=lead,
            file="attachments/k3j2h1.pdf",
            original_name="spec.pdf",
            content_type="application/pdf",
            size=3,
            sha256="b" * 64,
        ),
        ApiToken: token,
        IdempotencyRecord: IdempotencyRecord.objects.create(token=token, key="k-1", request_hash="c" * 64),
        CompanyMerge: CompanyMerge.objects.create(
            survivor=survivor, merged_company_pk=999, merged_name="Old name Ltd", moved={"leads": 2}
        ),
    }


def _url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:leads_{model._meta.model_name}_{view}", args=args)


INGEST_MODELS = [
    ImportPreset,
    ImportRun,
    MailboxCursor,
    InboundMessage,
    Attachment,
    ApiToken,
    IdempotencyRecord,
    CompanyMerge,
]


@pytest.mark.parametrize("model", INGEST_MODELS, ids=lambda model: model.__name__)
def test_admin_opens_the_changelist_and_change_page_of_each_ingest_model(
    admin_client: Client, rows: dict[type[Model], Model], model: type[Model]
) -> None:
    row = rows[model]

    changelist = admin_client.get(_url(model, "changelist"))
    change = admin_client.get(_url(model, "change", row.pk))

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert _url(model, "change", row.pk) in changelist.content.decode()  # the row is listed


@pytest.mark.parametrize("model", INGEST_MODELS, ids=lambda model: model.__name__)
def test_admin_search_and_filters_of_each_ingest_model_work(
    admin_client: Client, rows: dict[type[Model], Model], model: type[Model]
) -> None:
    response = admin_client.get(_url(model, "changelist"), {"q": "x"})

    assert response.status_code == 200
    assert "errornote" not in response.content.decode()


def test_token_hash_is_never_shown_only_its_prefix(admin_client: Client, token: ApiToken) -> None:
    factories.LeadFactory()
    record = IdempotencyRecord.objects.create(token=token, key="k-1", request_hash="c" * 64)
    pages = [
        admin_client.get(_url(ApiToken, "changelist")),
        admin_client.get(_url(ApiToken, "change", token.pk)),
        admin_client.get(_url(ApiToken, "delete", token.pk)),
        admin_client.get(_url(IdempotencyRecord, "changelist")),
        admin_client.get(_url(IdempotencyRecord, "change", record.pk)),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert token.token_hash not in html
        assert token.token_hash[:16] not in html
        assert TOKEN not in html
    assert f"{TOKEN[:12]}…" in pages[0].content.decode()
    assert f"{TOKEN[:12]}…" in pages[1].content.decode()


def test_token_form_cannot_change_the_hash_or_prefix(admin_client: Client, token: ApiToken) -> None:
    response = admin_client.post(
        _url(ApiToken, "change", token.pk),
        {
            "name": "website (old form)",
            "source": "website",
            "token_hash": hash_token("uvl_attacker"),
            "prefix": "uvl_attacker",
        },
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.name == "website (old form)"
    assert token.is_active is False  # the unticked box revokes it
    assert token.token_hash == hash_token(TOKEN)
    assert token.prefix == TOKEN[:12]


def test_tokens_are_not_added_in_the_admin(admin_client: Client) -> None:
    assert admin_client.get(_url(ApiToken, "add")).status_code == 403


def test_revoke_action_deactivates_the_selected_tokens(admin_client: Client, token: ApiToken) -> None:
    response = admin_client.post(
        _url(ApiToken, "changelist"), {"action": "revoke", "_selected_action": [str(token.pk)]}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_active is False


@pytest.mark.parametrize(
    "model",
    [ImportRun, CompanyMerge, InboundMessage, IdempotencyRecord, Attachment],
    ids=lambda m: m.__name__,
)
def test_history_rows_are_view_only(
    admin_client: Client, rows: dict[type[Model], Model], model: type[Model]
) -> None:
    row = rows[model]
    before = {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields}

    change_page = admin_client.get(_url(model, "change", row.pk)).content.decode()
    assert 'name="_save"' not in change_page  # the view page has no save button
    assert admin_client.get(_url(model, "add")).status_code == 403
    assert admin_client.get(_url(model, "delete", row.pk)).status_code == 403
    assert admin_client.post(_url(model, "change", row.pk), {}).status_code == 403
    assert admin_client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    listing = admin_client.get(_url(model, "changelist")).content.decode()
    assert 'value="delete_selected"' not in listing

    row.refresh_from_db()
    assert {field.attname: getattr(row, field.attname) for field in model._meta.concrete_fields} == before


def test_attachment_page_links_to_the_safe_download_not_the_raw_file(
    admin_client: Client, rows: dict[type[Model], Model]
) -> None:
    attachment = rows[Attachment]

    html = admin_client.get(_url(Attachment, "change", attachment.pk)).content.decode()

    assert reverse("imports:attachment", args=[attachment.pk]) in html
    assert 'href="/media/' not in html


def test_new_import_preset_records_who_made_it(admin_client: Client, superuser: User) -> None:
    response = admin_client.post(
        _url(ImportPreset, "add"), {"name": "Made-in-China", "source": "made_in_china", "mapping": "{}"}
    )

    assert response.status_code == 302
    assert ImportPreset.objects.get(name="Made-in-China").created_by == superuser


def test_mailbox_cursor_name_is_fixed_but_its_position_can_be_reset(
    admin_client: Client, rows: dict[type[Model], Model]
) -> None:
    cursor = rows[MailboxCursor]

    response = admin_client.post(
        _url(MailboxCursor, "change", cursor.pk), {"mailbox": "other", "uidvalidity": "7", "last_uid": "0"}
    )

    assert response.status_code == 302
    cursor.refresh_from_db()
    assert (cursor.mailbox, cursor.last_uid) == ("sales", 0)
