"""Forms of the board and lead pages: they validate input and hand back plain values, nothing more."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from channels_ref.catalogue import CATALOGUE, ChannelKind, NormalizedHandle, normalize_handle
from channels_ref.models import CHANNEL_CHOICES
from followups import waiting
from followups.models import Activity
from leads.board import COUNTRY_NAMES
from leads.intake import InquiryInput
from leads.models import (
    Authenticity,
    CustomerCategory,
    EmailVerdict,
    FitTier,
    Source,
    Stage,
    WebsiteVerdict,
)
from leads.queries import BoardFilters
from leads.verification.email import ParsedAddress, parse_address
from leads.verification.urls import NormalizedUrl, normalize_website
from leads.widgets import QuickSelect

ANY = [("", "Any")]
PAGE_SIZES = (10, 12, 25, 50, 100)
DEFAULT_PAGE_SIZE = 12


def country_choices() -> list[tuple[str, str]]:
    # A callable, so each form instance shares the list instead of deep-copying 250 choices.
    return list(COUNTRY_NAMES.items())


def _with_unset(choices: Sequence[tuple[str, str]], token: str, label: str) -> list[tuple[str, str]]:
    """Model choices for a filter, with the empty stored value spelled as a token ("" means "any" here)."""
    return [*ANY, *((value or token, label if not value else text) for value, text in choices)]


def _waiting_choices() -> list[tuple[str, str]]:
    return [*ANY, *waiting.WAITING_FILTER_LABELS.items()]


def _silence_choices() -> list[tuple[str, str]]:
    return [*ANY, *((str(reason), label) for reason, label in waiting.REASON_LABELS.items())]


class BoardFilterForm(forms.Form):
    """The board's GET parameters. Invalid values are dropped one by one, so an old bookmark still opens."""

    q = forms.CharField(required=False, max_length=100, strip=True)
    owner = forms.ChoiceField(required=False, widget=QuickSelect)
    stage = forms.ChoiceField(required=False, choices=[*ANY, *Stage.choices])
    country = forms.ChoiceField(
        required=False, choices=lambda: [*ANY, *country_choices()], widget=QuickSelect
    )
    tier = forms.ChoiceField(required=False, choices=_with_unset(FitTier.choices, "none", "Not scored"))
    email_verdict = forms.ChoiceField(
        required=False, choices=_with_unset(EmailVerdict.choices, "unchecked", "Not checked")
    )
    website_verdict = forms.ChoiceField(
        required=False, choices=_with_unset(WebsiteVerdict.choices, "unchecked", "Not checked")
    )
    authenticity = forms.ChoiceField(
        required=False, choices=_with_unset(Authenticity.choices, "unchecked", "Not checked")
    )
    source = forms.ChoiceField(required=False, choices=[*ANY, *Source.choices])
    customer_category = forms.ChoiceField(
        required=False, choices=_with_unset(CustomerCategory.choices, "prospect", "Prospect")
    )
    received_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    include_snoozed = forms.BooleanField(required=False)
    # The dashboard links here with these (unanswered leads by business days waited and likely reason).
    waiting = forms.ChoiceField(required=False, choices=_waiting_choices)
    silence = forms.ChoiceField(required=False, choices=_silence_choices)
    per = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        empty_value=DEFAULT_PAGE_SIZE,
    )

    def __init__(
        self,
        data: Any,
        *,
        owners: Sequence[tuple[int, str]] = (),
        teams: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["owner"].choices = [
            *ANY,
            ("me", "Mine"),
            ("pool", "Pool"),
            *teams,
            *((str(pk), name) for pk, name in owners),
        ]

    def filters(self) -> BoardFilters:
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return BoardFilters(
            owner=values.get("owner") or "",
            country=values.get("country") or "",
            tier=values.get("tier") or "",
            email_verdict=values.get("email_verdict") or "",
            website_verdict=values.get("website_verdict") or "",
            authenticity=values.get("authenticity") or "",
            source=values.get("source") or "",
            stage=values.get("stage") or "",
            customer_category=values.get("customer_category") or "",
            received_from=values.get("received_from"),
            received_to=values.get("received_to"),
            q=values.get("q") or "",
            include_snoozed=bool(values.get("include_snoozed")),
            waiting=values.get("waiting") or "",
            silence=values.get("silence") or "",
            per_page=values.get("per") or DEFAULT_PAGE_SIZE,
        )


class MoveForm(forms.Form):
    # Junk needs a reason, so it has its own form.
    stage = forms.ChoiceField(
        choices=[(value, label) for value, label in Stage.choices if value != Stage.JUNK]
    )


class JunkForm(forms.Form):
    reason = forms.CharField(max_length=300, strip=True)


SNOOZE_CHOICES = [("1", "1 day"), ("3", "3 days"), ("7", "1 week"), ("14", "2 weeks"), ("30", "1 month")]


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(choices=[("0", "Wake up now"), *SNOOZE_CHOICES], coerce=int)

    def until(self, now: datetime) -> datetime | None:
        days = self.cleaned_data["days"]
        return now + timedelta(days=days) if days else None


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, empty_label=None)

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees


class IdListField(forms.Field):
    """Repeated integer parameters (`lead=1&lead=2`); which of them the user may touch is the queryset's call."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value or []
        if isinstance(values, str):
            values = [values]
        if not all(str(item).isdigit() for item in values):
            raise forms.ValidationError("Not a list of lead ids.")
        return [int(item) for item in values][:BULK_SELECTION_LIMIT]


BULK_SELECTION_LIMIT = 500


class BulkRecheckForm(forms.Form):
    lead = IdListField(required=False)
    scope = forms.ChoiceField(choices=[("selected", "Selected"), ("filter", "All in this filter")])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == "selected" and not cleaned.get("lead"):
            raise forms.ValidationError("Select at least one card, or re-check all in this filter.")
        return cleaned


def _local_now() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class ActivityForm(forms.Form):
    """Log a message we sent or a reply we received."""

    direction = forms.ChoiceField(
        choices=[(Activity.Direction.OUTBOUND, "We sent"), (Activity.Direction.INBOUND, "They replied")]
    )
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, initial=ChannelKind.EMAIL.value)
    occurred_at = forms.DateTimeField(
        label="When",
        initial=_local_now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    subject = forms.CharField(required=False, max_length=300)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_auto_reply = forms.BooleanField(required=False, label="Auto-reply (out of office)")

    def clean_occurred_at(self) -> datetime:
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError("This is in the future.")
        return occurred_at

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("subject") and not cleaned.get("body"):
            raise forms.ValidationError("Give a subject or the message text.")
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


CHANNEL_KIND_CHOICES = [
    ("", "—"),
    *(
        (kind.value, info.label)
        for kind, info in CATALOGUE.items()
        if kind not in (ChannelKind.EMAIL, ChannelKind.PHONE) and not info.is_discontinued
    ),
]
EXTRA_CHANNELS = 3


class InquiryForm(forms.Form):
    """A manually entered inquiry; validated here, created through `intake.register_inquiry` only."""

    company_name = forms.CharField(label="Company", required=False, max_length=200)
    website = forms.CharField(required=False, max_length=500)
    contact_name = forms.CharField(label="Contact name", required=False, max_length=200)
    email = forms.CharField(required=False, max_length=254)
    phone = forms.CharField(
        required=False, max_length=40, help_text="With +country code, or pick the country."
    )
    country = forms.ChoiceField(
        required=False, choices=lambda: [("", "—"), *country_choices()], widget=QuickSelect
    )
    subject = forms.CharField(required=False, max_length=300)
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    products = forms.CharField(label="Products of interest", required=False, max_length=300)
    quantity = forms.CharField(required=False, max_length=100)
    source = forms.ChoiceField(choices=Source.choices, initial=Source.MANUAL)
    received_on = forms.DateField(
        label="Received on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )
    to_pool = forms.BooleanField(label="Put it in the pool instead of taking it", required=False)
    add_anyway = forms.BooleanField(label="Add anyway: it is a new inquiry", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, EXTRA_CHANNELS + 1):
            self.fields[f"channel_{index}_kind"] = forms.ChoiceField(
                label=f"Channel {index}", required=False, choices=CHANNEL_KIND_CHOICES
            )
            self.fields[f"channel_{index}_value"] = forms.CharField(
                label=f"Handle {index}", required=False, max_length=300
            )

    @property
    def channel_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"channel_{index}_kind"], self[f"channel_{index}_value"])
            for index in range(1, EXTRA_CHANNELS + 1)
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and not isinstance(problem := parse_address(email), ParsedAddress):
            raise forms.ValidationError(f"Not a valid email address: {problem.message}")
        return email

    def clean_website(self) -> str:
        website = self.cleaned_data["website"].strip()
        if website and not isinstance(normalize_website(website), NormalizedUrl):
            raise forms.ValidationError("Not a website address (example: www.example.com).")
        return website

    def clean_received_on(self) -> date | None:
        day = self.cleaned_data["received_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("This is in the future.")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country = cleaned.get("country") or None
        phone = (cleaned.get("phone") or "").strip()
        if phone:
            handle = normalize_handle(ChannelKind.PHONE, phone, country)
            if not isinstance(handle, NormalizedHandle):
                self.add_error("phone", f"Not a usable phone number: {handle.detail}.")
        channels = []
        for index in range(1, EXTRA_CHANNELS + 1):
            kind = cleaned.get(f"channel_{index}_kind") or ""
            value = (cleaned.get(f"channel_{index}_value") or "").strip()
            if kind and not value:
                self.add_error(f"channel_{index}_value", "Enter the handle or number for this channel.")
            elif value and not kind:
                self.add_error(f"channel_{index}_kind", "Pick the channel this handle belongs to.")
            elif kind and value:
                handle = normalize_handle(ChannelKind(kind), value, country)
                if isinstance(handle, NormalizedHandle):
                    channels.append((kind, value))
                else:
                    self.add_error(f"channel_{index}_value", f"Not usable: {handle.detail}.")
        cleaned["channels"] = tuple(channels)
        if not (cleaned.get("email") or phone or channels) and not self.errors:
            raise forms.ValidationError(
                "Give at least one way to reach them: an email, a phone or a channel."
            )
        if (
            not (cleaned.get("company_name") or cleaned.get("website") or cleaned.get("email"))
            and not self.errors
        ):
            self.add_error("company_name", "Give the company's name, its website or an email address.")
        return cleaned

    def inquiry(self, now: datetime) -> InquiryInput:
        data = self.cleaned_data
        received_on = data.get("received_on")
        received_at = now
        if received_on and received_on != timezone.localdate(now):
            received_at = timezone.make_aware(
                datetime.combine(received_on, datetime.min.time()).replace(hour=12)
            )
        return InquiryInput(
            source=data["source"],
            received_at=received_at,
            email=data.get("email", ""),
            contact_name=data.get("contact_name", ""),
            company_name=data.get("company_name", ""),
            website=data.get("website", ""),
            country=data.get("country", ""),
            phone=data.get("phone", ""),
            subject=data.get("subject", ""),
            message=data.get("message", ""),
            products=data.get("products", ""),
            quantity=data.get("quantity", ""),
            channels=data.get("channels", ()),
        )
