"""Demo data for a first look: users (admin, manager, two reps) and N realistic leads.

100,000 leads load in well under a minute: rows are built as plain tuples and, on PostgreSQL,
streamed with COPY into ids reserved from the sequences; other databases use bulk_create.
"""

from __future__ import annotations

import enum
import functools
import random
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone

from followups import reply_stats
from followups.models import Activity, FollowUpTask, Offer
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
    SalesTeam,
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
# Demo sales teams and their members (the dashboard and the board filter by team).
TEAMS = (("Europe & Americas", ("rep",)), ("Asia, Middle East & Africa", ("rep2",)))
# Country, weight, company-name words, first names, last names, usual channel besides email.
MARKETS: tuple[tuple[str, int, tuple[str, ...], tuple[str, ...], tuple[str, ...], str], ...] = (
    ("US", 14, ("Clearwater", "Pure Flow", "Lakeside", "Summit", "Blue Ridge", "Great Lakes"),
     ("Michael", "Jennifer", "David", "Ashley", "Brian"), ("Miller", "Johnson", "Carter", "Nguyen", "Brooks"), "messenger"),
    ("GB", 8, ("Thames", "Albion", "Pennine", "Severn", "Cotswold"),
     ("Oliver", "Amelia", "Harry", "Sophie"), ("Clarke", "Wright", "Hughes", "Turner"), "whatsapp"),
    ("DE", 9, ("Rhein", "Nordsee", "Bayern", "Elbe", "Schwarzwald"),
     ("Lukas", "Anna", "Jonas", "Lena", "Felix"), ("Müller", "Schmidt", "Becker", "Hoffmann", "Vogel"), "whatsapp"),
    ("FR", 6, ("Loire", "Provence", "Aquitaine", "Lumière", "Bretagne"),
     ("Camille", "Louis", "Chloé", "Hugo"), ("Martin", "Bernard", "Dubois", "Laurent"), "messenger"),
    ("ES", 6, ("Levante", "Iberia", "Andalucía", "Cantábrico"),
     ("Lucía", "Javier", "Carmen", "Pablo"), ("García", "Fernández", "López", "Martín"), "whatsapp"),
    ("IT", 6, ("Adriatica", "Lombarda", "Toscana", "Veneta"),
     ("Giulia", "Marco", "Francesca", "Luca"), ("Rossi", "Bianchi", "Romano", "Colombo"), "whatsapp"),
    ("IN", 9, ("Ganga", "Deccan", "Shakti", "Sagar", "Narmada"),
     ("Rahul", "Priya", "Amit", "Sneha", "Vikram"), ("Sharma", "Patel", "Reddy", "Iyer", "Gupta"), "whatsapp"),
    ("BR", 6, ("Atlântico", "Paraná", "Serra Verde", "Amazonas"),
     ("João", "Mariana", "Lucas", "Beatriz"), ("Silva", "Santos", "Oliveira", "Souza"), "whatsapp"),
    ("SA", 4, ("Al Noor", "Red Sea", "Najd", "Al Waha"),
     ("Mohammed", "Fatimah", "Abdullah", "Noura"), ("Al-Harbi", "Al-Qahtani", "Al-Otaibi", "Al-Zahrani"), "whatsapp"),
    ("AE", 4, ("Gulf", "Emirates", "Al Marjan", "Desert Rose"),
     ("Omar", "Aisha", "Khalid", "Mariam"), ("Al-Mansoori", "Al-Hashimi", "Haddad", "Nasser"), "whatsapp"),
    ("JP", 4, ("Sakura", "Fuji", "Kansai", "Hokkaido"),
     ("Haruto", "Yui", "Sota", "Aoi"), ("Sato", "Suzuki", "Takahashi", "Tanaka"), "line"),
    ("TR", 4, ("Anadolu", "Ege", "Marmara", "Karadeniz"),
     ("Emre", "Elif", "Burak", "Zeynep"), ("Yılmaz", "Kaya", "Demir", "Şahin"), "whatsapp"),
    ("PL", 3, ("Wisła", "Mazowsze", "Bałtyk"), ("Jakub", "Zuzanna", "Kacper"), ("Nowak", "Kowalski", "Wójcik"), "whatsapp"),
    ("MX", 4, ("Pacífico", "Sierra Madre", "Yucatán"), ("Diego", "Sofía", "Mateo"), ("Hernández", "Ramírez", "Torres"), "whatsapp"),
    ("VN", 4, ("Mekong", "Hạ Long", "Sài Gòn"), ("Minh", "Linh", "Tuấn"), ("Nguyễn", "Trần", "Lê"), "telegram"),
    ("NG", 3, ("Niger Delta", "Lagos Bay", "Savannah"), ("Chinedu", "Ngozi", "Tunde"), ("Okafor", "Adeyemi", "Eze"), "whatsapp"),
    ("ID", 3, ("Nusantara", "Java", "Borneo"), ("Budi", "Siti", "Agus"), ("Santoso", "Wijaya", "Pratama"), "whatsapp"),
    ("CN", 3, ("Pearl River", "Yangtze", "Taihu"), ("Wei", "Fang", "Jun"), ("Wang", "Li", "Zhang"), "wechat"),
)  # fmt: skip
TRADES = (
    ("Water Treatment", "water_treatment", "Water treatment engineering", ("UV sterilizer", "water disinfection", "254 nm")),
    ("Aquaculture", "aquaculture", "Aquaculture", ("fish farm", "RAS", "UV clarifier")),
    ("Hospital Supply", "hospitals", "Hospitals and clinics", ("UV disinfection trolley", "operating theatre")),
    ("Engineering", "hvac", "HVAC and air handling", ("UV-C lamp", "air handling unit", "coil cleaning")),
    ("Purification", "water_treatment", "Water treatment engineering", ("UV germicidal lamp", "amalgam lamp")),
    ("Food Processing", "food_processing", "Food and beverage processing", ("surface disinfection", "conveyor UV")),
    ("Trading", "", "", ()),
    ("Pool & Spa", "swimming_pools", "Swimming pools", ("pool UV system", "chlorine reduction")),
    ("Printing", "printing", "Printing and UV curing (unrelated)", ("UV ink", "curing")),
)  # fmt: skip
LEGAL_FORMS = {"DE": "GmbH", "FR": "SARL", "ES": "S.L.", "IT": "S.r.l.", "BR": "Ltda.", "PL": "Sp. z o.o.",
               "GB": "Ltd", "US": "Inc.", "IN": "Pvt Ltd", "JP": "K.K.", "TR": "A.Ş.", "MX": "S.A. de C.V."}  # fmt: skip
SUBJECTS = (
    "Inquiry: UV germicidal lamps T8 36W",
    "Request for quotation – UV sterilizer 30 m3/h",
    "Price list and catalog",
    "UV disinfection trolley for hospital wards",
    "Electronic ballasts for amalgam lamps",
    "Distributor inquiry",
    "Sample order UV-C LED modules",
    "Hello",
)
MESSAGES = (
    "We need 500 pcs UV germicidal lamps T8 36W 254nm for a water treatment plant.\nPlease quote FOB Shanghai with lead time.",
    "Dear sir,\nplease send your price list and catalog.\nBest regards",
    "Interested in UV sterilizers for our fish farm (flow 20 m3/h). What is the MOQ and lead time?",
    "Please quote 50 UV disinfection trolleys for our hospital wards, delivery to our warehouse.",
    "We are looking for electronic ballasts for amalgam lamps, about 2,000 units per year.\nDo you offer OEM?",
    "Hello, we are interested in your products.",
    "We are a distributor of water treatment equipment and would like to represent your UV range in our country.",
    "Can you send 2 samples of the 40 W UV-C module? We will test them in our RAS system.",
)
JUNK_REASONS = (
    "Parked domain, no real company behind it",
    "Email undeliverable and no website",
    "Throwaway email address",
    "Spam: sells SEO services",
    "Duplicate of an existing customer",
)
# Stage mix of an active sales team's history (junk is decided by the verdicts below).
STAGE_WEIGHTS = (
    (Stage.NEW, 14), (Stage.CHECKING, 4), (Stage.QUALIFIED, 16), (Stage.CONTACTED, 14),
    (Stage.AWAITING_REPLY, 18), (Stage.NURTURE, 12), (Stage.WON, 7),
)  # fmt: skip
CHANNEL_CHOICES_BY_KIND = ("whatsapp", "wechat", "telegram", "skype", "linkedin", "line", "messenger")
BATCH = 5000


class Command(BaseCommand):
    help = "Create demo users (admin, manager, rep, rep2) and leads. Prints the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--leads",
            type=int,
            default=200,
            help="how many leads to create (default 200; 100000 in under a minute)",
        )
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
        for name, usernames in TEAMS:
            team, created = SalesTeam.objects.get_or_create(name=name)
            if created:
                team.members.set(User.objects.filter(username__in=usernames))
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


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(character for character in folded.lower() if character.isalnum() or character == " ")


def _slug(text: str) -> str:
    return "-".join(_ascii(text).split())[:40]


@transaction.atomic
def create_demo_leads(count: int, rng: random.Random) -> int:
    """Create `count` leads with their companies, contacts, channels, activities and follow-ups."""
    if count == 0:
        return 0
    reps = list(User.objects.filter(groups__name=roles.SALES_REP).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    start = Company.objects.count()
    offers = _offers(now)
    markets = [market for market in MARKETS for _ in range(market[1])]
    stages = [stage for stage, weight in STAGE_WEIGHTS for _ in range(weight)]

    companies, contacts, leads = [], [], []
    for offset in range(count):
        index = start + offset
        country, _, words, firsts, lasts, _ = rng.choice(markets)
        trade = rng.choice(TRADES)
        name = f"{rng.choice(words)} {trade[0]}"
        if country in LEGAL_FORMS and rng.random() < 0.7:
            name += f" {LEGAL_FORMS[country]}"
        domain = f"{_slug(name.rsplit(' ', 1)[0] if country in LEGAL_FORMS else name)}-{index}.example"
        fake = rng.random() < 0.12
        companies.append(_company(rng, name, domain, country, trade, fake, now))
        first, last = rng.choice(firsts), rng.choice(lasts)
        contacts.append((first, last, country, fake))
        leads.append(fake)

    company_ids = _insert(Company, companies)
    contact_rows, channel_rows, second_contacts = [], [], []
    for (first, last, country, fake), company_id, company in zip(
        contacts, company_ids, companies, strict=True
    ):
        email = f"{_ascii(first).replace(' ', '')}.{_ascii(last).replace(' ', '')}.{company_id}@{company['domain']}"
        if fake and rng.random() < 0.5:
            email = f"buyer{company_id}@mailinator.com"
        contact_rows.append(_contact(rng, company_id, f"{first} {last}", email, country, fake, now))
        if not fake and rng.random() < 0.08:
            second_contacts.append((company_id, country))
    contact_ids = _insert(Contact, contact_rows)
    emergency_rows = [
        {"company_id": company_id, "name": "Night desk", "role": "Emergency contact", "country": country}
        | {"is_emergency_contact": True}
        for company_id, country in second_contacts
    ]
    emergency_ids = _insert(Contact, emergency_rows)

    market_channel = {market[0]: market[5] for market in MARKETS}
    for contact_id, row in zip(contact_ids, contact_rows, strict=True):
        channel_rows.append(
            {"contact_id": contact_id, "kind": "email", "value": row["email"], "normalized": row["email"]}
        )
        if rng.random() < 0.55:
            phone = _phone(rng, row["country"])
            channel_rows.append(
                {"contact_id": contact_id, "kind": "phone", "value": phone, "normalized": phone}
            )
            kind = market_channel.get(row["country"], "whatsapp")
            if kind == "whatsapp":
                channel_rows.append(
                    {"contact_id": contact_id, "kind": kind, "value": phone, "normalized": phone}
                )
            else:
                handle = f"{_ascii(row['name']).replace(' ', '')[:10] or 'buyer'}{contact_id}"
                channel_rows.append(
                    {"contact_id": contact_id, "kind": kind, "value": handle, "normalized": handle}
                )
    for contact_id, (_company_id, country) in zip(emergency_ids, second_contacts, strict=True):
        phone = _phone(rng, country)
        channel_rows.append({"contact_id": contact_id, "kind": "phone", "value": phone, "normalized": phone})
    _insert(ContactChannel, channel_rows, returning=False)

    lead_rows = []
    for fake, company_id, contact_id, company, contact in zip(
        leads, company_ids, contact_ids, companies, contact_rows, strict=True
    ):
        lead_rows.append(_lead(rng, company_id, contact_id, company, contact, fake, stages, reps, now))
    lead_ids = _insert(Lead, lead_rows)

    activity_rows, task_rows = [], []
    for lead_id, row in zip(lead_ids, lead_rows, strict=True):
        if row["last_outbound_at"]:
            activity_rows.append(
                {
                    "lead_id": lead_id,
                    "contact_id": row["contact_id"],
                    "direction": Activity.Direction.OUTBOUND,
                    "channel": "email",
                    "occurred_at": row["last_outbound_at"],
                    "subject": "Re: " + row["subject"],
                    "body": "Thank you for your inquiry. Please find our quotation attached.",
                    "created_by_id": row["owner_id"],
                    "rep_id": row["owner_id"],
                }
            )
        if row["last_inbound_at"]:
            activity_rows.append(
                {
                    "lead_id": lead_id,
                    "contact_id": row["contact_id"],
                    "direction": Activity.Direction.INBOUND,
                    "channel": "email",
                    "occurred_at": row["last_inbound_at"],
                    "subject": "Re: Quotation",
                    "body": "Thanks, can you do a better price for 2 containers?",
                    "rep_id": row["owner_id"],
                }
            )
        if row["stage"] in (Stage.AWAITING_REPLY, Stage.CONTACTED, Stage.NURTURE) and rng.random() < 0.6:
            due = now + timedelta(hours=rng.randint(-72, 240))
            task_rows.append(
                {
                    "lead_id": lead_id,
                    "contact_id": row["contact_id"],
                    "assignee_id": row["owner_id"],
                    "due_at": due,
                    "channel": rng.choice(("email", "email", "whatsapp", "phone")),
                    "is_urgent": rng.random() < 0.03,
                    "step": rng.randint(1, 3),
                    "reason": "No reply yet: next step of the follow-up cadence",
                    "offer_id": rng.choice(offers) if offers and rng.random() < 0.15 else None,
                }
            )
    _insert(Activity, activity_rows, returning=False)
    _insert(FollowUpTask, task_rows, returning=False)
    # The rows went in by COPY or bulk_create, past log_activity: derive the dashboard's reply facts now.
    reply_stats.refresh_for(lead_ids, [row["contact_id"] for row in activity_rows])
    return len(lead_ids)


def _offers(now: datetime) -> list[int]:
    if Offer.objects.exists():
        return list(Offer.objects.values_list("pk", flat=True))
    specs = (
        ("Spring promotion: 8% off UV-C lamps", 9),
        ("Free spare lamp set with every sterilizer", 4),
        ("Container deal: freight paid to your port", 18),
    )
    return [
        Offer.objects.create(title=title, terms=title, valid_until=now + timedelta(days=days)).pk
        for title, days in specs
    ]


def _company(
    rng: random.Random,
    name: str,
    domain: str,
    country: str,
    trade: tuple[Any, ...],
    fake: bool,
    now: datetime,
) -> dict[str, Any]:
    _, slug, industry, terms = trade
    if fake:
        verdict = rng.choice((WebsiteVerdict.PARKED, WebsiteVerdict.DEAD, WebsiteVerdict.PLACEHOLDER))
        reasons = {"parked": ["parking_nameservers", "for_sale_text"], "dead": ["dns_nxdomain"]}.get(
            verdict, ["coming_soon"]
        )
    else:
        verdict = rng.choices((WebsiteVerdict.LIVE, WebsiteVerdict.UNKNOWN, WebsiteVerdict.NONE), (90, 6, 4))[
            0
        ]
        reasons = {"live": ["content"], "unknown": ["http_forbidden"]}.get(verdict, ["no_website"])
    score = 0 if fake or not slug else max(0, min(100, int(rng.gauss(58 if slug != "printing" else 12, 20))))
    tier = FitTier.A if score >= 75 else FitTier.B if score >= 50 else FitTier.C if score >= 25 else FitTier.D
    evidence: dict[str, Any] = {
        "score": score,
        "tier": tier.value,
        "industries": [],
        "matches": [],
        "explanation": [],
    }
    if slug and not fake:
        found = [term for term in terms if rng.random() < 0.7] or list(terms[:1])
        evidence["industries"] = [{"slug": slug, "name": industry, "score": score}]
        evidence["matches"] = [{"term": term, "language": "en", "count": rng.randint(1, 6)} for term in found]
        evidence["explanation"] = [
            f"{len(found)} term{'s' if len(found) != 1 else ''} of {industry} on the website",
            "Site text in English and the local language",
        ]
    return {
        "name": name,
        "website": f"https://www.{domain}/" if verdict != WebsiteVerdict.NONE else "",
        "domain": domain,
        "country": country,
        "website_verdict": verdict,
        "website_reasons": reasons,
        "website_final_url": f"https://www.{domain}/" if verdict == WebsiteVerdict.LIVE else "",
        "website_checked_at": now - timedelta(minutes=rng.randint(5, 60 * 24 * 30)),
        "fit_score": score,
        "fit_tier": tier,
        "fit_evidence": evidence,
        "fit_scored_at": now,
    }


def _contact(
    rng: random.Random, company_id: int, name: str, email: str, country: str, fake: bool, now: datetime
) -> dict[str, Any]:
    if fake:
        verdict = rng.choice((EmailVerdict.INVALID, EmailVerdict.RISKY))
        reasons = ["no_mail_host"] if verdict == EmailVerdict.INVALID else ["disposable"]
    else:
        verdict = rng.choices((EmailVerdict.VALID, EmailVerdict.RISKY, EmailVerdict.UNKNOWN), (86, 8, 6))[0]
        reasons = {"valid": [], "risky": ["catch_all"], "unknown": ["dns_timeout"]}[verdict]
    away = rng.random() < 0.04
    return {
        "company_id": company_id,
        "name": name,
        "email": email,
        "country": country,
        "role": rng.choice(("Purchasing manager", "Owner", "Project engineer", "Managing director", "")),
        "email_verdict": verdict,
        "email_reasons": reasons,
        "email_checked_at": now - timedelta(minutes=rng.randint(5, 60 * 24 * 30)),
        "vacation_from": (now - timedelta(days=2)).date() if away else None,
        "vacation_until": (now + timedelta(days=rng.randint(1, 12))).date() if away else None,
    }


def _lead(
    rng: random.Random,
    company_id: int,
    contact_id: int,
    company: dict[str, Any],
    contact: dict[str, Any],
    fake: bool,
    stages: Sequence[str],
    reps: Sequence[int],
    now: datetime,
) -> dict[str, Any]:
    stage = Stage.JUNK if fake else rng.choice(stages)
    received = now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
    owner = (
        rng.choice(reps)
        if reps and stage not in (Stage.NEW, Stage.CHECKING) and rng.random() < 0.75
        else None
    )
    is_contacted = stage in (Stage.CONTACTED, Stage.AWAITING_REPLY, Stage.NURTURE, Stage.WON)
    sent = min(now, received + timedelta(hours=rng.randint(1, 72))) if is_contacted else None
    replied = (
        min(now, sent + timedelta(hours=rng.randint(2, 96)))
        if sent and stage in (Stage.CONTACTED, Stage.NURTURE, Stage.WON)
        else None
    )
    if stage == Stage.AWAITING_REPLY and sent:
        sent = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23))
    message_index = rng.randrange(len(MESSAGES))
    authenticity = (
        Authenticity.FAKE
        if fake
        else Authenticity.SUSPICIOUS
        if contact["email_verdict"] != EmailVerdict.VALID
        else Authenticity.GENUINE
    )
    reasons = (
        ["website_parked", "email_undeliverable"]
        if fake
        else ["email_risky"]
        if authenticity == Authenticity.SUSPICIOUS
        else ["email_and_website_confirm"]
    )
    return {
        "company_id": company_id,
        "contact_id": contact_id,
        "source": rng.choices(list(Source.values), (30, 18, 22, 16, 8, 6))[0],
        "received_at": received,
        "subject": SUBJECTS[min(message_index, len(SUBJECTS) - 1)],
        "message": MESSAGES[message_index],
        "products": rng.choice(
            ("UV germicidal lamps", "UV sterilizer", "Electronic ballast", "UV-C LED module", "")
        ),
        "quantity": rng.choice(("500 pcs", "4 units", "2,000 per year", "", "1 container")),
        "stage": stage,
        "owner_id": owner,
        "claimed_at": received if owner else None,
        "customer_category": rng.choices(list(CustomerCategory.values), (80, 8, 5, 7))[0],
        "authenticity": authenticity,
        "authenticity_reasons": reasons,
        "junk_reason": rng.choice(JUNK_REASONS) if fake else "",
        "check_status": CheckStatus.DONE,
        "check_attempts": 1,
        "checked_at": received + timedelta(seconds=rng.randint(5, 300)),
        "last_activity_at": max(filter(None, (received, sent, replied))),
        "last_outbound_at": sent,
        "last_inbound_at": replied,
    }


def _insert(model: type[models.Model], rows: Sequence[dict[str, Any]], returning: bool = True) -> list[int]:
    """Insert rows (field name -> value; the rest take the fields' defaults) and return their ids."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return [obj.pk for obj in created]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    table = model._meta.db_table
    now = timezone.now()
    converters = [_converter(field) for field in fields]
    defaults = [_default(field, now) for field in fields]
    with connection.cursor() as cursor:
        # Trigram GIN indexes take new rows into a pending list; a large list spares repeated merges.
        cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
        ids: list[int] = []
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        columns = ([model._meta.pk.column] if returning else []) + [field.column for field in fields]
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        keys = [field.attname for field in fields]
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                values = [
                    convert(row[key]) if key in row else default
                    for key, convert, default in zip(keys, converters, defaults, strict=True)
                ]
                copy.write_row([ids[index], *values] if returning else values)
    return ids


def _converter(field: models.Field) -> Any:  # type: ignore[type-arg]
    """How a value goes into COPY: JSON through the field, choices as their plain value, the rest as is."""
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return lambda value: value.value if isinstance(value, enum.Enum) else value


def _default(field: models.Field, now: datetime) -> Any:  # type: ignore[type-arg]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return _converter(field)(field.get_default())


@functools.cache
def _example_mobile(country: str) -> str:
    number = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if number
        else "+4915123456789"
    )


def _phone(rng: random.Random, country: str) -> str:
    """A valid-looking mobile number of the country: its example number with other last digits."""
    example = _example_mobile(country)
    return f"{example[:-3]}{rng.randint(0, 999):03d}"
