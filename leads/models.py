from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from channels_ref.models import CHANNEL_CHOICES


class Source(models.TextChoices):
    ALIBABA = "alibaba", "Alibaba"
    MADE_IN_CHINA = "made_in_china", "Made-in-China"
    WEBSITE = "website", "Website form"
    EMAIL = "email", "Email"
    MANUAL = "manual", "Manual"
    IMPORT = "import", "Import"


class Stage(models.TextChoices):
    NEW = "new", "New"
    CHECKING = "checking", "Checking"
    QUALIFIED = "qualified", "Qualified"
    CONTACTED = "contacted", "Contacted"
    AWAITING_REPLY = "awaiting_reply", "Awaiting reply"
    NURTURE = "nurture", "Nurture"
    WON = "won", "Won"
    JUNK = "junk", "Junk"


class CustomerCategory(models.TextChoices):
    NONE = "", "Prospect"
    CURRENT = "current", "Current"
    FAVOURITE = "favourite", "Favourite"
    EXISTING = "existing", "Existing"


class CheckStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Authenticity(models.TextChoices):
    UNCHECKED = "", "Not checked"
    GENUINE = "genuine", "Genuine"
    SUSPICIOUS = "suspicious", "Suspicious"
    FAKE = "fake", "Fake"


class EmailVerdict(models.TextChoices):
    UNCHECKED = "", "Not checked"
    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"
    RISKY = "risky", "Risky"
    UNKNOWN = "unknown", "Unknown"


class WebsiteVerdict(models.TextChoices):
    UNCHECKED = "", "Not checked"
    LIVE = "live", "Live"
    DEAD = "dead", "Dead"
    PARKED = "parked", "Parked"
    PLACEHOLDER = "placeholder", "Placeholder"
    UNKNOWN = "unknown", "Unknown"
    NONE = "none", "No website"


class FitTier(models.TextChoices):
    UNSCORED = "", "Not scored"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class Company(models.Model):
    name = models.CharField(max_length=200, blank=True)
    website = models.CharField(max_length=500, blank=True)
    domain = models.CharField(
        max_length=253, blank=True, help_text="Registered domain (from the website, or a non-free email)."
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2")
    subdivision = models.CharField(
        max_length=10, blank=True, help_text="ISO 3166-2 subdivision code, for holidays"
    )

    website_verdict = models.CharField(max_length=12, choices=WebsiteVerdict, blank=True)
    website_reasons = models.JSONField(default=list, blank=True)
    website_final_url = models.CharField(max_length=2000, blank=True)
    website_evidence = models.JSONField(default=dict, blank=True)
    website_checked_at = models.DateTimeField(null=True, blank=True)
    page_text = models.JSONField(
        default=list,
        blank=True,
        help_text="Visible text of fetched pages, kept for re-scoring without refetching.",
    )

    fit_score = models.PositiveSmallIntegerField(null=True, blank=True)
    fit_tier = models.CharField(max_length=1, choices=FitTier, blank=True)
    fit_evidence = models.JSONField(default=dict, blank=True)
    fit_scored_at = models.DateTimeField(null=True, blank=True)
    fit_keyword_version = models.CharField(max_length=64, blank=True)

    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                fields=["domain"],
                condition=~Q(domain="") & Q(merged_into__isnull=True),
                name="uniq_company_domain",
            ),
            models.CheckConstraint(
                condition=Q(fit_score__isnull=True) | Q(fit_score__lte=100), name="company_fit_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"), name="company_country_iso2"
            ),
        ]
        indexes = [models.Index(fields=["country"]), models.Index(fields=["fit_tier"])]

    def __str__(self) -> str:
        return self.name or self.domain or f"Company {self.pk}"


class Contact(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=120, blank=True)
    email = models.CharField(
        max_length=254, blank=True, help_text="Normalized: domain lower-cased, A-labels."
    )
    country = models.CharField(max_length=2, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="IANA zone; empty: the country's main zone"
    )
    language = models.CharField(max_length=10, blank=True)
    is_emergency_contact = models.BooleanField(default=False)
    vacation_from = models.DateField(null=True, blank=True)
    vacation_until = models.DateField(
        null=True, blank=True, help_text="Held until the day after (out-of-office)."
    )
    # Derived (followups.reply_stats): median seconds from our message to their reply; empty before any.
    reply_median_s = models.FloatField(null=True, blank=True, editable=False)

    email_verdict = models.CharField(max_length=10, choices=EmailVerdict, blank=True)
    email_reasons = models.JSONField(default=list, blank=True)
    email_evidence = models.JSONField(default=dict, blank=True)
    email_checked_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="uniq_contact_email_ci"),
        ]
        indexes = [models.Index(fields=["company", "is_emergency_contact"])]

    def __str__(self) -> str:
        return self.name or self.email or f"Contact {self.pk}"


class ContactChannel(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    value = models.CharField(max_length=300, help_text="As entered")
    normalized = models.CharField(max_length=300, help_text="E.164 for phones, handle or address otherwise")
    is_preferred = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "kind", "normalized"], name="uniq_contact_channel"),
        ]
        indexes = [models.Index(fields=["kind", "normalized"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.normalized}"


class Lead(models.Model):
    """One inquiry from a buyer; the unit reps triage, claim, contact and win."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="leads")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    source = models.CharField(max_length=20, choices=Source, default=Source.MANUAL)
    source_ref = models.CharField(
        max_length=200, blank=True, help_text="External id or import row key, for dedupe"
    )
    received_at = models.DateTimeField()
    subject = models.CharField(max_length=300, blank=True)
    message = models.TextField(blank=True)
    products = models.CharField("products of interest", max_length=300, blank=True)
    quantity = models.CharField(max_length=100, blank=True)

    stage = models.CharField(max_length=20, choices=Stage, default=Stage.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        help_text="Empty: the lead is in the shared pool (high seas).",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    customer_category = models.CharField(max_length=10, choices=CustomerCategory, blank=True)
    junk_reason = models.CharField(max_length=300, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)

    authenticity = models.CharField(max_length=10, choices=Authenticity, blank=True)
    authenticity_reasons = models.JSONField(default=list, blank=True)
    inquiry_signal = models.JSONField(default=dict, blank=True)

    # Check state lives here, not in the broker: a lost message is re-enqueued by the sweeper.
    check_status = models.CharField(max_length=10, choices=CheckStatus, default=CheckStatus.PENDING)
    check_attempts = models.PositiveSmallIntegerField(default=0)
    check_last_error = models.CharField(max_length=500, blank=True)
    check_queued_at = models.DateTimeField(null=True, blank=True)
    check_started_at = models.DateTimeField(null=True, blank=True)
    check_retry_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    check_task_id = models.CharField(
        max_length=64, blank=True, help_text="The Celery task that holds the check"
    )
    check_job = models.ForeignKey(
        "leads.BackgroundJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )

    last_outbound_at = models.DateTimeField(null=True, blank=True)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source_ref=""), name="uniq_lead_source_ref"
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "-received_at", "id"], name="lead_stage_received"),
            models.Index(fields=["owner", "stage", "-received_at"], name="lead_owner_stage"),
            models.Index(fields=["check_status", "check_retry_at"], name="lead_check_state"),
            models.Index(fields=["last_activity_at"], name="lead_last_activity"),
            models.Index(fields=["source", "received_at"], name="lead_source_received"),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_source_display()}, {self.received_at:%Y-%m-%d})"

    @property
    def is_in_pool(self) -> bool:
        return self.owner_id is None


class Industry(models.Model):
    """An industry the fit score knows: a target market for UV sterilization, or a clearly unrelated one."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    is_target = models.BooleanField(default=True)
    weight = models.FloatField(default=1.0)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "industries"
        ordering = ["-is_target", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="industry_weight_non_negative")
        ]

    def __str__(self) -> str:
        return self.name


class MatchMode(models.TextChoices):
    WORD = "word", "Whole word"
    PHRASE = "phrase", "Phrase"
    PREFIX = "prefix", "Word prefix (inflections)"


class IndustryKeyword(models.Model):
    industry = models.ForeignKey(Industry, on_delete=models.CASCADE, related_name="keywords")
    term = models.CharField(max_length=120)
    language = models.CharField(max_length=10, help_text="ISO 639-1 code")
    weight = models.FloatField(default=1.0)
    is_negative = models.BooleanField(default=False, help_text="Evidence against fit (unrelated industry).")
    match_mode = models.CharField(max_length=10, choices=MatchMode, default=MatchMode.WORD)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["industry", "language", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["industry", "term", "language"], name="uniq_keyword_per_industry"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="keyword_weight_non_negative"),
            models.CheckConstraint(condition=~Q(term=""), name="keyword_term_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.term} [{self.language}]"


class KeywordListRevision(models.Model):
    """A counter bumped on every keyword-list change: workers rebuild their matcher when it moves."""

    revision = models.PositiveIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"keyword lists r{self.revision}"


class KeywordChange(models.Model):
    """Audit trail of keyword-list edits: who, when, what."""

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"
        IMPORTED = "imported", "Imported"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10, choices=Action)
    industry = models.CharField(max_length=120, blank=True)
    term = models.CharField(max_length=120, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.industry} {self.term}"


class SalesTeam(models.Model):
    """A group of reps a manager reviews together (a region, a product line); a rep may be in several."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sales_teams", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BackgroundJob(models.Model):
    """Progress of a long background operation (bulk re-check, re-score, import) for the progress bars."""

    class Kind(models.TextChoices):
        RECHECK = "recheck", "Bulk re-check"
        RESCORE = "rescore", "Re-score"
        IMPORT = "import", "Import"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    detail = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done}/{self.total} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


# The intake rows (imports, mailbox, API tokens, merges) live in their own module; imported here to register them.
from leads.ingest_models import *  # noqa: E402, F403
