from django.db import models
from django.db.models import Q

from channels_ref.catalogue import CATALOGUE, ChannelKind

CHANNEL_CHOICES = [(kind.value, CATALOGUE[kind].label) for kind in ChannelKind]


class Channel(models.Model):
    """A way to reach a contact (email, WhatsApp, ...); the catalogue lives in code, this row lets admins relabel or retire one."""

    kind = models.CharField(max_length=20, choices=CHANNEL_CHOICES, unique=True)
    label = models.CharField(max_length=60)
    is_instant_messaging = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class CountryChannelRank(models.Model):
    """One place in a country's ranking of channels; an empty country is the global default ranking."""

    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166 alpha-2; empty for the global default ranking."
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="ranks")
    position = models.PositiveSmallIntegerField()
    is_default = models.BooleanField(
        default=False, help_text="A general-knowledge default, not the customer's own research."
    )
    source = models.CharField(max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "position"]
        constraints = [
            models.UniqueConstraint(fields=["country", "channel"], name="uniq_rank_country_channel"),
            models.UniqueConstraint(fields=["country", "position"], name="uniq_rank_country_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="rank_position_positive"),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"), name="rank_country_iso2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country or 'default'} #{self.position} {self.channel}"
