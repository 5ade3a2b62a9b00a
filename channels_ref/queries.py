"""The country rankings as stored, in the shape `recommend_channels` takes, cached per process.

Every process keeps one copy and a version token; the token lives in Django's cache (Redis or the
shared file cache), so an edit in the web process is seen by the Celery worker at its next look-up.
Saving or deleting a Channel or CountryChannelRank through the ORM bumps the token; bulk
`QuerySet.update()` bypasses signals, so code doing that calls `invalidate_rankings()` itself.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from channels_ref.catalogue import ChannelKind
from channels_ref.models import Channel, CountryChannelRank
from channels_ref.recommend import Recommendation, recommend_channels
from followups.history import ReplyHistory

_VERSION_KEY = "channels_ref:rankings:version"
_lock = threading.Lock()
_cached: tuple[str, Rankings] | None = None


@dataclass(frozen=True, slots=True)
class RankingSource:
    source: str
    is_default: bool  # a general-knowledge default, not the customer's research


@dataclass(frozen=True, slots=True)
class Rankings:
    by_country: Mapping[str, tuple[ChannelKind, ...]] = field(default_factory=dict)  # ISO alpha-2 -> order
    default: tuple[ChannelKind, ...] = ()  # the global default ranking (country "")
    sources: Mapping[str, RankingSource] = field(default_factory=dict)  # "" for the default ranking

    def recommend(
        self, country: str | None, available: Iterable[ChannelKind], history: ReplyHistory | None = None
    ) -> Recommendation:
        return recommend_channels(country, available, self.by_country, self.default, history)

    def ranking_for(self, country: str | None) -> tuple[ChannelKind, ...]:
        """The country's own ranking, or the default one where it has none."""
        code = (country or "").upper()
        return self.by_country.get(code) or self.default


def load_rankings() -> Rankings:
    """The rankings as stored now; read from the database once per process and change."""
    global _cached
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(), not set(): two processes starting together agree on one token.
        if not cache.add(_VERSION_KEY, version, timeout=None):
            version = cache.get(_VERSION_KEY, version)
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
    rankings = _read_rankings()
    with _lock:
        _cached = (version, rankings)
    return rankings


def invalidate_rankings() -> None:
    """Make every process re-read the rankings at its next look-up.

    This process forgets its copy at once; the shared token moves only after the current transaction
    commits, else another process could re-read the old rows and keep them under the new token.
    """

    def bump() -> None:
        cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        forget_process_copy()

    forget_process_copy()
    transaction.on_commit(bump)


def forget_process_copy() -> None:
    """Drop this process's copy (tests whose transaction is rolled back, where no commit hook runs)."""
    global _cached
    with _lock:
        _cached = None


def _read_rankings() -> Rankings:
    by_country: dict[str, list[ChannelKind]] = {}
    sources: dict[str, RankingSource] = {}
    rows = (
        CountryChannelRank.objects.filter(channel__is_active=True)
        .order_by("country", "position")
        .values_list("country", "channel__kind", "source", "is_default")
    )
    for country, kind, source, is_default in rows:
        try:
            channel = ChannelKind(kind)
        except ValueError:
            continue  # a channel dropped from the catalogue: nothing can link to it
        by_country.setdefault(country, []).append(channel)
        sources.setdefault(country, RankingSource(source=source, is_default=is_default))
    default = tuple(by_country.pop("", ()))
    return Rankings(
        by_country=MappingProxyType({country: tuple(kinds) for country, kinds in by_country.items()}),
        default=default,
        sources=MappingProxyType(sources),
    )


@dataclass(frozen=True, slots=True)
class RankEntry:
    channel_id: int
    source: str
    is_default: bool


def save_country_ranking(country: str, entries: Sequence[RankEntry]) -> list[CountryChannelRank]:
    """Replace one country's ranking (`""` for the default) with `entries`, numbered 1..n in that order.

    The rows are replaced rather than renumbered in place: the (country, position) constraint is not
    deferrable, so swapping two positions row by row would collide half-way.
    """
    code = country.strip().upper()
    with transaction.atomic():
        CountryChannelRank.objects.filter(country=code).delete()
        rows = CountryChannelRank.objects.bulk_create(
            CountryChannelRank(
                country=code,
                channel_id=entry.channel_id,
                position=position,
                source=entry.source,
                is_default=entry.is_default,
            )
            for position, entry in enumerate(entries, start=1)
        )
        invalidate_rankings()
    return rows


# Connected at import; channels_ref/admin.py imports this module and the admin is autodiscovered in
# every process that runs django.setup(), so the receivers are always in place.
@receiver(post_save, sender=CountryChannelRank, dispatch_uid="channels_ref.rank_saved")
@receiver(post_delete, sender=CountryChannelRank, dispatch_uid="channels_ref.rank_deleted")
@receiver(post_save, sender=Channel, dispatch_uid="channels_ref.channel_saved")
@receiver(post_delete, sender=Channel, dispatch_uid="channels_ref.channel_deleted")
def _rankings_changed(sender: Any, **kwargs: Any) -> None:
    invalidate_rankings()
