"""Admin for the channel catalogue and the country rankings: one page per country to reorder its ranking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from channels_ref.models import Channel, CountryChannelRank
from channels_ref.queries import RankEntry, save_country_ranking
from channels_ref.recommend import country_name

DEFAULT = "default"  # how the global default ranking (country "") appears in URLs and forms


class RankInline(admin.TabularInline):
    model = CountryChannelRank
    extra = 0
    fields = ("country", "position", "is_default", "source")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "is_instant_messaging", "is_active")
    list_filter = ("is_instant_messaging", "is_active")
    search_fields = ("label", "kind")
    inlines = [RankInline]


class RankRowForm(forms.Form):
    channel = forms.ModelChoiceField(queryset=Channel.objects.all(), required=False)
    source = forms.CharField(max_length=300, required=False)
    is_default = forms.BooleanField(
        required=False, label="Default", help_text="A general-knowledge default, not the customer's research"
    )


class RankRowFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            channel = form.cleaned_data.get("channel")
            if channel is None:
                continue
            if channel.pk in seen:
                raise forms.ValidationError(f"{channel} is listed twice.")
            seen.add(channel.pk)
            if not form.cleaned_data.get("source", "").strip():
                form.add_error("source", "Say where this ranking comes from.")


RankFormSet = formset_factory(RankRowForm, formset=RankRowFormSet, extra=3, can_order=True, can_delete=True)


def country_code(value: str) -> str | None:
    """ "" for the default ranking, an upper-case ISO alpha-2 code, or None when it is neither."""
    code = value.strip().upper()
    if code in ("", DEFAULT.upper()):
        return ""
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


@admin.register(CountryChannelRank)
class CountryChannelRankAdmin(admin.ModelAdmin):
    list_display = ("country_label", "position", "channel", "origin", "source", "updated_at", "edit_link")
    list_display_links = ("position",)
    list_filter = ("is_default", "country", "channel")
    search_fields = ("country", "channel__label", "source")
    ordering = ("country", "position")
    autocomplete_fields = ("channel",)
    change_list_template = "admin/channels_ref/rank_change_list.html"

    @admin.display(description="country", ordering="country")
    def country_label(self, obj: CountryChannelRank) -> str:
        return (
            f"{obj.country} {country_name(obj.country)}" if obj.country else "Default (every other country)"
        )

    @admin.display(description="origin", boolean=False, ordering="is_default")
    def origin(self, obj: CountryChannelRank) -> str:
        return "default" if obj.is_default else "customer research"

    @admin.display(description="")
    def edit_link(self, obj: CountryChannelRank) -> str:
        url = reverse("admin:channels_ref_country_ranking", args=[obj.country or DEFAULT])
        return format_html('<a href="{}">Reorder {}</a>', url, obj.country or DEFAULT)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "ranking/<str:country>/",
                self.admin_site.admin_view(self.country_ranking_view),
                name="channels_ref_country_ranking",
            )
        ]
        return own + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        code = request.GET.get("open_country")
        if code is not None:
            country = country_code(code)
            if country is None:
                messages.error(request, f"{code!r} is not a two-letter country code.")
            else:
                url = reverse("admin:channels_ref_country_ranking", args=[country or DEFAULT])
                return HttpResponseRedirect(url)
        return super().changelist_view(request, extra_context)

    def country_ranking_view(self, request: HttpRequest, country: str) -> HttpResponse:
        """One country's ranking as an ordered list: drag-free reordering by the Order numbers, rows removable."""
        code = country_code(country)
        if code is None:
            raise Http404("not a country code")
        if not self.has_change_permission(request):
            raise PermissionDenied
        rows = CountryChannelRank.objects.filter(country=code).select_related("channel").order_by("position")
        initial = [
            {
                "channel": row.channel,
                "source": row.source,
                "is_default": row.is_default,
                "ORDER": row.position,
            }
            for row in rows
        ]
        formset = RankFormSet(request.POST or None, initial=initial or None, prefix="rank")
        if request.method == "POST" and formset.is_valid():
            entries = [
                RankEntry(
                    channel_id=form.cleaned_data["channel"].pk,
                    source=form.cleaned_data["source"].strip(),
                    is_default=form.cleaned_data["is_default"],
                )
                for form in formset.ordered_forms
                if form.cleaned_data.get("channel") is not None
            ]
            save_country_ranking(code, entries)
            label = code or "the default ranking"
            messages.success(request, f"Saved {len(entries)} channel(s) for {label}.")
            return HttpResponseRedirect(
                reverse("admin:channels_ref_countrychannelrank_changelist") + f"?country={code}"
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Channel ranking: {code} {country_name(code)}" if code else "Default channel ranking",
            "opts": self.model._meta,
            "formset": formset,
            "country": code,
            "is_new": not initial,
        }
        return render(request, "admin/channels_ref/country_ranking.html", context)
