"""When a contact is at work in their own calendar, when to try them next, and why they have not replied yet."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from followups.history import ReplyHistory

# No plausible calendar has a business-free stretch this long; reaching it means a misconfigured calendar.
_SEARCH_LIMIT_DAYS = 3 * 366
# A weekend explains a short silence; after this many working days have passed, it no longer does.
_WEEKEND_EXPLAINS_BELOW_BUSINESS_DAYS = 3
# An offset this large puts most of one side's working day into the other's night.
_LARGE_TIMEZONE_GAP_HOURS = 6

_SATURDAY_SUNDAY = frozenset({5, 6})
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Business capital's zone for the common export markets; subdivisions below refine the wide countries.
_COUNTRY_ZONES: dict[str, str] = {
    "AE": "Asia/Dubai",
    "AR": "America/Argentina/Buenos_Aires",
    "AT": "Europe/Vienna",
    "AU": "Australia/Sydney",
    "BD": "Asia/Dhaka",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "BH": "Asia/Bahrain",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CH": "Europe/Zurich",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CO": "America/Bogota",
    "CR": "America/Costa_Rica",
    "CZ": "Europe/Prague",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "DO": "America/Santo_Domingo",
    "DZ": "Africa/Algiers",
    "EC": "America/Guayaquil",
    "EE": "Europe/Tallinn",
    "EG": "Africa/Cairo",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "GH": "Africa/Accra",
    "GR": "Europe/Athens",
    "GT": "America/Guatemala",
    "HK": "Asia/Hong_Kong",
    "HR": "Europe/Zagreb",
    "HU": "Europe/Budapest",
    "ID": "Asia/Jakarta",
    "IE": "Europe/Dublin",
    "IL": "Asia/Jerusalem",
    "IN": "Asia/Kolkata",
    "IQ": "Asia/Baghdad",
    "IR": "Asia/Tehran",
    "IT": "Europe/Rome",
    "JO": "Asia/Amman",
    "JP": "Asia/Tokyo",
    "KE": "Africa/Nairobi",
    "KR": "Asia/Seoul",
    "KW": "Asia/Kuwait",
    "KZ": "Asia/Almaty",
    "LK": "Asia/Colombo",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga",
    "MA": "Africa/Casablanca",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NG": "Africa/Lagos",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "NP": "Asia/Kathmandu",
    "NZ": "Pacific/Auckland",
    "OM": "Asia/Muscat",
    "PA": "America/Panama",
    "PE": "America/Lima",
    "PH": "Asia/Manila",
    "PK": "Asia/Karachi",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "QA": "Asia/Qatar",
    "RO": "Europe/Bucharest",
    "RS": "Europe/Belgrade",
    "RU": "Europe/Moscow",
    "SA": "Asia/Riyadh",
    "SE": "Europe/Stockholm",
    "SG": "Asia/Singapore",
    "SI": "Europe/Ljubljana",
    "SK": "Europe/Bratislava",
    "TH": "Asia/Bangkok",
    "TN": "Africa/Tunis",
    "TR": "Europe/Istanbul",
    "TW": "Asia/Taipei",
    "TZ": "Africa/Dar_es_Salaam",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "UY": "America/Montevideo",
    "UZ": "Asia/Tashkent",
    "VE": "America/Caracas",
    "VN": "Asia/Ho_Chi_Minh",
    "ZA": "Africa/Johannesburg",
}

_US_CENTRAL = ("AL", "AR", "IA", "IL", "KS", "LA", "MN", "MO", "MS", "ND", "NE", "OK", "SD", "TN", "TX", "WI")
_SUBDIVISION_ZONES: dict[tuple[str, str], str] = {
    **{("US", state): "America/Chicago" for state in _US_CENTRAL},
    **{("US", state): "America/Denver" for state in ("CO", "ID", "MT", "NM", "UT", "WY")},
    **{("US", state): "America/Los_Angeles" for state in ("CA", "NV", "OR", "WA")},
    ("US", "AZ"): "America/Phoenix",  # no daylight saving time
    ("US", "AK"): "America/Anchorage",
    ("US", "HI"): "Pacific/Honolulu",
    ("US", "PR"): "America/Puerto_Rico",
    ("CA", "BC"): "America/Vancouver",
    ("CA", "AB"): "America/Edmonton",
    ("CA", "SK"): "America/Regina",
    ("CA", "MB"): "America/Winnipeg",
    ("CA", "NS"): "America/Halifax",
    ("CA", "NB"): "America/Moncton",
    ("CA", "PE"): "America/Halifax",
    ("CA", "NL"): "America/St_Johns",
    ("AU", "QLD"): "Australia/Brisbane",
    ("AU", "SA"): "Australia/Adelaide",
    ("AU", "WA"): "Australia/Perth",
    ("AU", "NT"): "Australia/Darwin",
    ("AU", "VIC"): "Australia/Melbourne",
    ("AU", "TAS"): "Australia/Hobart",
    ("BR", "AM"): "America/Manaus",
    ("BR", "MT"): "America/Cuiaba",
    ("BR", "MS"): "America/Campo_Grande",
    ("MX", "BC"): "America/Tijuana",
}

# Extra `holidays` categories that close most businesses although the law calls them optional:
# Brazil's Carnival Monday and Tuesday are "ponto facultativo", yet commerce largely stops.
_EXTRA_HOLIDAY_CATEGORIES: dict[str, tuple[str, ...]] = {"BR": ("optional",)}


class TimezoneSource(StrEnum):
    CONTACT = "contact"  # the contact's own zone, as recorded
    SUBDIVISION = "subdivision"  # the main zone of their state or province
    COUNTRY = "country"  # the main zone of their country
    FALLBACK_UTC = "fallback_utc"  # nothing known: UTC, so times are at least consistent


class SilenceReason(StrEnum):
    OUTSIDE_BUSINESS_HOURS = "outside_business_hours"
    WEEKEND = "weekend"
    PUBLIC_HOLIDAY = "public_holiday"
    ON_VACATION = "on_vacation"
    TIMEZONE_GAP = "timezone_gap"
    USUALLY_SLOW = "usually_slow"
    NO_REASON_FOUND = "no_reason_found"


@dataclass(frozen=True, slots=True)
class DateRange:
    first: date
    last: date  # inclusive

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"range ends {self.last} before it starts {self.first}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    tz: str  # IANA zone name
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    subdivision: str | None = None  # as the `holidays` package names it ("BY", "CA", "ENG")
    opens_at: time = time(9, 0)
    closes_at: time = time(18, 0)
    weekend_days: frozenset[int] = _SATURDAY_SUNDAY  # Monday = 0
    vacations: tuple[DateRange, ...] = ()
    holiday_categories: tuple[str, ...] = ("public",)
    tz_source: TimezoneSource = TimezoneSource.CONTACT
    notes: tuple[str, ...] = ()  # how the calendar was chosen where a guess was involved

    def __post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise ValueError("business hours must close after they open on the same day")
        ZoneInfo(self.tz)  # fail on construction, not deep inside a calculation

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


@dataclass(frozen=True, slots=True)
class Reason:
    code: SilenceReason
    detail: str


@dataclass(frozen=True, slots=True)
class SilenceExplanation:
    reasons: tuple[Reason, ...]
    next_attempt_at: datetime  # UTC
    local_time_at_send: datetime  # in the contact's zone
    business_time_elapsed: timedelta  # their working time between sending and now

    @property
    def codes(self) -> tuple[SilenceReason, ...]:
        return tuple(reason.code for reason in self.reasons)


def calendar_for(
    country: str | None,
    subdivision: str | None = None,
    tz: str | None = None,
    vacations: Sequence[DateRange] = (),
) -> BusinessCalendar:
    """The contact's working calendar: zone, weekend and holidays of their country (and subdivision).

    The zone is the contact's own when known and valid, else their subdivision's or country's main zone,
    else UTC; `tz_source` and `notes` say which. Weekend days come from the `holidays` package, which tracks
    changes such as the UAE's move to Saturday/Sunday in 2022.
    """
    code = country.strip().upper() if country and country.strip() else None
    subdiv = subdivision.strip().upper() if subdivision and subdivision.strip() else None
    notes: list[str] = []

    zone_name, source = None, TimezoneSource.FALLBACK_UTC
    if tz:
        if _is_zone(tz):
            zone_name, source = tz, TimezoneSource.CONTACT
        else:
            notes.append(f"unknown time zone {tz!r} ignored")
    if zone_name is None and code and subdiv and (code, subdiv) in _SUBDIVISION_ZONES:
        zone_name, source = _SUBDIVISION_ZONES[(code, subdiv)], TimezoneSource.SUBDIVISION
    if zone_name is None and code and code in _COUNTRY_ZONES:
        zone_name, source = _COUNTRY_ZONES[code], TimezoneSource.COUNTRY
    if zone_name is None:
        zone_name = "UTC"
        notes.append(f"no time zone known for {code or 'an unknown country'}: using UTC")

    weekend = _SATURDAY_SUNDAY
    categories: tuple[str, ...] = ("public",)
    supported = _holiday_support(code) if code else None
    if code and supported is None:
        notes.append(f"no holiday data for {code}: Saturday/Sunday weekend, no holidays")
    if code and supported is not None:
        weekend, known_subdivisions, known_categories = supported
        if subdiv and subdiv not in known_subdivisions:
            notes.append(f"no holiday data for subdivision {subdiv} of {code}: national holidays only")
            subdiv = None
        categories += tuple(
            category for category in _EXTRA_HOLIDAY_CATEGORIES.get(code, ()) if category in known_categories
        )
    return BusinessCalendar(
        tz=zone_name,
        country=code,
        subdivision=subdiv,
        weekend_days=weekend,
        vacations=tuple(vacations),
        holiday_categories=categories,
        tz_source=source,
        notes=tuple(notes),
    )


def local_time(at: datetime, cal: BusinessCalendar) -> datetime:
    """`at` (any aware datetime) on the contact's wall clock."""
    return _aware(at).astimezone(cal.zone)


def local_moment(day: date, wall_time: time, cal: BusinessCalendar) -> datetime:
    """The UTC instant of a wall-clock time in the contact's zone.

    A time skipped by a spring-forward change is read with the offset before the change, which lands it
    that much later on the clock (02:30 becomes 03:30); a time repeated in autumn is its first occurrence.
    """
    return datetime.combine(day, wall_time).replace(tzinfo=cal.zone, fold=0).astimezone(UTC)


def holiday_name(day: date, cal: BusinessCalendar) -> str | None:
    """The public holiday's name on that day in the contact's country and subdivision, if any."""
    if cal.country is None or _holiday_support(cal.country) is None:
        return None
    return _holidays(cal.country, cal.subdivision, cal.holiday_categories, day.year).get(day)


def vacation_on(day: date, cal: BusinessCalendar) -> DateRange | None:
    for window in cal.vacations:
        if day in window:
            return window
    return None


def is_weekend(day: date, cal: BusinessCalendar) -> bool:
    """A weekend day, unless the country moved a working day onto it (China's make-up Saturdays)."""
    if day.weekday() not in cal.weekend_days:
        return False
    return cal.country is None or day not in _weekend_workdays(cal.country, day.year)


def is_business_day(day: date, cal: BusinessCalendar) -> bool:
    return not is_weekend(day, cal) and holiday_name(day, cal) is None and vacation_on(day, cal) is None


def is_business_time(at: datetime, cal: BusinessCalendar) -> bool:
    local = local_time(at, cal)
    return is_business_day(local.date(), cal) and cal.opens_at <= local.time() < cal.closes_at


def add_business_days(start: date, count: int, cal: BusinessCalendar) -> date:
    """The `count`-th business day after `start` (`start` itself for 0), skipping weekends, holidays, vacations."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    for _ in range(_SEARCH_LIMIT_DAYS * max(1, count)):
        if remaining == 0:
            return day
        day += timedelta(days=1)
        if is_business_day(day, cal):
            remaining -= 1
    raise ValueError(f"no {count} business days within reach after {start}: check the calendar")


def next_business_day(day: date, cal: BusinessCalendar) -> date:
    """`day` itself if it is a business day, else the first one after it."""
    return day if is_business_day(day, cal) else add_business_days(day, 1, cal)


def next_business_slot(after: datetime, cal: BusinessCalendar, preferred_hour: int | None = None) -> datetime:
    """The first moment at or after `after` (UTC result) in the contact's business hours on a business day.

    With a `preferred_hour` inside business hours (the hour they usually answer), the slot is that hour on
    the first business day where it is still ahead; otherwise `after` itself when already in business
    hours, else the next opening time.
    """
    after = _aware(after).astimezone(UTC)
    hour = _usable_hour(preferred_hour, cal)
    day = local_time(after, cal).date()
    for _ in range(_SEARCH_LIMIT_DAYS):
        if is_business_day(day, cal):
            if hour is not None:
                slot = local_moment(day, time(hour), cal)
                if slot >= after:
                    return slot
            else:
                opens = local_moment(day, cal.opens_at, cal)
                closes = local_moment(day, cal.closes_at, cal)
                if after < opens:
                    return opens
                if after < closes:
                    return after
        day += timedelta(days=1)
    raise ValueError(f"no business day within {_SEARCH_LIMIT_DAYS} days after {after}: check the calendar")


def business_time_between(start: datetime, end: datetime, cal: BusinessCalendar) -> timedelta:
    """How much of the contact's working time lies between two instants."""
    start, end = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
    total = timedelta()
    day = local_time(start, cal).date()
    last_day = local_time(end, cal).date()
    while day <= last_day:
        if is_business_day(day, cal):
            opens = max(local_moment(day, cal.opens_at, cal), start)
            closes = min(local_moment(day, cal.closes_at, cal), end)
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total


def explain_silence(
    sent_at: datetime,
    now: datetime,
    cal: BusinessCalendar,
    history: ReplyHistory | None = None,
    office_tz: str = "Asia/Shanghai",
) -> SilenceExplanation:
    """Why a message sent at `sent_at` has had no reply by `now`, and when to try again.

    The whole window counts, not just the moment of sending: a holiday or vacation anywhere in it is a
    reason. A weekend is one only while fewer than three of their working days have passed.
    """
    sent_at, now = _aware(sent_at).astimezone(UTC), _aware(now).astimezone(UTC)
    if now < sent_at:
        raise ValueError("now is before the message was sent")
    local_sent = local_time(sent_at, cal)
    local_now = local_time(now, cal)
    window = [
        local_sent.date() + timedelta(days=offset)
        for offset in range((local_now.date() - local_sent.date()).days + 1)
    ]
    worked = business_time_between(sent_at, now, cal)
    working_day = _working_day_length(cal)
    reasons: list[Reason] = []

    is_in_hours = cal.opens_at <= local_sent.time() < cal.closes_at
    if not is_in_hours:
        reasons.append(
            Reason(
                SilenceReason.OUTSIDE_BUSINESS_HOURS,
                f"sent at {local_sent:%H:%M} on {_day_label(local_sent.date())} their time, outside their "
                f"business hours {cal.opens_at:%H:%M}-{cal.closes_at:%H:%M}",
            )
        )

    weekend_days = [day for day in window if is_weekend(day, cal)]
    if weekend_days and (
        local_sent.date() in weekend_days or worked < working_day * _WEEKEND_EXPLAINS_BELOW_BUSINESS_DAYS
    ):
        reasons.append(
            Reason(
                SilenceReason.WEEKEND,
                f"{_days_label(weekend_days)} fell on their weekend; only {_duration_label(worked)} of their "
                "working time has passed",
            )
        )

    holidays_in_window = [(day, name) for day in window if (name := holiday_name(day, cal)) is not None]
    if holidays_in_window:
        reasons.append(
            Reason(
                SilenceReason.PUBLIC_HOLIDAY,
                "; ".join(f"{name} on {_day_label(day)}" for day, name in holidays_in_window),
            )
        )

    for vacation in cal.vacations:
        if vacation.first <= window[-1] and vacation.last >= window[0]:
            back = next_business_day(vacation.last + timedelta(days=1), cal)
            reasons.append(
                Reason(
                    SilenceReason.ON_VACATION,
                    f"away {vacation.first.isoformat()} to {vacation.last.isoformat()}, back on {_day_label(back)}",
                )
            )

    gap = _timezone_gap(sent_at, cal, office_tz, is_in_hours)
    if gap is not None:
        reasons.append(gap)

    median = history.median_latency if history else None
    if median is not None and median > now - sent_at:
        reasons.append(
            Reason(
                SilenceReason.USUALLY_SLOW,
                f"they usually reply after {_duration_label(median)}; {_duration_label(now - sent_at)} has passed",
            )
        )

    if not reasons:
        reasons.append(
            Reason(
                SilenceReason.NO_REASON_FOUND,
                f"sent at {local_sent:%H:%M} on {_day_label(local_sent.date())} their time, in business hours; "
                f"{_duration_label(worked)} of their working time has passed",
            )
        )

    earliest = max(now, sent_at + median) if median is not None else now
    preferred_hour = history.usual_hours[0] if history and history.usual_hours else None
    return SilenceExplanation(
        reasons=tuple(reasons),
        next_attempt_at=next_business_slot(earliest, cal, preferred_hour),
        local_time_at_send=local_sent,
        business_time_elapsed=worked,
    )


def _timezone_gap(
    sent_at: datetime, cal: BusinessCalendar, office_tz: str, is_in_their_hours: bool
) -> Reason | None:
    office_local = sent_at.astimezone(ZoneInfo(office_tz))
    their_local = local_time(sent_at, cal)
    their_offset = their_local.utcoffset() or timedelta()
    office_offset = office_local.utcoffset() or timedelta()
    hours = (their_offset - office_offset) / timedelta(hours=1)
    office_in_hours = cal.opens_at <= office_local.time() < cal.closes_at
    caused_by_gap = office_in_hours and not is_in_their_hours
    if not caused_by_gap and abs(hours) < _LARGE_TIMEZONE_GAP_HOURS:
        return None
    direction = "behind" if hours < 0 else "ahead of"
    return Reason(
        SilenceReason.TIMEZONE_GAP,
        f"their clock is {_hours_label(abs(hours))} h {direction} {office_tz}: sent {office_local:%H:%M} there, "
        f"{their_local:%H:%M} their time",
    )


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass aware datetimes")
    return moment


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _usable_hour(hour: int | None, cal: BusinessCalendar) -> int | None:
    if hour is None or not 0 <= hour <= 23:
        return None
    return hour if cal.opens_at <= time(hour) < cal.closes_at else None


def _working_day_length(cal: BusinessCalendar) -> timedelta:
    today = date(2000, 1, 1)
    return datetime.combine(today, cal.closes_at) - datetime.combine(today, cal.opens_at)


@functools.cache
def _holiday_support(country: str) -> tuple[frozenset[int], frozenset[str], frozenset[str]] | None:
    """(weekend days, subdivisions, categories) the `holidays` package knows for a country, or None."""
    if country not in holidays.list_supported_countries():
        return None
    table = holidays.country_holidays(country)
    subdivisions = frozenset(table.subdivisions) | frozenset(table.subdivisions_aliases)
    return frozenset(table.weekend), subdivisions, frozenset(table.supported_categories)


@functools.cache
def _holidays(
    country: str, subdivision: str | None, categories: tuple[str, ...], year: int
) -> Mapping[date, str]:
    table = holidays.country_holidays(country, subdiv=subdivision, years=year, categories=categories)
    return MappingProxyType(dict(table.items()))


@functools.cache
def _weekend_workdays(country: str, year: int) -> frozenset[date]:
    # Filled per loaded year: China announces its make-up working Saturdays and Sundays year by year.
    if _holiday_support(country) is None:
        return frozenset()
    return frozenset(holidays.country_holidays(country, years=year).weekend_workdays)


def _day_label(day: date) -> str:
    return f"{_WEEKDAY_NAMES[day.weekday()]} {day.isoformat()}"


def _days_label(days: Sequence[date]) -> str:
    return ", ".join(_day_label(day) for day in days)


def _hours_label(hours: float) -> str:
    return f"{hours:g}"


def _duration_label(duration: timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if hours or (days and minutes):
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts) or "0 min"
