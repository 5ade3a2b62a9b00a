"""Claiming from the pool under real concurrency on PostgreSQL: one owner however many reps click at once,
and no rep beyond the claim limit however fast they click."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connections

from leads import pool
from leads.models import Lead
from tests import factories

pytestmark = [
    pytest.mark.integration,
    # Threads use their own connections, so the rows must be committed; the migrations' seed data is
    # restored afterwards for the tests that follow.
    pytest.mark.django_db(transaction=True),
]

THREADS = 50


def _all_at_once(
    count: int, work: Callable[[int], pool.ClaimOutcome]
) -> list[pool.ClaimOutcome | BaseException]:
    """Run work(0..count-1) in as many threads, released together; each thread closes its connection."""
    barrier = threading.Barrier(count)
    results: list[pool.ClaimOutcome | BaseException] = [RuntimeError("did not run")] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = work(index)
        except BaseException as error:  # reported by the assertions below, with the thread's error
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a claiming thread hung"
    return results


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    # Fifty users with the production hasher take longer to create than the race takes to run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_fifty_reps_claiming_one_lead_at_once_leave_exactly_one_owner(postgres_url: str) -> None:
    reps = factories.UserFactory.create_batch(THREADS)
    lead = factories.LeadFactory(owner=None)

    results = _all_at_once(THREADS, lambda index: pool.claim(lead.pk, reps[index]))

    errors = [result for result in results if isinstance(result, BaseException)]
    assert not errors, errors[:3]
    counts = Counter(results)
    assert counts == {pool.ClaimOutcome.CLAIMED: 1, pool.ClaimOutcome.TAKEN: THREADS - 1}
    winner = reps[results.index(pool.ClaimOutcome.CLAIMED)]
    lead.refresh_from_db()
    assert lead.owner == winner
    assert lead.claimed_at is not None


def test_one_rep_claiming_many_leads_at_once_stops_at_the_claim_limit(postgres_url: str) -> None:
    rep = factories.UserFactory()
    leads = [factories.LeadFactory(owner=None) for _ in range(10)]

    results = _all_at_once(len(leads), lambda index: pool.claim(leads[index].pk, rep, limit=3))

    assert Counter(results) == {pool.ClaimOutcome.CLAIMED: 3, pool.ClaimOutcome.LIMIT_REACHED: 7}
    assert Lead.objects.filter(owner=rep).count() == 3
    assert pool.open_leads_held(rep) == 3


def test_a_rep_at_the_claim_limit_is_refused_and_the_lead_stays_in_the_pool(
    postgres_url: str, settings
) -> None:
    settings.LEADS_CLAIM_LIMIT = 2
    rep = factories.UserFactory()
    factories.LeadFactory.create_batch(2, owner=rep)
    lead = factories.LeadFactory(owner=None)

    assert pool.claim(lead.pk, rep) is pool.ClaimOutcome.LIMIT_REACHED

    lead.refresh_from_db()
    assert lead.owner is None
