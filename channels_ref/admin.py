from django.contrib import admin

from channels_ref.models import Channel, CountryChannelRank


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


@admin.register(CountryChannelRank)
class CountryChannelRankAdmin(admin.ModelAdmin):
    list_display = ("country_label", "position", "channel", "is_default", "source", "updated_at")
    list_display_links = ("country_label", "position")
    list_editable = ()
    list_filter = ("is_default", "country", "channel")
    search_fields = ("country", "channel__label", "source")
    ordering = ("country", "position")
    autocomplete_fields = ("channel",)

    @admin.display(description="country", ordering="country")
    def country_label(self, obj: CountryChannelRank) -> str:
        return obj.country or "default"
