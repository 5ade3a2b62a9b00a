"""Forms for follow-ups: validate what a rep sends, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms

from channels_ref.catalogue import CATALOGUE, ChannelKind
from followups import messaging
from followups.models import MessageTemplate, Offer
from followups.queries import PROSPECT
from leads.models import Contact, CustomerCategory

CATEGORY_CHOICES = [
    ("", "All leads"),
    *((value, label) for value, label in CustomerCategory.choices if value),
    (PROSPECT, "Prospects"),
]


class FollowupFilterForm(forms.Form):
    category = forms.ChoiceField(choices=CATEGORY_CHOICES, required=False, label="Customers")

    def category_value(self) -> str:
        return self.cleaned_data.get("category", "") if self.is_valid() else ""


class SnoozeForm(forms.Form):
    """How long to put a task off: an hour, until the contact's next working morning, or a few days."""

    UNTIL_CHOICES = [
        ("1h", "1 hour"),
        ("4h", "4 hours"),
        ("next_business_day", "Their next working day"),
        ("3d", "3 days"),
        ("1w", "1 week"),
    ]
    until = forms.ChoiceField(choices=UNTIL_CHOICES)


class ComposeForm(forms.Form):
    """The message for a follow-up: a channel of the contact, a template and an offer, editable text."""

    channel = forms.ChoiceField()
    template = forms.ModelChoiceField(queryset=MessageTemplate.objects.none(), required=False)
    offer = forms.ModelChoiceField(queryset=Offer.objects.none(), required=False, empty_label="No offer")
    subject = forms.CharField(max_length=300, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 9}), max_length=20_000)

    def __init__(
        self,
        *args: Any,
        channels: list[ChannelKind],
        templates: Any,
        offers: list[Offer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(kind.value, CATALOGUE[kind].label) for kind in channels]
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = lambda template: (
            f"{template.name} [{template.language}]"
        )
        # Expired offers stay choosable when already attached, so the rep is told why it cannot go out.
        self.fields["offer"].queryset = Offer.objects.filter(pk__in=[offer.pk for offer in offers])

    def clean_subject(self) -> str:
        # A line break in a subject would start a new mail header.
        return " ".join(self.cleaned_data["subject"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text = f"{cleaned.get('subject', '')}\n{cleaned.get('body', '')}"
        unknown = messaging.unknown_placeholders(text)
        if unknown:
            names = ", ".join("{" + name + "}" for name in unknown)
            raise forms.ValidationError(f"Unknown placeholders {names}: fix or remove them before sending.")
        if cleaned.get("channel") == ChannelKind.EMAIL.value and not cleaned.get("subject"):
            self.add_error("subject", "An email needs a subject.")
        return cleaned

    @property
    def channel_kind(self) -> ChannelKind:
        return ChannelKind(self.cleaned_data["channel"])


class UrgentForm(forms.Form):
    matter = forms.CharField(
        max_length=300,
        label="What is urgent",
        help_text="For example: goods at the port of Hamburg awaiting customs clearance; documents needed today.",
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        empty_label="The emergency contact (or the inquiry's contact)",
    )

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["contact"].label_from_instance = lambda contact: (
            f"{contact.name or contact.email or contact.pk}{' (emergency contact)' if contact.is_emergency_contact else ''}"
        )


class MessageTemplateAdminForm(forms.ModelForm):
    """Admin form: placeholders must be ones the renderer knows, so a typo is caught before a customer sees it."""

    class Meta:
        model = MessageTemplate
        fields = ("name", "language", "channel", "subject", "body")
        help_texts = {
            "body": "Placeholders: " + ", ".join("{" + name + "}" for name in messaging.PLACEHOLDERS),
            "language": "ISO 639-1 code: en, de, fr, es, it, pt, ru…",
        }

    def clean_language(self) -> str:
        language = self.cleaned_data["language"].strip().lower()
        if not language.isalpha() or len(language) not in (2, 3):
            raise forms.ValidationError("Use an ISO 639-1 code such as en, de or fr.")
        return language

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unknown = messaging.unknown_placeholders(f"{cleaned.get('subject', '')}\n{cleaned.get('body', '')}")
        if unknown:
            raise forms.ValidationError(
                "Unknown placeholders: "
                + ", ".join("{" + name + "}" for name in unknown)
                + ". Known: "
                + ", ".join("{" + name + "}" for name in messaging.PLACEHOLDERS)
            )
        return cleaned


class OfferAdminForm(forms.ModelForm):
    """Admin form: languages typed as "de, en" and stored as a list of codes."""

    languages_text = forms.CharField(
        label="Languages",
        required=False,
        help_text="ISO 639-1 codes separated by commas (de, en); empty: any language.",
    )

    class Meta:
        model = Offer
        fields = ("title", "terms", "valid_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["languages_text"].initial = ", ".join(self.instance.languages or [])

    def clean_languages_text(self) -> list[str]:
        codes = []
        for item in self.cleaned_data["languages_text"].replace(";", ",").split(","):
            code = item.strip().lower()
            if not code:
                continue
            if not code.isalpha() or len(code) not in (2, 3):
                raise forms.ValidationError(f"{item.strip()!r} is not a language code (en, de, fr).")
            if code not in codes:
                codes.append(code)
        return codes

    def save(self, commit: bool = True) -> Offer:
        self.instance.languages = self.cleaned_data["languages_text"]
        return super().save(commit=commit)
