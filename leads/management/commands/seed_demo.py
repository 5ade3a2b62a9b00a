"""Demo data for a first look: three users (admin, manager, rep) and N realistic leads."""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from followups.models import Activity
from leads import roles
from leads.models import (
    Authenticity,
    CheckStatus,
    Company,
    Contact,
    ContactChannel,
    CustomerCategory,
    EmailVerdict,
    FitTier,
    Lead,
    Source,
    Stage,
    WebsiteVerdict,
)

LOGINS_FILE = "demo-logins.txt"
USERS = (
    ("admin", roles.ADMIN),
    ("manager", roles.MANAGER),
    ("rep", roles.SALES_REP),
    ("rep2", roles.SALES_REP),
)
COUNTRIES = ("US", "GB", "FR", "DE", "ES", "IT", "IN", "BR", "SA", "JP", "TR", "PL", "AE", "MX", "VN")
NAME_PARTS = {
    "US": ("Clearwater", "Pure Flow", "AquaTech", "Lakeside", "Summit"),
    "GB": ("Thames", "Albion", "Pennine", "Severn", "Brighton"),
    "FR": ("Eaux de Loire", "Hydro Provence", "Aquitaine", "Lumière"),
    "DE": ("Wassertechnik", "Rhein", "Bayern Aqua", "Nordsee"),
    "ES": ("Aguas del Sur", "Iberia", "Acuícola", "Levante"),
    "IT": ("Acque Venete", "Lombardia", "Adriatica", "Toscana"),
    "IN": ("Ganga", "Deccan", "Shakti", "Sagar"),
}
SUFFIXES = (
    "Water Treatment",
    "Aquaculture",
    "Hospital Supplies",
    "Engineering",
    "Purification",
    "Clinic",
    "Trading",
)
MESSAGES = (
    "We need 500 pcs UV germicidal lamps T8 36W 254nm for a water treatment plant. Please quote FOB Shanghai.",
    "Dear sir, please send your price list and catalog.",
    "Interested in UV sterilizers for our fish farm (flow 20 m3/h). MOQ and lead time?",
    "Please quote 50 UV disinfection trolleys for our hospital wards.",
    "We are looking for electronic ballasts for amalgam lamps, 2,000 units per year.",
    "Hello, we are interested in your products.",
)


class Command(BaseCommand):
    help = "Create demo users (admin, manager, rep, rep2) and leads. Prints the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--leads", type=int, default=200, help="how many leads to create (default 200)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when leads already exist")
        parser.add_argument("--show-logins", action="store_true", help="only print the demo logins")
        parser.add_argument("--seed", type=int, default=7, help="random seed, for repeatable data")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = Path(settings.DATA_DIR) / LOGINS_FILE
        if options["show_logins"]:
            self._print_logins(logins)
            return
        if options["leads"] < 0:
            self.stderr.write("--leads must be zero or more")
            raise SystemExit(2)
        self._ensure_users(logins)
        if options["if_empty"] and Lead.objects.exists():
            self.stdout.write("Leads exist already: demo data left as it is.")
        else:
            created = create_demo_leads(options["leads"], random.Random(options["seed"]))
            self.stdout.write(f"Created {created} demo leads.")
        self._print_logins(logins)

    def _ensure_users(self, logins: Path) -> None:
        lines = []
        for username, role in USERS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(
                username,
                f"{username}@example.com",
                password,
                is_staff=role == roles.ADMIN,
                is_superuser=role == roles.ADMIN,
            )
            user.groups.add(Group.objects.get(name=role))
            lines.append(f"{username:8} {password:16} {role}")
        if lines:
            with logins.open("a") as handle:
                handle.write("\n".join(lines) + "\n")
            logins.chmod(0o600)

    def _print_logins(self, logins: Path) -> None:
        if logins.exists():
            self.stdout.write("Logins (user, password, role), kept in " + str(logins) + ":")
            self.stdout.write(logins.read_text().rstrip())
        else:
            self.stdout.write("No demo logins on record: run `python manage.py seed_demo`.")


def _company_name(rng: random.Random, country: str, index: int) -> str:
    parts = NAME_PARTS.get(country, ("Global", "Prime", "United", "Star"))
    return f"{rng.choice(parts)} {rng.choice(SUFFIXES)} {index}"


@transaction.atomic
def create_demo_leads(count: int, rng: random.Random) -> int:
    """Bulk-create companies, contacts, channels, leads and a few activities; fast enough for 100,000."""
    if count == 0:
        return 0
    reps = list(User.objects.filter(groups__name=roles.SALES_REP).order_by("pk"))
    now = timezone.now()
    start = Company.objects.count()
    companies = []
    for i in range(count):
        country = rng.choice(COUNTRIES)
        index = start + i
        domain = f"demo-{index}.example"
        is_fake = rng.random() < 0.15
        tier = rng.choice([FitTier.A, FitTier.B, FitTier.C, FitTier.D])
        companies.append(
            Company(
                name=_company_name(rng, country, index),
                website=f"https://www.{domain}/",
                domain=domain,
                country=country,
                website_verdict=WebsiteVerdict.PARKED if is_fake else WebsiteVerdict.LIVE,
                website_reasons=["demo_data"],
                website_checked_at=now,
                fit_score={"A": 85, "B": 65, "C": 40, "D": 10}[tier],
                fit_tier=tier,
                fit_evidence={"demo": True},
            )
        )
    Company.objects.bulk_create(companies, batch_size=2000)
    contacts = [
        Contact(
            company=company,
            name=f"Buyer {company.pk}",
            email=f"buyer{company.pk}@{company.domain}",
            country=company.country,
            role=rng.choice(["Purchasing manager", "Owner", "Engineer", ""]),
            email_verdict=EmailVerdict.VALID,
            email_reasons=["demo_data"],
            email_checked_at=now,
        )
        for company in companies
    ]
    Contact.objects.bulk_create(contacts, batch_size=2000)
    ContactChannel.objects.bulk_create(
        [
            ContactChannel(
                contact=contact,
                kind="whatsapp",
                value=f"+4915{contact.pk:08d}",
                normalized=f"+4915{contact.pk:08d}",
            )
            for contact in contacts
            if rng.random() < 0.4
        ],
        batch_size=2000,
    )
    stages = list(Stage)
    leads = []
    for company, contact in zip(companies, contacts, strict=True):
        stage = Stage.JUNK if company.website_verdict == WebsiteVerdict.PARKED else rng.choice(stages[:-1])
        received = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        owner = rng.choice(reps) if reps and stage != Stage.NEW and rng.random() < 0.7 else None
        is_contacted = stage in (Stage.CONTACTED, Stage.AWAITING_REPLY, Stage.NURTURE, Stage.WON)
        sent = received + timedelta(hours=rng.randint(1, 48)) if is_contacted else None
        leads.append(
            Lead(
                company=company,
                contact=contact,
                source=rng.choice(list(Source)),
                received_at=received,
                subject="Inquiry about UV lamps",
                message=rng.choice(MESSAGES),
                stage=stage,
                owner=owner,
                claimed_at=received if owner else None,
                customer_category=rng.choice([CustomerCategory.NONE] * 6 + list(CustomerCategory)[1:]),
                authenticity=Authenticity.FAKE if stage == Stage.JUNK else Authenticity.GENUINE,
                authenticity_reasons=["demo_data"],
                junk_reason="Parked domain (demo data)" if stage == Stage.JUNK else "",
                check_status=CheckStatus.DONE,
                checked_at=now,
                last_activity_at=sent or received,
                last_outbound_at=sent,
            )
        )
    Lead.objects.bulk_create(leads, batch_size=2000)
    activities = []
    for lead in leads:
        if lead.last_outbound_at:
            activities.append(
                Activity(
                    lead=lead,
                    contact=lead.contact,
                    direction=Activity.Direction.OUTBOUND,
                    channel="email",
                    occurred_at=lead.last_outbound_at,
                    subject="Re: " + lead.subject,
                )
            )
    Activity.objects.bulk_create(activities, batch_size=2000)
    return len(leads)
