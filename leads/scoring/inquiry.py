"""Decides whether an inquiry's own words look like a real buyer: strong when specific, weak when a generic template.

A buyer who names what they want (a UV-C lamp, a model code, 500 pieces, 36 W at 254 nm)
has read the catalogue; a message that only asks for "your price list and catalog", or is
a few words long, is what spam robots and catalogue collectors send to every supplier.

- strong: names a product of ours ("names_product"), a model code ("names_model"), a
  quantity ("names_quantity") or a technical spec ("names_spec"). Specifics win over a
  polite template around them: "Dear Sir, please quote 500 pcs ZW36S19W" is strong.
- weak ("generic_template"): no specifics, and a catalogue/price-list request, a
  form-letter phrase, platform spam (SEO, web design, crypto), a greeting around a
  near-empty message, or fewer than eight words in all.
- none: nothing but blanks and punctuation ("empty"), or a message that is neither specific nor a template
  ("no_specifics"), e.g. a company describing its project in its own words.

Products, quantities, specs and templates are matched on the normal form from
``normalize_text`` (accents and case folded, "36W" read as "36 w", every CJK character a
word), products and literal phrases through the same Aho-Corasick matcher as the fit
score. Model codes need the raw token shape ("GPH-843T5L/4P" is one token, "page 2 of 3"
is not), so they are found in the NFKC-casefolded message instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from leads.scoring.matcher import compile_matcher
from leads.scoring.normalize import is_unspaced_script_char, normalize_text
from leads.scoring.specs import IndustrySpec, KeywordSpec, MatchMode

__all__ = ["InquiryReason", "InquirySignal", "InquiryStrength", "judge_inquiry_text"]


class InquiryStrength(StrEnum):
    STRONG = "strong"
    WEAK = "weak"
    NONE = "none"


class InquiryReason(StrEnum):
    NAMES_PRODUCT = "names_product"
    NAMES_MODEL = "names_model"
    NAMES_QUANTITY = "names_quantity"
    NAMES_SPEC = "names_spec"
    GENERIC_TEMPLATE = "generic_template"
    NO_SPECIFICS = "no_specifics"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class InquirySignal:
    strength: InquiryStrength
    reasons: tuple[str, ...]  # InquiryReason values, strongest evidence first


# Below this many words a message without specifics says nothing a robot could not.
_MIN_SPECIFIC_WORDS = 8
# A greeting is a template only around a message this short; a real letter also opens with "Dear Sir".
_MAX_GREETING_MESSAGE_WORDS = 25

_P = MatchMode.PREFIX  # plurals and case endings: "lamp" covers lamps, Lampe, Lampen, lampa, lampy
_W = MatchMode.WORD

# Our products, as buyers write them. Prefix mode covers inflection of the last word only,
# so languages that inflect the first word (Russian, Polish) list the usual forms.
_PRODUCT_TERMS: tuple[tuple[str, str, MatchMode], ...] = (
    ("en", "UV germicidal lamp", _P),
    ("en", "UV germicidal light", _P),
    ("en", "UV germicidal tube", _P),
    ("en", "germicidal lamp", _P),
    ("en", "germicidal light", _P),
    ("en", "germicidal tube", _P),
    ("en", "germicidal UV", _W),
    ("en", "germicidal desk lamp", _P),
    ("en", "UV-C lamp", _P),
    ("en", "UV-C light", _P),
    ("en", "UV-C tube", _P),
    ("en", "UV lamp", _P),
    ("en", "UV light", _P),
    ("en", "UV tube", _P),
    ("en", "UV bulb", _P),
    ("en", "T5 UV", _P),
    ("en", "T8 UV", _P),
    ("en", "T5 germicidal", _P),
    ("en", "T8 germicidal", _P),
    ("en", "amalgam lamp", _P),
    ("en", "amalgam UV", _P),
    ("en", "254 nm", _W),
    ("en", "185 nm", _W),
    ("en", "electronic ballast", _P),
    ("en", "UV ballast", _P),
    ("en", "UV sterilizer", _P),
    ("en", "UV steriliser", _P),
    ("en", "UV sterilization lamp", _P),
    ("en", "UV sterilisation lamp", _P),
    ("en", "UV disinfection lamp", _P),
    ("en", "UV disinfection trolley", _P),
    ("en", "UV disinfection cart", _P),
    ("en", "UV disinfection robot", _P),
    ("en", "UV desk lamp", _P),
    ("en", "UV table lamp", _P),
    ("en", "UV water sterilizer", _P),
    ("en", "UV water steriliser", _P),
    ("en", "quartz sleeve", _P),
    ("de", "UV-Lampe", _P),
    ("de", "UV-Röhre", _P),
    ("de", "UV-Strahler", _P),
    ("de", "UV-Entkeimung", _P),
    ("de", "Entkeimungslampe", _P),
    ("de", "Entkeimungsanlage", _P),
    ("de", "Amalgamlampe", _P),
    ("de", "Vorschaltgerät", _P),
    ("es", "lámpara UV", _W),
    ("es", "lámparas UV", _W),
    ("es", "lámpara germicida", _P),
    ("es", "lámparas germicidas", _P),
    ("es", "lámpara ultravioleta", _P),
    ("es", "tubo UV", _W),
    ("es", "tubos UV", _W),
    ("es", "esterilizador UV", _W),
    ("es", "esterilizadores UV", _W),
    ("es", "balastro electrónico", _P),
    ("fr", "lampe UV", _P),
    ("fr", "lampes UV", _P),
    ("fr", "lampe germicide", _P),
    ("fr", "lampes germicides", _P),
    ("fr", "stérilisateur UV", _W),
    ("fr", "stérilisateurs UV", _W),
    ("fr", "ballast électronique", _P),
    ("it", "lampada germicida", _P),
    ("it", "lampade germicide", _P),
    ("it", "lampada UV", _P),
    ("it", "lampade UV", _P),
    ("it", "sterilizzatore UV", _W),
    ("it", "sterilizzatori UV", _W),
    ("it", "reattore elettronico", _P),
    ("pt", "lâmpada UV", _P),
    ("pt", "lâmpadas UV", _P),
    ("pt", "lâmpada germicida", _P),
    ("pt", "lâmpadas germicidas", _P),
    ("pt", "esterilizador UV", _W),
    ("pt", "reator eletrônico", _P),
    ("ru", "бактерицидн", _P),
    ("ru", "УФ лампа", _P),
    ("ru", "УФ лампы", _P),
    ("ru", "УФ лампу", _P),
    ("ru", "УФ ламп", _P),
    ("ru", "ультрафиолетовая ламп", _P),
    ("ru", "ультрафиолетовые ламп", _P),
    ("ru", "ультрафиолетовой ламп", _P),
    ("ru", "ультрафиолетовую ламп", _P),
    ("ru", "ультрафиолетовых ламп", _P),
    ("ru", "УФ облучател", _P),
    ("ru", "рециркулятор", _P),
    ("ru", "амальгамн", _P),
    ("ru", "ЭПРА", _W),
    ("tr", "UV lamba", _P),
    ("tr", "UV-C lamba", _P),
    ("tr", "germisit lamba", _P),
    ("tr", "UV sterilizatör", _P),
    ("tr", "elektronik balast", _P),
    ("pl", "lampa UV", _P),
    ("pl", "lampy UV", _P),
    ("pl", "lampę UV", _P),
    ("pl", "lamp UV", _P),
    ("pl", "lampa bakteriobójcz", _P),
    ("pl", "lampy bakteriobójcz", _P),
    ("pl", "lampę bakteriobójcz", _P),
    ("pl", "lamp bakteriobójcz", _P),
    ("pl", "promiennik UV", _P),
    ("pl", "promienniki UV", _P),
    ("pl", "statecznik elektroniczn", _P),
    ("zh", "紫外线灯", _W),
    ("zh", "紫外灯", _W),
    ("zh", "杀菌灯", _W),
    ("zh", "消毒灯", _W),
    ("zh", "紫外线消毒车", _W),
    ("zh", "紫外线杀菌器", _W),
    ("zh", "紫外线消毒器", _W),
    ("zh", "汞齐灯", _W),
    ("zh", "镇流器", _W),
    ("ja", "殺菌灯", _W),
    ("ja", "紫外線ランプ", _W),
    ("ja", "UVランプ", _W),
)

# Form-letter phrases that carry no information about the sender's need.
_TEMPLATE_PHRASES: tuple[str, ...] = (
    "price list and catalog",
    "price list and catalogue",
    "catalog and price list",
    "catalogue and price list",
    "interested in your product",
    "interested in your products",
    "interested in your items",
    "interested in your company",
    "please contact me",
    "please contact us",
    "contact me asap",
    "contact me as soon as possible",
    "please reply",
    "waiting for your reply",
    "waiting for your response",
    "await your reply",
    "what is your best price",
    "send me your best price",
    "i want to buy your product",
    "i want to buy your products",
    "i would like to know more about your products",
    "i would like to know more about your company",
    "i want to know more about your products",
    "i am interested in your product",
    "bitte senden sie uns ihre preisliste",
    "bitte senden sie mir ihre preisliste",
    "bitte senden sie uns ihren katalog",
    "wir sind an ihren produkten interessiert",
    "interesse an ihren produkten",
    "estamos interesados en sus productos",
    "estoy interesado en sus productos",
    "por favor envíe su lista de precios",
    "por favor envíenos su catálogo",
    "nous sommes intéressés par vos produits",
    "je suis intéressé par vos produits",
    "veuillez nous envoyer votre catalogue",
    "veuillez nous envoyer votre liste de prix",
    "siamo interessati ai vostri prodotti",
    "inviateci il listino",
    "inviateci il catalogo",
    "estamos interessados em seus produtos",
    "estou interessado em seus produtos",
    "envie o catálogo",
    "envie a lista de preços",
    "прошу выслать прайс",
    "прошу выслать каталог",
    "пришлите прайс",
    "пришлите каталог",
    "интересует ваша продукция",
    "заинтересованы в вашей продукции",
    "ürünlerinizle ilgileniyoruz",
    "fiyat listesi gönderir misiniz",
    "katalog gönderir misiniz",
    "prosimy o przesłanie cennika",
    "prosimy o przesłanie katalogu",
    "jesteśmy zainteresowani waszymi produktami",
    "请发送价格表",
    "请发价格表",
    "请发目录",
    "请报价",
    "对贵公司的产品感兴趣",
    "对你们的产品感兴趣",
)

# Platform spam: sellers of services, not buyers of lamps.
_SPAM_PHRASES: tuple[str, ...] = (
    "seo",
    "search engine optimization",
    "search engine optimisation",
    "first page of google",
    "google ranking",
    "backlinks",
    "guest post",
    "web design services",
    "website redesign",
    "increase your website traffic",
    "digital marketing services",
    "mobile app development",
    "cryptocurrency",
    "bitcoin",
    "investment opportunity",
    "loan offer",
)

_GREETING_PHRASES: tuple[str, ...] = (
    "dear sir",
    "dear sirs",
    "dear madam",
    "dear friend",
    "dear manager",
    "dear supplier",
    "dear seller",
    "to whom it may concern",
    "hello sir",
    "sehr geehrte damen und herren",
    "estimado señor",
    "estimados señores",
    "madame monsieur",
    "messieurs",
    "gentili signori",
    "egregi signori",
    "prezados senhores",
    "уважаемые господа",
    "sayın yetkili",
    "szanowni państwo",
    "尊敬的先生",
)

_PRODUCT = "product"
_TEMPLATE = "template"
_SPAM = "spam"
_GREETING = "greeting"


def _phrase_keywords(slug: str, phrases: tuple[str, ...], mode: MatchMode) -> list[KeywordSpec]:
    return [KeywordSpec(phrase, slug, "", 1.0, False, mode) for phrase in phrases]


_PHRASES = compile_matcher(
    [
        IndustrySpec(_PRODUCT, "Our products", True, 1.0),
        IndustrySpec(_TEMPLATE, "Generic request", False, 1.0),
        IndustrySpec(_SPAM, "Platform spam", False, 1.0),
        IndustrySpec(_GREETING, "Greeting", False, 1.0),
    ],
    [
        *(KeywordSpec(term, _PRODUCT, language, 1.0, False, mode) for language, term, mode in _PRODUCT_TERMS),
        *_phrase_keywords(_TEMPLATE, _TEMPLATE_PHRASES, MatchMode.PHRASE),
        *_phrase_keywords(_SPAM, _SPAM_PHRASES, MatchMode.PHRASE),
        *_phrase_keywords(_GREETING, _GREETING_PHRASES, MatchMode.PHRASE),
    ],
    version="inquiry",
)

# The patterns below run on the normal form: lowercase, no accents, digits apart from letters.
_REQUEST_VERB = r"(?:please|pls|plz|kindly|could you|can you|would you)"
_SEND_VERB = r"(?:send|quote|share|provide|give|offer|email|mail)"
_GENERIC_REQUEST = re.compile(
    rf"\b{_REQUEST_VERB}(?: \w+){{0,3}} {_SEND_VERB}(?: \w+){{0,4}} "
    r"(?:price ?list|catalogs?|catalogues?|quotations?|quotes?|prices?|brochures?|fob|cif)\b"
    r"|\b(?:bitte|por favor|veuillez|per favore|prosze|lutfen) \w+(?: \w+){0,4} "
    r"(?:preisliste|katalog|lista de precios|catalogo|catalogue|liste de prix|listino|cennik\w*|fiyat listesi)\b"
)
_COUNTED_THINGS = r"(?:lamps?|tubes?|bulbs?|lights?|units?|sets?|trolleys?|carts?|sterili[sz]ers?|ballasts?|robots?|machines?)"
_QUANTITY = re.compile(
    r"\b[0-9]+ (?:pcs|pc|pieces?|units?|sets?|nos|lamps?|tubes?|bulbs?|cartons?|boxes|pallets?|containers?"
    r"|stuck|stk|unidades|piezas|pzas|pezzi|pz|pecas|unites|sztuk|szt|adet|шт|штук|штуки|единиц\w*|комплект\w*)\b"
    # "20 UV disinfection trolleys"; a year ("since 2010 our lamps") is not a quantity.
    rf"|\b(?!(?:19|20)[0-9]{{2}} )[0-9]+ (?:[^\W\d_]+ ){{1,2}}{_COUNTED_THINGS}\b"
    r"|\b[0-9]+ (?:个|只|支|台|套|件|根|箱)"
    r"|\b[0-9]+ x [0-9]+ (?:gp|hq|hc|ft|dc)\b|\b(?:20|40|45) (?:gp|hq|hc|ft container)|\b(?:fcl|lcl|moq)\b"
    r"|\b(?:qty|quantity|quantities|menge|cantidad|quantite|quantita|quantidade|количество|miktar|ilosc) [0-9]+"
    r"|\b(?:minimum order|mindestbestellmenge|pedido minimo|commande minimum|ordine minimo|minimum siparis)\b"
    r"|\bминимальн\w* (?:заказ|парти)\w*"
)
_SPEC = re.compile(
    r"\b[0-9]+ (?:w|watt|watts|kw|вт)\b"
    r"|\b[0-9]{3} nm\b"
    # Mains and low voltages only: Russian "в" is also the word "in" ("20 в Москве").
    r"|\b(?:12|24|36|48|110|120|127|220|230|240|277|380|400) (?:v|vac|vdc|volt|volts|в)\b|\b(?:50|60) hz\b"
    r"|\bip [0-6][0-9]\b|\bipx [0-9]\b"
    r"|\b[0-9]+ (?:m 3 h|m 3 hr|m 3 hour|m 3 d|gpm|lpm|l min|l h|t h|tph|cmh)\b|\bgpm\b"
    r"|\b[0-9]{3,6} (?:hours?|hrs?|h|stunden|std|heures|horas|ore|часов|ч|saat|godzin)\b"
    r"|\b[0-9]+ (?:uw|μw|mw|mj) cm 2\b"
    r"|\b[0-9]{3,4} mm\b"
)
# On the NFKC-casefolded message: a tube size or brand family with a wattage, "T8 36W", "TUV 30W".
_TUBE_WITH_WATTAGE = re.compile(
    r"(?<![a-z0-9])(?:t[5-8]|tuv|pl-?[lsc]|uv-?c)[ -]?[0-9]{1,3} ?w(?![a-z0-9])", re.ASCII
)
# One token of letters and digits, inner hyphens/slashes allowed, not part of an email, URL or longer word.
# Possessive quantifiers: a token that fails the lookahead fails whole, without backtracking into it.
_CODE_TOKEN = re.compile(
    r"(?<![\w@./-])[a-z][a-z0-9]*+(?:[-/][a-z0-9]++)*+(?![\w@]|[./-][a-z0-9])",
    re.ASCII,
)
_LETTER_OR_DIGIT_RUN = re.compile(r"[a-z]+|[0-9]+")
# Tokens shaped like codes that are vocabulary instead.
_NOT_MODELS = frozenset({"h2o2", "covid19", "win10", "win11", "mp3", "mp4", "a4", "b2b", "b2c", "iso9001"})


def _is_model_code(token: str) -> bool:
    """ZW36S19W, GPH436T5L, GPH-843T5L/4P: letters and digits alternating at least three times, 2+ digits."""
    if token.replace("-", "").replace("/", "") in _NOT_MODELS or len(token) > 24:
        return False
    runs = _LETTER_OR_DIGIT_RUN.findall(token)
    digits = sum(len(run) for run in runs if run.isdigit())
    return len(runs) >= 3 and digits >= 2


def _names_model(message: str) -> bool:
    folded = unicodedata.normalize("NFKC", message).casefold()
    if _TUBE_WITH_WATTAGE.search(folded) is not None:
        return True
    return any(_is_model_code(match.group()) for match in _CODE_TOKEN.finditer(folded))


def _word_count(normalized: str) -> float:
    """Words in normalised text; each character of an unspaced script counts as half a word."""
    words = normalized.split()
    unspaced = sum(1 for word in words if is_unspaced_script_char(word[0]))
    return len(words) - unspaced / 2


def judge_inquiry_text(message: str) -> InquirySignal:
    """Strong, weak or no authenticity signal from what the inquiry itself says, with reason codes."""
    normalized = normalize_text(message)
    if not normalized:
        return InquirySignal(InquiryStrength.NONE, (InquiryReason.EMPTY,))

    phrase_kinds = {hit.keyword.industry_slug for hit in _PHRASES.find(normalized)}
    specific = [
        reason
        for reason, found in (
            (InquiryReason.NAMES_PRODUCT, _PRODUCT in phrase_kinds),
            (InquiryReason.NAMES_MODEL, _names_model(message)),
            (InquiryReason.NAMES_QUANTITY, _QUANTITY.search(normalized) is not None),
            (InquiryReason.NAMES_SPEC, _SPEC.search(normalized) is not None),
        )
        if found
    ]
    if specific:
        return InquirySignal(InquiryStrength.STRONG, tuple(specific))

    words = _word_count(normalized)
    is_template = (
        bool(phrase_kinds & {_TEMPLATE, _SPAM})
        or _GENERIC_REQUEST.search(normalized) is not None
        or (_GREETING in phrase_kinds and words <= _MAX_GREETING_MESSAGE_WORDS)
        or words < _MIN_SPECIFIC_WORDS
    )
    if is_template:
        return InquirySignal(InquiryStrength.WEAK, (InquiryReason.GENERIC_TEMPLATE,))
    return InquirySignal(InquiryStrength.NONE, (InquiryReason.NO_SPECIFICS,))
