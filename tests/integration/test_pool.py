"""The shared pool: claims race on PostgreSQL with real concurrency, the claim limit holds, assign and release."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection

from leads import pool, roles
from leads.models import Lead, Stage
from tests import factories

CONCURRENCY = 50


def _reps(count: int) -> list[User]:
    """Reps without passwords (hashing fifty of them would be most of the test's time)."""
    # A transactional test flushes the tables, the role groups of the data migration included.
    group, _ = Group.objects.get_or_create(name=roles.SALES_REP)
    users = [User.objects.create(username=f"racer{index}") for index in range(count)]
    group.user_set.add(*users)
    return users


def _run_together(jobs: list) -> list:  # type: ignore[type-arg]
    """Run callables in threads released at the same instant, each on its own database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)  # type: ignore[type-arg]

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = jobs[index]()
        except Exception as error:  # noqa: BLE001 - surfaced by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_fifty_reps_claiming_one_lead_at_once_leave_exactly_one_owner(postgres_url) -> None:
    reps = _reps(CONCURRENCY)
    lead = factories.LeadFactory(owner=None)
    outcomes = _run_together([lambda rep=rep: pool.claim(lead.pk, rep) for rep in reps])
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert Counter(outcomes) == {pool.ClaimOutcome.CLAIMED: 1, pool.ClaimOutcome.TAKEN: CONCURRENCY - 1}
    lead.refresh_from_db()
    winner = reps[outcomes.index(pool.ClaimOutcome.CLAIMED)]
    assert lead.owner == winner
    assert lead.claimed_at is not None


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_one_rep_claiming_many_leads_at_once_stops_at_the_limit(postgres_url) -> None:
    (rep,) = _reps(1)
    factories.LeadFactory(owner=rep, stage=Stage.QUALIFIED)
    leads = [factories.LeadFactory(owner=None) for _ in range(12)]
    outcomes = _run_together([lambda lead=lead: pool.claim(lead.pk, rep, limit=5) for lead in leads])
    assert Counter(outcomes) == {pool.ClaimOutcome.CLAIMED: 4, pool.ClaimOutcome.LIMIT_REACHED: 8}
    assert Lead.objects.filter(owner=rep).exclude(stage__in=pool.CLOSED_STAGES).count() == 5


@pytest.mark.django_db
def test_claiming_an_owned_lead_reports_it_taken_and_changes_nothing(rep, other_rep) -> None:
    lead = factories.LeadFactory(owner=other_rep)
    assert pool.claim(lead.pk, rep) == pool.ClaimOutcome.TAKEN
    lead.refresh_from_db()
    assert lead.owner == other_rep


@pytest.mark.django_db
def test_won_and_junk_leads_do_not_count_against_the_limit(rep) -> None:
    factories.LeadFactory(owner=rep, stage=Stage.WON)
    factories.LeadFactory(owner=rep, stage=Stage.JUNK)
    assert pool.open_leads_held(rep) == 0
    assert pool.claim(factories.LeadFactory(owner=None).pk, rep, limit=1) == pool.ClaimOutcome.CLAIMED


@pytest.mark.django_db
def test_assign_and_release(rep, other_rep) -> None:
    lead = factories.LeadFactory(owner=None)
    assert pool.assign(lead.pk, rep)
    assert not pool.assign(lead.pk, rep)  # already theirs: nothing to do
    assert not pool.release(lead.pk, owner=other_rep)  # only the owner's release counts
    assert pool.release(lead.pk, owner=rep)
    lead.refresh_from_db()
    assert lead.owner is None
    assert lead.claimed_at is None
