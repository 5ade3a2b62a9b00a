"""Registering many inquiries at once (platform imports): intake's dedupe, in a handful of queries per chunk.

register_inquiry costs several queries per inquiry; an export of 100,000 rows needs better. Here a
chunk's existing contacts, channels, companies and platform references are loaded up front, the
inquiries are resolved in order in memory by the very rules of register_inquiry (the shared helpers
in leads.intake), and the new rows are written at the end: on PostgreSQL with COPY (ids taken from
the tables' sequences first), elsewhere with bulk_create. The caller wraps a chunk in a transaction;
a concurrent writer's row makes the insert raise IntegrityError, and the caller then takes that chunk
through register_inquiry one row at a time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.db.models.functions import Lower
from django.utils import timezone

from leads.intake import (
    PHONE_KINDS,
    InquiryInput,
    Keys,
    Outcome,
    PlannedChannel,
    blanks_to_fill,
    company_blanks,
    company_values,
    contact_blanks,
    contact_values,
    dedupe_keys,
    lead_values,
    planned_channels,
    wants_contact,
)
from leads.models import CheckStatus, Company, Contact, ContactChannel, Lead


class NewRow:
    """A row to insert, read and written like a model instance (so intake's blanks_to_fill works on it)."""

    __slots__ = ("pk", "values")

    def __init__(self, **values: Any) -> None:
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "pk", None)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "pk":
            object.__setattr__(self, "pk", value)
        else:
            self.values[name] = value


CompanyRow = Company | NewRow
ContactRow = Contact | NewRow


@dataclass(slots=True)
class BulkResult:
    outcome: Outcome
    lead_id: int
    problems: list[str] = field(default_factory=list)


# What resolving reads and fills on existing rows (intake's company_blanks and contact_blanks).
_COMPANY_FIELDS = ("id", "name", "website", "domain", "country", "merged_into_id", "updated_at")
_CONTACT_FIELDS = (
    "id", "email", "name", "role", "company_id", "updated_at",
    *(f"company__{name}" for name in _COMPANY_FIELDS),
)  # fmt: skip


def _any(
    queryset: models.QuerySet, field_name: str, values: Iterable[Any], *, lower: bool = False
) -> models.QuerySet:
    """Rows whose field (lower-cased, with `lower`) is one of many values.

    On PostgreSQL one array parameter instead of one parameter per value; lower(email) is also what
    the unique index uniq_contact_email_ci holds, so that lookup uses it.
    """
    values = list(values)
    if connection.vendor != "postgresql":
        if lower:
            return queryset.alias(any_lower=Lower(field_name)).filter(any_lower__in=values)
        return queryset.filter(**{f"{field_name}__in": values})
    quote = connection.ops.quote_name
    field = queryset.model._meta.get_field(field_name)
    column = f"{quote(queryset.model._meta.db_table)}.{quote(field.column)}"
    # Ids go as an array of the column's own type: psycopg sends small ints as int2/int4, and a bigint
    # compared with such an array is checked element by element instead of through a hash.
    array_type = "::bigint[]" if field.db_type(connection) == "bigint" else ""
    return queryset.extra(
        where=[f"{'lower(' + column + ')' if lower else column} = ANY(%s{array_type})"], params=[values]
    )


class _Chunk:
    """The rows one chunk touches, loaded once, with one Python object per database row."""

    def __init__(self, inputs: Sequence[InquiryInput], keys: Sequence[Keys]) -> None:
        self.references: dict[tuple[str, str], int | NewRow] = {}
        self.contacts_by_email: dict[str, ContactRow] = {}
        self.contacts_by_phone: dict[str, list[ContactRow]] = defaultdict(list)
        self.companies_by_domain: dict[str, CompanyRow] = {}
        self.channels: set[tuple[int, str, str]] = set()  # (id(contact), kind, normalized)
        self.contact_order: dict[int, tuple[int, int]] = {}  # id(contact) -> the order `.first()` sees
        self._companies: dict[int, Company] = {}
        self._contacts: dict[int, Contact] = {}
        self._load(inputs, keys)

    def _load(self, inputs: Sequence[InquiryInput], keys: Sequence[Keys]) -> None:
        references: dict[str, set[str]] = defaultdict(set)
        for data in inputs:
            if data.source_ref:
                references[data.source].add(data.source_ref)
        for source, refs in references.items():
            found = _any(Lead.objects.filter(source=source), "source_ref", refs).order_by("pk")
            for lead_id, ref in found.values_list("pk", "source_ref"):
                self.references.setdefault((source, ref), lead_id)

        emails = {key.email.lower() for key in keys if key.email and key.email.isascii()}
        contacts = (
            Contact.objects.select_related("company").only(*_CONTACT_FIELDS).exclude(email="").order_by("pk")
        )
        if emails:
            # lower(email) is what the unique index uniq_contact_email_ci holds.
            by_email = _any(contacts.annotate(email_lower=Lower("email")), "email", emails, lower=True)
            for contact in by_email:
                self.contacts_by_email.setdefault(contact.email_lower, self._contact(contact))
        # Lower-casing outside ASCII may differ between Python and the database: ask as intake does.
        for key in keys:
            if key.email and not key.email.isascii() and key.email.lower() not in self.contacts_by_email:
                found_contact = contacts.filter(email__iexact=key.email).first()
                if found_contact is not None:
                    self.contacts_by_email[key.email.lower()] = self._contact(found_contact)

        phones = {key.phone for key in keys if key.phone}
        if phones:
            rows = _any(ContactChannel.objects.filter(kind__in=PHONE_KINDS), "normalized", phones)
            owners = list(rows.values_list("normalized", "contact_id"))
            owner_ids = {contact_id for _phone, contact_id in owners}
            by_pk = Contact.objects.select_related("company").only(*_CONTACT_FIELDS).in_bulk(owner_ids)
            for phone, contact_id in owners:
                self.contacts_by_phone[phone].append(self._contact(by_pk[contact_id]))

        domains = {key.domain for key in keys if key.domain}
        if domains:
            # Non-empty and not merged: the conditions of the unique index uniq_company_domain, so it is used.
            companies = (
                Company.objects.only(*_COMPANY_FIELDS).filter(merged_into__isnull=True).exclude(domain="")
            )
            for company in _any(companies, "domain", domains).order_by("pk"):
                self.companies_by_domain.setdefault(company.domain, self._company(company))

        known = {contact.pk: contact for contact in self._contacts.values()}
        if known:
            existing = _any(ContactChannel.objects.all(), "contact", known)
            for contact_id, kind, normalized in existing.values_list("contact_id", "kind", "normalized"):
                self.channels.add((id(known[contact_id]), kind, normalized))

    def _company(self, company: Company) -> Company:
        return self._companies.setdefault(company.pk, company)

    def _contact(self, contact: Contact) -> Contact:
        kept = self._contacts.setdefault(contact.pk, contact)
        kept.company = self._company(kept.company)
        self.contact_order[id(kept)] = (0, kept.pk)
        return kept

    def find_contact(self, keys: Keys) -> ContactRow | None:
        if keys.email and (found := self.contacts_by_email.get(keys.email.lower())):
            return found
        if keys.phone and (owners := self.contacts_by_phone.get(keys.phone)):
            # intake's `.first()`: the lowest id; rows made in this chunk come after every older one.
            return min(owners, key=lambda contact: self.contact_order[id(contact)])
        return None


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


Parsed = tuple[Keys, tuple[PlannedChannel, ...], tuple[str, ...]]  # dedupe keys, channels, channel problems


def parse_buyer(data: InquiryInput) -> Parsed:
    """An inquiry's dedupe keys and planned channels (intake's rules), memoized per buyer."""
    return _keys_and_channels(data.email, data.website, data.phone, data.country, data.channels)


@lru_cache(maxsize=50_000)
def _keys_and_channels(
    email: str, website: str, phone: str, country: str, channels: tuple[tuple[str, str], ...]
) -> Parsed:
    # dedupe_keys and planned_channels read only these fields, and exports repeat their buyers:
    # each buyer's addresses are parsed once per import, not once per inquiry.
    data = InquiryInput(
        source="",
        received_at=_EPOCH,
        email=email,
        website=website,
        phone=phone,
        country=country,
        channels=channels,
    )
    keys = dedupe_keys(data)
    planned, problems = planned_channels(data, keys)
    return keys, tuple(planned), tuple(problems)


def forget_parsed() -> None:
    """Drop the memo of parsed buyer addresses (after an import, to give the memory back)."""
    _keys_and_channels.cache_clear()


def register_inquiries(
    inputs: Sequence[InquiryInput],
    owner: AbstractBaseUser | None = None,
    now: datetime | None = None,
    parsed: Sequence[Parsed] | None = None,
) -> list[BulkResult]:
    """Register a chunk of inquiries as register_inquiry would one by one, in order; call inside atomic().

    The leads are left pending with their check queued now; the caller enqueues the checks after
    commit (and the sweeper covers any message lost on the way).
    """
    now = now or timezone.now()
    if parsed is None:
        parsed = [parse_buyer(data) for data in inputs]
    keys = [key for key, _planned, _problems in parsed]
    chunk = _Chunk(inputs, keys)
    new_companies: list[NewRow] = []
    new_contacts: list[NewRow] = []
    new_channels: list[NewRow] = []
    new_leads: list[NewRow] = []
    changed: dict[int, tuple[Company | Contact, set[str]]] = {}
    outcomes: list[tuple[Outcome, int | NewRow, list[str]]] = []

    for data, (key, planned, planned_problems) in zip(inputs, parsed, strict=True):
        if data.source_ref and (previous := chunk.references.get((data.source, data.source_ref))):
            outcomes.append((Outcome.DUPLICATE, previous, []))
            continue
        contact = chunk.find_contact(key)
        company: CompanyRow | None
        company = (
            contact.company
            if contact
            else (chunk.companies_by_domain.get(key.domain) if key.domain else None)
        )
        is_new = company is None and contact is None
        if company is None:
            company = NewRow(**company_values(data, key))
            new_companies.append(company)
            if company.domain:
                chunk.companies_by_domain[company.domain] = company
        else:
            _note_filled(changed, company, blanks_to_fill(company, **company_blanks(data, key)))
        if contact is None and wants_contact(data, key):
            contact = NewRow(company=company, **contact_values(data, key))
            new_contacts.append(contact)
            chunk.contact_order[id(contact)] = (1, len(new_contacts))
            if contact.email:
                chunk.contacts_by_email[contact.email.lower()] = contact
        elif contact is not None:
            filled = blanks_to_fill(contact, **contact_blanks(data, key))
            _note_filled(changed, contact, filled)
            if "email" in filled:
                chunk.contacts_by_email.setdefault(contact.email.lower(), contact)
        problems: list[str] = []
        if contact is not None:
            problems = list(planned_problems)
            for channel in planned:
                marker = (id(contact), channel.kind, channel.normalized)
                if marker in chunk.channels:
                    continue
                chunk.channels.add(marker)
                new_channels.append(
                    NewRow(
                        contact=contact, kind=channel.kind, normalized=channel.normalized, value=channel.value
                    )
                )
                if channel.kind in PHONE_KINDS:
                    chunk.contacts_by_phone[channel.normalized].append(contact)
        # The state request_check gives a lead, set at insert instead of one UPDATE per lead.
        lead = NewRow(
            company=company,
            contact=contact,
            check_status=CheckStatus.PENDING,
            check_queued_at=now,
            **lead_values(data, owner),
        )
        new_leads.append(lead)
        if data.source_ref:
            chunk.references[(data.source, data.source_ref)] = lead
        outcomes.append((Outcome.CREATED if is_new else Outcome.MERGED, lead, problems))

    insert_rows(Company, new_companies, now)
    insert_rows(Contact, new_contacts, now)
    insert_rows(ContactChannel, new_channels, now, need_ids=False)
    insert_rows(Lead, new_leads, now)
    _save_filled(changed.values(), now)
    return [
        BulkResult(outcome, lead if isinstance(lead, int) else lead.pk, problems)
        for outcome, lead, problems in outcomes
    ]


def _note_filled(
    changed: dict[int, tuple[Company | Contact, set[str]]], row: CompanyRow | ContactRow, fields: list[str]
) -> None:
    # A row made in this chunk is inserted with its filled values; only older rows need an UPDATE.
    if fields and not isinstance(row, NewRow):
        changed.setdefault(id(row), (row, set()))[1].update(fields)


def _save_filled(changes: Iterable[tuple[Company | Contact, set[str]]], now: datetime) -> None:
    groups: dict[tuple[type[models.Model], frozenset[str]], list[Company | Contact]] = defaultdict(list)
    for row, fields in changes:
        row.updated_at = now
        groups[(type(row), frozenset(fields))].append(row)
    for (model, fields), rows in groups.items():
        model._default_manager.bulk_update(rows, [*sorted(fields), "updated_at"], batch_size=500)


# --- Writing new rows ----------------------------------------------------------------------


def insert_rows(
    model: type[models.Model], rows: list[NewRow], now: datetime, *, need_ids: bool = True
) -> None:
    """Insert the rows and set each row's pk (when need_ids): COPY on PostgreSQL, bulk_create elsewhere.

    Values the rows do not give are the fields' defaults, auto_now fields get `now`, and a foreign key
    may be given as an object (model instance or NewRow) whose pk is known by now.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_rows(model, rows, now, need_ids)
    else:
        create_rows(model, rows)


def create_rows(model: type[models.Model], rows: list[NewRow]) -> None:
    """The portable way: model instances and bulk_create (which sets auto_now fields itself)."""
    instances = [model(**_model_kwargs(model, row)) for row in rows]
    model._default_manager.bulk_create(instances, batch_size=1000)
    for row, instance in zip(rows, instances, strict=True):
        row.pk = instance.pk


def _model_kwargs(model: type[models.Model], row: NewRow) -> dict[str, Any]:
    kwargs = {}
    for name, value in row.values.items():
        field_object = model._meta.get_field(name)
        if field_object.is_relation and isinstance(value, NewRow | models.Model):
            kwargs[field_object.attname] = value.pk
        else:
            kwargs[name] = value
    return kwargs


def _copy_rows(model: type[models.Model], rows: list[NewRow], now: datetime, need_ids: bool) -> None:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.has_db_default()]
    constant: list[Any] = []
    for f in fields:
        is_auto_time = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = now if is_auto_time else f.get_default()
        if isinstance(f, models.JSONField):
            # As text once, not serialized again for every row: PostgreSQL parses it into jsonb.
            constant.append(json.dumps(default, cls=f.encoder))
        else:
            constant.append(f.get_db_prep_save(default, connection))
    by_name = {f.name: (index, f) for index, f in enumerate(fields)}
    plans: dict[tuple[str, ...], list[tuple[int, str, models.Field]]] = {}
    quote = connection.ops.quote_name
    columns = [quote(f.column) for f in fields]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if need_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            # Ascending, so rows made earlier keep lower ids, as one-by-one inserts would give them.
            ids = sorted(value for (value,) in cursor.fetchall())
            columns.insert(0, quote(meta.pk.column))
        sql = f"COPY {quote(meta.db_table)} ({', '.join(columns)}) FROM STDIN"
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            for index, row in enumerate(rows):
                names = tuple(row.values)
                plan = plans.get(names)
                if plan is None:
                    plan = plans[names] = [
                        (by_name[name][0], _kind(by_name[name][1]), by_name[name][1]) for name in names
                    ]
                values = list(constant)
                for (position, kind, field_object), value in zip(plan, row.values.values(), strict=True):
                    if kind == "relation":
                        values[position] = value.pk if isinstance(value, NewRow | models.Model) else value
                    elif kind == "text":
                        values[position] = value if value is None or type(value) is str else str(value)
                    else:
                        values[position] = _prepared(field_object, value)
                if need_ids:
                    row.pk = ids[index]
                    copy.write_row([ids[index], *values])
                else:
                    copy.write_row(values)


def _kind(field_object: models.Field) -> str:
    if field_object.is_relation:
        return "relation"
    if isinstance(field_object, models.CharField | models.TextField):
        return "text"  # str() turns a TextChoices member into its value
    return "other"


def _prepared(field_object: models.Field, value: Any) -> Any:
    if value is None or isinstance(value, bool | datetime | date):
        return value
    if isinstance(value, str):
        return str(value)
    return field_object.get_db_prep_save(value, connection)
