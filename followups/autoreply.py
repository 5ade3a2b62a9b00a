"""Whether an inbound email is an automatic reply and, for an out-of-office note, the date the person is back."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

_BODY_OPENING_CHARS = 600  # an out-of-office note says so at the top; further down it is quoted history
_TRIGGER_WINDOW_CHARS = 40  # how far before a date its "until"/"back on" may stand
_AFTER_WINDOW_CHARS = 20  # how far after a date "kadar", "まで", "inclusive" may stand
_MAX_ABSENCE = timedelta(days=366)  # a return date further out is some other date in the text


@dataclass(frozen=True, slots=True)
class AutoReply:
    is_vacation: bool  # an out-of-office or closure note, not a receipt or a mailing
    return_date: date | None  # first day back, as the note states it; None when it gives none
    language: str | None  # ISO 639-1 code of the note, when its wording shows it
    matched: str  # the evidence: a header, or the phrase and where it was found
    hold_until: date  # calendar-free: day after the return date; received + default days without one;
    # the received day itself for a non-vacation auto-reply (no reason to wait)


class _Role(Enum):
    START = "start"  # the absence begins then ("from", "vom", "du"): never a return date
    END = "end"  # the absence ends or they are back then ("until", "back on"): the date itself
    THROUGH = "through"  # the absence includes that day ("bis einschließlich", "tot en met"): the day after
    NONE = "none"  # no wording around the date


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    automatic: tuple[str, ...]  # says the message is automatic; not necessarily an absence
    away: tuple[str, ...]  # says the person or office is away
    back: tuple[str, ...]  # says when they return; an absence only in a message already known to be automatic
    months: Mapping[str, int]
    date_patterns: tuple[str, ...]  # "{M}" stands for the month names
    before: Mapping[str, _Role]  # words just before a date
    after: Mapping[str, _Role]  # words just after a date (INCLUSIVE markers use THROUGH)


def _months(*groups: tuple[str, ...]) -> dict[str, int]:
    return {name: number for number, names in enumerate(groups, start=1) for name in names}


_E, _S, _T = _Role.END, _Role.START, _Role.THROUGH

_LANGUAGES: tuple[_Language, ...] = (
    _Language(
        code="en",
        automatic=(
            "automatic reply",
            "auto-reply",
            "autoreply",
            "auto reply",
            "auto-response",
            "automated response",
        ),
        away=(
            "out of office",
            "out of the office",
            "away from the office",
            "away from my desk",
            "on vacation",
            "on holiday",
            "on annual leave",
            "on leave",
            "currently away",
            "limited access to email",
            "office is closed",
            "offices are closed",
            "closed for the holiday",
        ),
        back=(
            "will be back",
            "i'll be back",
            "i am back",
            "back in the office",
            "returning on",
            "return to the office",
        ),
        months=_months(
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        date_patterns=(
            r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>{M})(?!\w)\.?(?:,?\s+(?P<year>\d{4}))?",
            r"(?<!\w)(?P<month>{M})(?!\w)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<year>\d{4}))?",
        ),
        before={
            "until": _E,
            "till": _E,
            "til": _E,
            "to": _E,
            "up to": _E,
            "back": _E,
            "back on": _E,
            "returning": _E,
            "returning on": _E,
            "return": _E,
            "return on": _E,
            "in the office on": _E,
            "available again on": _E,
            "through": _T,
            "thru": _T,
            "up to and including": _T,
            "until and including": _T,
            "from": _S,
            "since": _S,
            "starting": _S,
        },
        after={"inclusive": _T, "included": _T},
    ),
    _Language(
        code="de",
        automatic=("automatische antwort", "automatische rückantwort", "autoantwort"),
        away=(
            "abwesenheitsnotiz",
            "abwesenheit",
            "abwesend",
            "nicht im büro",
            "außer haus",
            "ausser haus",
            "im urlaub",
            "urlaubsbedingt",
            "betriebsferien",
            "betriebsurlaub",
        ),
        back=("wieder im büro", "wieder erreichbar", "zurück im büro", "wieder da"),
        months=_months(
            ("januar", "jänner", "jan"),
            ("februar", "feber", "feb"),
            ("märz", "maerz", "mär"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})\.?\s*(?P<month>{M})(?!\w)\.?(?:\s+(?P<year>\d{4}))?",),
        before={
            "bis": _E,
            "bis zum": _E,
            "bis am": _E,
            "ab": _E,
            "ab dem": _E,
            "zurück am": _E,
            "zurück": _E,
            "wieder erreichbar ab": _E,
            "wieder im büro am": _E,
            "bis einschließlich": _T,
            "bis inklusive": _T,
            "bis inkl.": _T,
            "bis und mit": _T,  # Swiss usage
            "einschließlich": _T,
            "vom": _S,
            "von": _S,
            "seit": _S,
        },
        after={"einschließlich": _T, "inklusive": _T, "inkl": _T, "wieder": _E, "zurück": _E},
    ),
    _Language(
        code="fr",
        automatic=("réponse automatique", "message automatique"),
        away=(
            "absent du bureau",
            "absente du bureau",
            "absent",
            "absente",
            "en congé",
            "en congés",
            "en vacances",
            "fermeture annuelle",
            "hors du bureau",
        ),
        back=("de retour", "serai de retour"),
        months=_months(
            ("janvier", "janv"),
            ("février", "févr"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août",),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("décembre", "déc"),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})(?:er)?\s+(?P<month>{M})(?!\w)\.?(?:\s+(?P<year>\d{4}))?",),
        before={
            "jusqu'au": _E,
            "jusqu'à": _E,
            "au": _E,
            "de retour le": _E,
            "de retour": _E,
            "retour le": _E,
            "à partir du": _E,
            "dès le": _E,
            "du": _S,
            "depuis le": _S,
        },
        after={"inclus": _T, "inclusivement": _T, "compris": _T},
    ),
    _Language(
        code="es",
        automatic=("respuesta automática", "mensaje automático"),
        away=(
            "fuera de la oficina",
            "de vacaciones",
            "ausente",
            "cerrado por vacaciones",
            "fuera del despacho",
        ),
        back=("de vuelta", "regresaré", "volveré"),
        months=_months(
            ("enero", "ene"),
            ("febrero",),
            ("marzo",),
            ("abril",),
            ("mayo",),
            ("junio",),
            ("julio",),
            ("agosto",),
            ("septiembre", "setiembre"),
            ("octubre",),
            ("noviembre",),
            ("diciembre", "dic"),
        ),
        date_patterns=(
            r"(?<!\d)(?P<day>\d{1,2})(?:o|°)?\s+(?:de\s+)?(?P<month>{M})(?!\w)\.?(?:\s+(?:del?\s+)?(?P<year>\d{4}))?",
        ),
        before={
            "hasta el": _E,
            "hasta": _E,
            "al": _E,
            "regreso el": _E,
            "regresaré el": _E,
            "de vuelta el": _E,
            "volveré el": _E,
            "a partir del": _E,
            "desde el": _S,
            "del": _S,
        },
        after={"inclusive": _T, "incluido": _T},
    ),
    _Language(
        code="it",
        automatic=("risposta automatica", "messaggio automatico"),
        away=("fuori ufficio", "fuori sede", "in ferie", "assente", "chiusura per ferie", "chiusi per ferie"),
        back=("rientrerò", "di ritorno", "rientro in ufficio"),
        months=_months(
            ("gennaio",),
            ("febbraio",),
            ("marzo",),
            ("aprile",),
            ("maggio",),
            ("giugno",),
            ("luglio",),
            ("agosto",),
            ("settembre",),
            ("ottobre",),
            ("novembre",),
            ("dicembre",),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})(?:o|°)?\s+(?P<month>{M})(?!\w)(?:\s+(?P<year>\d{4}))?",),
        before={
            "fino al": _E,
            "fino a": _E,
            "sino al": _E,
            "al": _E,
            "rientro il": _E,
            "rientrerò il": _E,
            "di ritorno il": _E,
            "a partire dal": _E,
            "dal": _S,
        },
        after={"compreso": _T, "incluso": _T},
    ),
    _Language(
        code="pt",
        automatic=("resposta automática", "mensagem automática"),
        away=("ausente do escritório", "fora do escritório", "de férias", "ausente"),
        back=("de volta", "retornarei", "retorno ao escritório"),
        months=_months(
            ("janeiro",),
            ("fevereiro",),
            ("março",),
            ("abril",),
            ("maio",),
            ("junho",),
            ("julho",),
            ("agosto",),
            ("setembro",),
            ("outubro",),
            ("novembro",),
            ("dezembro",),
        ),
        date_patterns=(
            r"(?<!\d)(?P<day>\d{1,2})(?:o|°)?\s+(?:de\s+)?(?P<month>{M})(?!\w)(?:\s+(?:de\s+)?(?P<year>\d{4}))?",
        ),
        before={
            "até": _E,
            "até o dia": _E,
            "até dia": _E,
            "a": _E,
            "retorno em": _E,
            "retorno no dia": _E,
            "de volta em": _E,
            "volto em": _E,
            "retornarei em": _E,
            "a partir de": _E,
            "a partir do dia": _E,
            "de": _S,
            "desde": _S,
        },
        after={"inclusive": _T},
    ),
    _Language(
        code="nl",
        automatic=("automatisch antwoord", "automatisch bericht"),
        away=("afwezig", "niet op kantoor", "buiten kantoor", "met vakantie", "op vakantie", "afwezigheid"),
        back=("weer aanwezig", "terug op kantoor", "ben ik terug"),
        months=_months(
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>{M})(?!\w)\.?(?:\s+(?P<year>\d{4}))?",),
        before={
            "tot": _E,
            "terug op": _E,
            "terug": _E,
            "weer aanwezig op": _E,
            "vanaf": _E,
            "tot en met": _T,
            "t/m": _T,
            "van": _S,
        },
        after={},
    ),
    _Language(
        code="sv",
        automatic=("automatiskt svar", "autosvar"),
        away=("frånvaro", "frånvarande", "ej på kontoret", "inte på kontoret", "på semester", "ledig"),
        back=("tillbaka", "åter på kontoret", "åter i tjänst"),
        months=_months(
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars",),
            ("april", "apr"),
            ("maj",),
            ("juni",),
            ("juli",),
            ("augusti", "aug"),
            ("september", "sep"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        date_patterns=(
            r"(?<!\d)(?P<day>\d{1,2})(?::e|:a)?\s+(?P<month>{M})(?!\w)\.?(?:\s+(?P<year>\d{4}))?",
        ),
        before={
            "till": _E,
            "tillbaka": _E,
            "tillbaka den": _E,
            "åter": _E,
            "åter den": _E,
            "från och med": _E,
            "fr.o.m.": _E,
            "till och med": _T,
            "t.o.m.": _T,
            "från": _S,
        },
        after={},
    ),
    _Language(
        code="tr",
        automatic=("otomatik yanıt", "otomatik cevap"),
        away=("ofis dışında", "ofiste değilim", "izindeyim", "izinde", "tatildeyim", "tatilde"),
        back=("döneceğim", "dönüyorum"),
        months=_months(
            ("ocak",),
            ("şubat",),
            ("mart",),
            ("nisan",),
            ("mayıs",),
            ("haziran",),
            ("temmuz",),
            ("ağustos",),
            ("eylül",),
            ("ekim",),
            ("kasım",),
            ("aralık",),
        ),
        # "12 Ocak'a kadar", "12 Ocak 2027'ye kadar": a case suffix follows the month or the year.
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>{M})(?!\w)(?:'\w+)?(?:\s+(?P<year>\d{4}))?",),
        before={},
        after={"kadar": _E, "dahil": _T, "döneceğim": _E, "dönüyorum": _E, "dönüş": _E, "ofisteyim": _E},
    ),
    _Language(
        code="pl",
        automatic=("automatyczna odpowiedź", "odpowiedź automatyczna"),
        away=("poza biurem", "nieobecność", "nieobecny", "nieobecna", "na urlopie", "urlop"),
        back=("wracam", "wrócę", "powrót do biura"),
        months=_months(
            ("stycznia", "styczeń", "sty"),
            ("lutego", "luty", "lut"),
            ("marca", "marzec", "mar"),
            ("kwietnia", "kwiecień", "kwi"),
            ("maja", "maj"),
            ("czerwca", "czerwiec", "cze"),
            ("lipca", "lipiec", "lip"),
            ("sierpnia", "sierpień", "sie"),
            ("września", "wrzesień", "wrz"),
            ("października", "październik", "paź"),
            ("listopada", "listopad", "lis"),
            ("grudnia", "grudzień", "gru"),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>{M})(?!\w)\.?(?:\s+(?P<year>\d{4}))?",),
        before={
            "do": _E,
            "do dnia": _E,
            "wracam": _E,
            "wrócę": _E,
            "powrót": _E,
            "dostępny od": _E,
            "dostępna od": _E,
            "w biurze od": _E,
            "od": _S,
        },
        after={"włącznie": _T},
    ),
    _Language(
        code="ru",
        automatic=("автоответ", "автоматический ответ"),
        away=("вне офиса", "в отпуске", "отсутствую", "нет в офисе", "в командировке"),
        back=("вернусь", "выйду на работу"),
        months=_months(
            ("января", "янв"),
            ("февраля", "фев"),
            ("марта", "мар"),
            ("апреля", "апр"),
            ("мая",),
            ("июня", "июн"),
            ("июля", "июл"),
            ("августа", "авг"),
            ("сентября", "сент", "сен"),
            ("октября", "окт"),
            ("ноября", "нояб", "ноя"),
            ("декабря", "дек"),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>{M})(?!\w)\.?(?:\s+(?P<year>\d{4}))?",),
        before={
            "до": _E,
            "вернусь": _E,
            "выйду на работу": _E,
            "на работе с": _E,
            "в офисе с": _E,
            "по": _T,  # "по 10 января": the 10th is still away
            "с": _S,
        },
        after={"включительно": _T},
    ),
    _Language(
        code="ar",
        automatic=("رد تلقائي", "الرد التلقائي", "رسالة تلقائية"),
        away=("خارج المكتب", "في إجازة", "إجازة", "غير متواجد"),
        back=("سأعود", "العودة إلى المكتب"),
        months=_months(
            ("يناير", "كانون الثاني"),
            ("فبراير", "شباط"),
            ("مارس", "آذار"),
            ("أبريل", "ابريل", "إبريل", "نيسان"),
            ("مايو", "أيار"),
            ("يونيو", "يونيه", "حزيران"),
            ("يوليو", "يوليه", "تموز"),
            ("أغسطس", "اغسطس", "آب"),
            ("سبتمبر", "أيلول"),
            ("أكتوبر", "اكتوبر", "تشرين الأول"),
            ("نوفمبر", "تشرين الثاني"),
            ("ديسمبر", "كانون الأول"),
        ),
        date_patterns=(r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>{M})(?!\w)(?:\s+(?P<year>\d{4}))?",),
        before={
            "حتى": _E,
            "لغاية": _E,
            "إلى": _E,
            "الى": _E,
            "سأعود": _E,
            "سأعود في": _E,
            "العودة": _E,
            "من": _S,
        },
        after={},
    ),
    _Language(
        code="zh",
        automatic=("自动回复", "自動回覆", "自动答复"),
        away=("不在办公室", "不在辦公室", "休假", "外出", "放假", "春节假期", "出差"),
        back=("返回办公室", "回到办公室", "恢复办公", "恢复上班", "正常上班"),
        months={},
        date_patterns=(),
        before={"至": _E, "到": _E, "直到": _E, "于": _E, "从": _S, "自": _S},
        after={
            "返回": _E,
            "回来": _E,
            "回到": _E,
            "之后": _E,
            "以后": _E,
            "后": _E,
            "起": _E,
            "上班": _E,
            "复工": _E,
        },
    ),
    _Language(
        code="ja",
        automatic=("自動返信", "自動応答", "自動送信"),
        away=("不在", "休暇", "外出中", "休業", "年末年始", "出張"),
        back=("戻ります", "出社いたします", "出社します"),
        months={},
        date_patterns=(),
        before={},
        # Japanese まで includes the day named: "1月8日まで休暇" means back on the 9th.
        after={"まで": _T, "迄": _T, "出社": _E, "戻ります": _E, "復帰": _E},
    ),
)
_BY_CODE = {language.code: language for language in _LANGUAGES}
_CJK_CODES = ("zh", "ja")

# RFC 3834 Auto-Submitted, plus the non-standard headers common mail systems set on automatic replies.
_AUTOMATIC_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-response-suppress")
_AUTOMATIC_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk"})

_QUOTE_START = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original"
    r"|messaggio originale|mensagem original|oorspronkelijk bericht|ursprungligt meddelande|orijinal ileti"
    r"|oryginalna wiadomość|исходное сообщение|الرسالة الأصلية|原始邮件|元のメッセージ)|on .{5,120} wrote:\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
_ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_KANA = re.compile(r"[\u3040-\u30ff]")
_SENTENCE_BREAK = re.compile(r"\n|[!?。！？]|(?<!\d)\.\s")
_DIGIT = re.compile(r"\d")
# What may stand between a label and its text ("自動返信：", "【自動返信】"); full-width forms are folded by then.
_LABEL_SEPARATORS = " \t\r\n:;-~|()[]<>\u3010\u3011\u300c\u300d\u3001\u3002"


def _fold(text: str) -> str:
    """Accent-free, compatibility-normalised text, so "Réponse"/"reponse" and full-width digits match alike."""
    text = text.translate(_ARABIC_INDIC_DIGITS).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _phrase_pattern(phrase: str, *, trailing_boundary: bool) -> re.Pattern[str]:
    """A phrase as a pattern; phrases may take endings ("dışındayım", "urlopie"), trigger words may not."""
    folded = re.escape(_fold(phrase))
    if _is_cjk(phrase):
        return re.compile(folded)  # no word boundaries in Chinese or Japanese
    if trailing_boundary:
        return re.compile(rf"(?<!\w){folded}(?!\w)", re.IGNORECASE)
    return re.compile(rf"(?<!\w){folded}", re.IGNORECASE)


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= character <= "\u9fff" for character in text)


@dataclass(frozen=True, slots=True)
class _Compiled:
    language: _Language
    automatic: tuple[tuple[str, re.Pattern[str]], ...]
    away: tuple[tuple[str, re.Pattern[str]], ...]
    back: tuple[tuple[str, re.Pattern[str]], ...]
    dates: tuple[re.Pattern[str], ...]
    months: Mapping[str, int]  # folded, lower-case
    before: tuple[tuple[re.Pattern[str], _Role], ...]
    after: tuple[tuple[re.Pattern[str], _Role], ...]


def _compile(language: _Language) -> _Compiled:
    months = {_fold(name).lower(): number for name, number in language.months.items()}
    alternation = "|".join(re.escape(name) for name in sorted(months, key=len, reverse=True))
    return _Compiled(
        language=language,
        automatic=tuple(
            (phrase, _phrase_pattern(phrase, trailing_boundary=False)) for phrase in language.automatic
        ),
        away=tuple((phrase, _phrase_pattern(phrase, trailing_boundary=False)) for phrase in language.away),
        back=tuple((phrase, _phrase_pattern(phrase, trailing_boundary=False)) for phrase in language.back),
        dates=tuple(
            re.compile(pattern.replace("{M}", alternation), re.IGNORECASE)
            for pattern in language.date_patterns
        )
        if months
        else (),
        months=months,
        before=tuple(
            (_phrase_pattern(word, trailing_boundary=True), role) for word, role in language.before.items()
        ),
        after=tuple(
            (_phrase_pattern(word, trailing_boundary=True), role) for word, role in language.after.items()
        ),
    )


_COMPILED: dict[str, _Compiled] = {language.code: _compile(language) for language in _LANGUAGES}

_ISO_DATE = re.compile(r"(?<![\d.])(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_DOTTED_DATE = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?:(?P<year>\d{4}|\d{2})(?![\d.]))?"
)
_SLASHED_DATE = re.compile(
    r"(?<![\d/])(?P<first>\d{1,2})[/-](?P<second>\d{1,2})[/-](?P<year>\d{4}|\d{2})(?![\d/])"
)
_CJK_DATE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]")


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    languages: tuple[str, ...]  # whose wording may surround it; () for numeric dates, any language
    interpretations: tuple[tuple[int | None, int, int], ...]  # (year or None, month, day) readings
    has_month_name_or_year: bool  # safe to take even without "until" around it


def detect_auto_reply(
    headers: Mapping[str, str],
    subject: str,
    body: str,
    received_at: datetime,
    default_hold_days: int = 7,
) -> AutoReply | None:
    """An AutoReply when headers or wording show the message was sent automatically, else None.

    Evidence, strongest first: RFC 3834 Auto-Submitted (anything but "no") and the common X-Autoreply
    family or Precedence auto_reply/bulk/junk; an "automatic reply"/"out of office" phrase in the subject;
    an "automatic reply" phrase at the top of the body, or an "out of office" phrase there together with a
    return date. A human writing "I was out of office last week" is therefore not taken for a robot.
    A date without a year is the next such date on or after the day `received_at` falls on.
    """
    received = received_at.date()
    folded_subject = _fold(subject)
    folded_body = _fold(_without_quoted_history(body))
    opening = folded_body[:_BODY_OPENING_CHARS]
    text = f"{folded_subject}\n{folded_body}"
    language = _detect_language(folded_subject, folded_body)

    away_phrase = _first_phrase(text, "away", language)
    back_phrase = _first_phrase(text, "back", language)
    if away_phrase or back_phrase:
        return_date = _return_date(text, language, received)
    else:
        return_date = _labelled_return_date(opening, language, received)
    # "Back" wording alone ("we will be back to you shortly") is a receipt unless a date comes with it;
    # so is an automatic label alone, unless its own line says until when ("自動返信：1月8日まで").
    is_vacation = away_phrase is not None or return_date is not None

    matched = _header_evidence(headers)
    if matched is None:
        subject_phrase = _first_phrase(folded_subject, "automatic", language) or _first_phrase(
            folded_subject, "away", language
        )
        if subject_phrase:
            matched = f"subject: {subject_phrase}"
    if matched is None:
        body_automatic = _first_phrase(opening, "automatic", language)
        body_away = _first_phrase(opening, "away", language)
        if body_automatic:
            matched = f"body: {body_automatic}"
        elif body_away and return_date is not None:
            matched = f"body: {body_away}"
    if matched is None:
        return None

    if return_date is not None:
        hold_until = return_date + timedelta(days=1)
    elif is_vacation:
        hold_until = received + timedelta(days=default_hold_days)
    else:
        hold_until = received
    return AutoReply(
        is_vacation=is_vacation,
        return_date=return_date,
        language=language,
        matched=matched,
        hold_until=hold_until,
    )


def _without_quoted_history(body: str) -> str:
    cut = _QUOTE_START.search(body)
    kept = body[: cut.start()] if cut else body
    return "\n".join(line for line in kept.splitlines() if not line.lstrip().startswith(">"))


def _header_evidence(headers: Mapping[str, str]) -> str | None:
    lowered = {name.strip().lower(): value.strip() for name, value in headers.items()}
    auto_submitted = lowered.get("auto-submitted", "")
    if auto_submitted and auto_submitted.split(";")[0].strip().lower() != "no":
        return f"header Auto-Submitted: {auto_submitted}"
    for name in _AUTOMATIC_HEADERS:
        value = lowered.get(name, "")
        if value and value.lower() not in {"no", "false", "0"}:
            return f"header {name}: {value}"
    precedence = lowered.get("precedence", "").lower()
    if precedence in _AUTOMATIC_PRECEDENCE:
        return f"header Precedence: {precedence}"
    return None


def _eligible_codes(language: str | None) -> tuple[str, ...]:
    if language is None:
        return tuple(_COMPILED)
    return (language, "en") if language != "en" else ("en",)


def _first_phrase(text: str, kind: str, language: str | None) -> str | None:
    """The earliest phrase of `kind` in the text, in the note's language or English (the lingua franca)."""
    best: tuple[int, str] | None = None
    for code in _eligible_codes(language):
        compiled = _COMPILED[code]
        for phrase, pattern in getattr(compiled, kind):
            found = pattern.search(text)
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), phrase)
    return best[1] if best else None


def _detect_language(subject: str, body: str) -> str | None:
    """The language whose phrases and month names cover most of the note; kana decide Japanese over Chinese.

    The body counts double: subjects often carry an English "Out of Office" over a note in another
    language. A Chinese or Japanese character counts as four letters, about one word's worth.
    """
    has_kana = bool(_KANA.search(subject) or _KANA.search(body))
    scores: dict[str, int] = {}
    for code, compiled in _COMPILED.items():
        if code in _CJK_CODES and (code == "ja") != has_kana:
            continue
        score = 0
        for text, weight in ((subject, 1), (body, 2)):
            for phrase, pattern in (*compiled.automatic, *compiled.away, *compiled.back):
                score += weight * _weight(phrase) * len(pattern.findall(text))
            for pattern in compiled.dates:
                score += weight * sum(len(found.group("month")) for found in pattern.finditer(text))
        if score:
            scores[code] = score
    if not scores:
        return None
    # English loses ties, for the same reason.
    return max(scores, key=lambda code: (scores[code], code != "en"))


def _weight(phrase: str) -> int:
    return sum(4 if _is_cjk(character) else 1 for character in phrase)


def _candidates(text: str, language: str | None) -> list[_Candidate]:
    found: list[_Candidate] = []
    month_codes = [code for code in _eligible_codes(language) if _COMPILED[code].dates]
    for code in month_codes:
        compiled = _COMPILED[code]
        for pattern in compiled.dates:
            for match in pattern.finditer(text):
                month = compiled.months[match.group("month").lower()]
                year = int(match.group("year")) if match.group("year") else None
                found.append(
                    _Candidate(
                        match.start(), match.end(), (code,), ((year, month, int(match.group("day"))),), True
                    )
                )
    for match in _CJK_DATE.finditer(text):
        year = int(match.group("year")) if match.group("year") else None
        reading = (year, int(match.group("month")), int(match.group("day")))
        found.append(_Candidate(match.start(), match.end(), _CJK_CODES, (reading,), True))
    for match in _ISO_DATE.finditer(text):
        reading = (int(match.group("year")), int(match.group("month")), int(match.group("day")))
        found.append(_Candidate(match.start(), match.end(), (), (reading,), True))
    for match in _DOTTED_DATE.finditer(text):
        year = _full_year(match.group("year"))
        reading = (year, int(match.group("month")), int(match.group("day")))
        found.append(_Candidate(match.start(), match.end(), (), (reading,), year is not None))
    for match in _SLASHED_DATE.finditer(text):
        first, second = int(match.group("first")), int(match.group("second"))
        year = _full_year(match.group("year"))
        # Day first everywhere but in English, where a US month-first reading is possible too.
        readings = [(year, second, first)]
        if language in (None, "en") and first != second:
            readings.append((year, first, second))
        found.append(_Candidate(match.start(), match.end(), (), tuple(readings), True))
    # One candidate per span (Dutch and Swedish share "7 januari"), and none inside a longer one.
    by_span: dict[tuple[int, int], _Candidate] = {}
    for candidate in found:
        span = (candidate.start, candidate.end)
        if span in by_span:
            kept = by_span[span]
            languages = tuple(dict.fromkeys((*kept.languages, *candidate.languages)))
            candidate = _Candidate(
                kept.start, kept.end, languages, kept.interpretations, kept.has_month_name_or_year
            )
        by_span[span] = candidate
    spans = sorted(by_span, key=lambda span: (span[0], -span[1]))
    outermost: list[_Candidate] = []
    for span in spans:
        if outermost and span[1] <= outermost[-1].end:
            continue
        outermost.append(by_span[span])
    return outermost


def _full_year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _role(
    text: str, candidate: _Candidate, previous_end: int, next_start: int, language: str | None
) -> _Role:
    # Words of the date's own language, the note's language and English (the usual second language).
    codes = tuple(dict.fromkeys((*candidate.languages, *_eligible_codes(language or "en"))))
    window_start = max(previous_end, candidate.start - _TRIGGER_WINDOW_CHARS)
    before = text[window_start : candidate.start]
    breaks = list(_SENTENCE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    # A label ends where its text begins: the "自" of "自动回复"/"自動返信" is not the "from" of "自1月8日".
    label_end = max(
        (
            match.end()
            for code in codes
            for _, pattern in _COMPILED[code].automatic
            for match in pattern.finditer(before)
        ),
        default=0,
    )
    before = before[label_end:]
    after = text[candidate.end : min(next_start, candidate.end + _AFTER_WINDOW_CHARS)]
    if (digit := _DIGIT.search(after)) is not None:
        after = after[: digit.start()]
    if (stop := _SENTENCE_BREAK.search(after)) is not None:
        after = after[: stop.start()]

    role = _Role.NONE
    best: tuple[int, int] | None = None
    for code in codes:
        for pattern, word_role in _COMPILED[code].before:
            for match in pattern.finditer(before):
                rank = (match.end(), match.end() - match.start())
                if best is None or rank > best:
                    best, role = rank, word_role
    for code in codes:
        for pattern, word_role in _COMPILED[code].after:
            if pattern.search(after):
                if word_role is _Role.THROUGH and role in (_Role.NONE, _Role.END):
                    role = _Role.THROUGH
                elif word_role is _Role.END and role is _Role.NONE:
                    role = _Role.END
    # Chinese names the return after its date: "自1月8日起恢复办公" is "from the 8th, back at work".
    if (
        role is _Role.START
        and candidate.languages == _CJK_CODES
        and any(pattern.search(after) for code in _CJK_CODES for _, pattern in _COMPILED[code].back)
    ):
        role = _Role.END
    return role


def _resolve(reading: tuple[int | None, int, int], received: date) -> date | None:
    year, month, day = reading
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    # No year: the next such date on or after the day the note arrived (29 February may be years away).
    for offset in range(5):
        try:
            candidate = date(received.year + offset, month, day)
        except ValueError:
            continue
        if candidate >= received:
            return candidate
    return None


def _resolve_candidate(candidate: _Candidate, received: date) -> date | None:
    dates = [resolved for reading in candidate.interpretations if (resolved := _resolve(reading, received))]
    if not dates:
        return None
    upcoming = [day for day in dates if day >= received]
    # Two readings of 01/08: absences are short, so the nearer upcoming one is the likelier.
    return min(upcoming) if upcoming else max(dates)


def _dated_candidates(
    text: str, language: str | None, received: date
) -> list[tuple[date, _Role, _Candidate]]:
    candidates = _candidates(text, language)
    dated: list[tuple[date, _Role, _Candidate]] = []
    for index, candidate in enumerate(candidates):
        previous_end = candidates[index - 1].end if index else 0
        next_start = candidates[index + 1].start if index + 1 < len(candidates) else len(text)
        resolved = _resolve_candidate(candidate, received)
        if resolved is None or resolved - received > _MAX_ABSENCE:
            continue
        dated.append((resolved, _role(text, candidate, previous_end, next_start, language), candidate))
    return dated


def _labelled_return_date(opening: str, language: str | None, received: date) -> date | None:
    """The return date of a one-line note, "自動返信：1月8日まで": the date an automatic label's own sentence
    words as the end of an absence.

    Only the body counts: a subject repeats the subject it answers, whose dates are someone else's.
    A label alone on its line ("自動返信：" then the date below) takes the next sentence as its own.
    """
    ends: list[date] = []
    for code in _eligible_codes(language):
        for _, pattern in _COMPILED[code].automatic:
            for match in pattern.finditer(opening):
                rest = opening[match.end() :]
                rest = rest[len(rest) - len(rest.lstrip(_LABEL_SEPARATORS)) :]
                if (stop := _SENTENCE_BREAK.search(rest)) is not None:
                    rest = rest[: stop.start()]
                ends.extend(
                    day + timedelta(days=1) if role is _Role.THROUGH else day
                    for day, role, _ in _dated_candidates(rest, language, received)
                    if role in (_Role.END, _Role.THROUGH)
                )
    return max(ends) if ends else None


def _return_date(text: str, language: str | None, received: date) -> date | None:
    """The first day back: the latest date worded as an end of absence, else the latest plain date."""
    dated = _dated_candidates(text, language, received)
    ends = [
        day + timedelta(days=1) if role is _Role.THROUGH else day
        for day, role, _ in dated
        if role in (_Role.END, _Role.THROUGH)
    ]
    if ends:
        return max(ends)
    plain = [day for day, role, candidate in dated if role is _Role.NONE and candidate.has_month_name_or_year]
    upcoming = [day for day in plain if day >= received]
    return max(upcoming) if upcoming else None
