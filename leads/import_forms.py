"""Forms of the import pages and the company merge page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings

from leads.importing.columns import FIELD_LABELS, Field
from leads.importing.tables import ENCODING_CHOICES
from leads.models import ImportPreset, ImportSource

ACCEPTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
IGNORE = ""
FIELD_CHOICES = [(IGNORE, "— ignore —"), *((field.value, label) for field, label in FIELD_LABELS.items())]


class UploadForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX export from Alibaba, Made-in-China or any spreadsheet.")
    encoding = forms.ChoiceField(
        choices=[("", "Detect"), *((name, name) for name in ENCODING_CHOICES)],
        required=False,
        help_text="Only for CSV files whose text comes out garbled.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > settings.LEADS_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.LEADS_IMPORT_MAX_BYTES:,}. Split it."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file, plus where the leads go and whether to keep the mapping."""

    source = forms.ChoiceField(choices=ImportSource.choices)
    preset = forms.ModelChoiceField(
        queryset=ImportPreset.objects.all(), required=False, empty_label="— none —", label="Apply a preset"
    )
    save_as = forms.CharField(max_length=100, required=False, label="Save this mapping as a preset named")
    assign_to_me = forms.BooleanField(
        required=False, label="Assign the imported leads to me (otherwise they go to the pool)"
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=FIELD_CHOICES, required=False, label=header or f"Column {index + 1}"
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            value = cleaned.get(f"column_{index}") or IGNORE
            if value == IGNORE:
                continue
            if value in seen:
                self.add_error(
                    f"column_{index}",
                    f"{FIELD_LABELS[Field(value)]} is already taken by column {seen[value]!r}.",
                )
            seen[value] = header or f"Column {index + 1}"
        return cleaned

    def mapping(self) -> dict[int, Field]:
        return {
            index: Field(value)
            for index in range(len(self.headers))
            if (value := self.cleaned_data.get(f"column_{index}") or IGNORE) != IGNORE
        }


def mapping_initial(mapping: dict[int, Field]) -> dict[str, str]:
    return {f"column_{index}": field.value for index, field in mapping.items()}


class MergeForm(forms.Form):
    merged = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
