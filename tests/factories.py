"""Rows for tests: each test sets only the fields it cares about."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from followups.models import Activity, FollowUpTask, MessageTemplate, Offer
from leads import roles
from leads.models import Company, Contact, ContactChannel, Lead

ROLE_GROUPS = {"rep": roles.SALES_REP, "manager": roles.MANAGER, "admin": roles.ADMIN}
PASSWORD = "pw-for-tests-only-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def user_with_role(role: str, **fields: object) -> User:
    user = UserFactory(**fields, is_staff=role == "admin")
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    domain = factory.Sequence(lambda n: f"company{n}.example")
    website = factory.LazyAttribute(lambda o: f"https://www.{o.domain}/")
    country = "DE"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Buyer {n}")
    email = factory.LazyAttributeSequence(lambda o, n: f"buyer{n}@{o.company.domain}")


class ContactChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactChannel

    contact = factory.SubFactory(ContactFactory)
    kind = "whatsapp"
    value = "+49 151 23456789"
    normalized = "+4915123456789"


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    company = factory.SubFactory(CompanyFactory)
    contact = factory.SubFactory(ContactFactory, company=factory.SelfAttribute("..company"))
    received_at = factory.LazyFunction(timezone.now)
    subject = "UV lamps inquiry"
    message = "Please quote 100 pcs UV germicidal lamps T8 36W."


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    lead = factory.SubFactory(LeadFactory)
    contact = factory.SelfAttribute("lead.contact")
    direction = Activity.Direction.OUTBOUND
    channel = "email"
    occurred_at = factory.LazyFunction(timezone.now)


class FollowUpTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpTask

    lead = factory.SubFactory(LeadFactory)
    assignee = factory.SelfAttribute("lead.owner")
    due_at = factory.LazyFunction(timezone.now)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    title = factory.Sequence(lambda n: f"Spring discount {n}")
    terms = "10% off UV lamps ordered before the end of the offer."
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    languages = factory.LazyFunction(list)


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    language = "en"
    channel = "email"
    subject = "Your inquiry about {product}"
    body = "Dear {contact_name},\n\nfollowing up on {product} for {company}.\n\n{rep_name}"
