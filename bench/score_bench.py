"""Throughput of fit scoring: 3,000 keyword terms over ~8 MB of multilingual page text.

Run from the project root: ``.venv/bin/python bench/score_bench.py [--megabytes 8] [--repeat 5]``.

Ours is measured end to end (normalise + Aho-Corasick match + score, page by page, as a
worker scores a lead) and, in the same run, a naive baseline: one compiled regex
``\\b(?:term1|term2|...)\\b`` with re.IGNORECASE over the same raw text. Throughput is in
MB/s of UTF-8 text (1 MB = 10^6 bytes). "cold" clears the normaliser's token memo before
each repetition (a fresh worker); "warm" keeps it (a worker that has seen pages before).
Normalisation alone and matching alone are timed too, to show where the time goes. Rates
are given in CPU time of this process as well as wall-clock time: on a shared machine the
wall clock also counts time the cores spent on other people's work.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leads.scoring.matcher import Matcher, compile_matcher  # noqa: E402
from leads.scoring.normalize import clear_token_cache, normalize_text  # noqa: E402
from leads.scoring.score import score_fit  # noqa: E402
from leads.scoring.specs import IndustrySpec, KeywordSpec, MatchMode, SectionKind, TextSection  # noqa: E402

TERM_COUNT = 3_000
PAGE_CHARS = 100_000  # the verification step caps a page's visible text near this
TARGET_MB_S = 20.0

# Vocabulary per language, most frequent first (the generator draws with Zipf-like weights).
_LANGUAGE_WORDS: dict[str, str] = {
    "en": "the of and to in a is for our with we on are your by from that as this or all more "
    "products company quality service customers contact about news home price equipment system "
    "solutions project design high new best support delivery order industry team "
    "years experience world professional technology installation maintenance free shipping "
    "information privacy policy terms conditions copyright reserved rights email phone address",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch "
    "es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen "
    "so zum Unternehmen Produkte Qualität Lösungen Kunden Anlagen Service Kontakt Impressum "
    "Datenschutz Lieferung Größe Straße Geschäftsführer Händler Zubehör Übersicht",
    "fr": "de la le et les des en un du une est pour que qui dans par sur au avec plus pas ne "
    "nous vous sont ce il à été entreprise produits qualité société clients contactez-nous "
    "l'entreprise d'une l'équipe données accueil mentions légales livraison société réseau",
    "es": "de la que el en y a los del se las por un para con no una su al lo como más pero sus "
    "le ya o este sí porque esta entre cuando empresa productos calidad servicio clientes "
    "contacto años diseño fabricación instalación soluciones información envío teléfono",
    "it": "di e il la che in a per un è del non sono da con una le si dei nel alla più anche "
    "azienda prodotti qualità servizio clienti contatti soluzioni impianti progettazione "
    "assistenza informazioni città società perché così",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas "
    "empresa produtos qualidade serviço clientes contato soluções instalação informações "
    "distribuição fabricação atenção são também já",
    "tr": "ve bir bu da için ile de çok daha olarak en gibi kadar sonra ürünler hizmet kalite "
    "müşteri iletişim şirket hakkımızda çözümler üretim İstanbul Türkiye ürünlerimiz sayfası",
    "pl": "i w na z do się nie że to jest o jak po co ale od za tak dla firma produkty jakość "
    "usługi klienci kontakt rozwiązania oferta producent dostawa łódź świadczymy źródło",
    "ru": "и в не на что с по это как а из у к от о за для компания продукция качество услуги "
    "клиенты контакты решения производство доставка оборудование цены каталог новости ещё",
    "zh": "我们的公司产品质量服务客户联系关于新闻首页价格设备系统解决方案项目设计专业技术安装维护"
    "信息隐私政策条款版权所有电话地址欢迎访问有限公司生产销售研发",
}
_LANGUAGE_SHARE: dict[str, float] = {
    "en": 0.38,
    "de": 0.08,
    "fr": 0.08,
    "es": 0.08,
    "it": 0.06,
    "pt": 0.06,
    "tr": 0.06,
    "pl": 0.06,
    "ru": 0.08,
    "zh": 0.06,
}
_PUNCTUATION = [",", ".", ":", ";", "!", "?", " -", " |", " /", " –", "’s", ")", "…"]

# Pieces for generated terms that read like trade vocabulary: "|"-separated heads, then tails.
_GENERATED_TERM_PARTS: dict[str, tuple[str, str]] = {
    "en": (
        "industrial|municipal|commercial|medical|portable|automatic|residential|marine|agricultural|organic|"
        "hospital|laboratory|dental|veterinary|poultry|dairy|brewery|seafood|pharmaceutical|greenhouse|"
        "hydroponic|cooling|compact|modular|stainless|high-output|low-pressure",
        "water treatment|wastewater plant|disinfection unit|air purifier|filtration system|sterilizer|"
        "ozone generator|reverse osmosis|fish farm|aquaculture system|cleanroom|fume extractor|"
        "scrubber|odor control|ballast water|cooling tower|swimming pool|spa equipment|"
        "food processing line|bottling plant|hvac system|duct cleaning|clinic supplies|lab equipment",
    ),
    "de": (
        "Wasser|Abwasser|Trinkwasser|Luft|Schwimmbad|Kühl|Klär|Lebensmittel|Getränke|Labor|"
        "Krankenhaus|Praxis|Fisch|Gewächshaus|Industrie|Kommunal|Prozess|Brauch|Regen|Grund",
        "aufbereitung|behandlung|reinigung|desinfektion|entkeimung|anlage|technik|filter|"
        "versorgung|wirtschaft|zucht|bedarf|hygiene|sterilisation",
    ),
    "fr": (
        "traitement|station|désinfection|purification|filtration|stérilisation|épuration|équipement",
        "de l'eau|des eaux usées|de l'air|des piscines|hospitalière|industrielle|agroalimentaire|"
        "aquacole|des fumées|municipale|de laboratoire|des effluents",
    ),
    "es": (
        "tratamiento|planta|desinfección|purificación|filtración|esterilización|depuración|equipos",
        "de agua|de aguas residuales|del aire|de piscinas|hospitalaria|industrial|alimentaria|"
        "acuícola|de humos|municipal|de laboratorio|de efluentes",
    ),
    "it": (
        "trattamento|impianto|disinfezione|depurazione|filtrazione|sterilizzazione|potabilizzazione",
        "delle acque|acque reflue|dell'aria|piscine|ospedaliera|industriale|alimentare|"
        "acquacoltura|dei fumi|comunale|di laboratorio",
    ),
    "pt": (
        "tratamento|estação|desinfecção|purificação|filtração|esterilização|equipamentos",
        "de água|de esgoto|do ar|de piscinas|hospitalar|industrial|alimentar|aquícola|municipal",
    ),
    "tr": (
        "su|atık su|hava|havuz|gıda|hastane|laboratuvar|endüstriyel|balık",
        "arıtma|arıtma tesisi|dezenfeksiyon|sterilizasyon|filtrasyon|işleme|çiftliği|ekipmanları",
    ),
    "pl": (
        "uzdatnianie|oczyszczanie|dezynfekcja|sterylizacja|filtracja|oczyszczalnia|stacja",
        "wody|ścieków|powietrza|basenów|szpitalna|przemysłowa|spożywcza|ryb|laboratoryjna",
    ),
    "ru": (
        "очистка|обеззараживание|дезинфекция|стерилизация|водоподготовка|фильтрация|станция",
        "воды|сточных вод|воздуха|бассейнов|больничная|промышленная|пищевая|рыбы|лабораторная",
    ),
    "zh": (
        "水|污水|空气|泳池|食品|医院|实验室|工业|水产|废气",
        "处理|净化|消毒|杀菌|过滤|设备|工程|系统|养殖",
    ),
}


@dataclass(frozen=True, slots=True)
class Corpus:
    pages: tuple[tuple[TextSection, ...], ...]
    raw_text: str  # every section's text joined, for the regex baseline
    megabytes: float


def _load_seed() -> tuple[list[IndustrySpec], list[KeywordSpec], str]:
    """The seed lists when ``leads.scoring.seed`` is importable and shaped as specs; else none."""
    try:
        from leads.scoring import seed  # optional: written separately
    except Exception as error:  # a missing or half-written seed only means generated terms instead
        return [], [], f"seed not importable: {type(error).__name__}"
    industries = [item for item in getattr(seed, "INDUSTRIES", ()) if isinstance(item, IndustrySpec)]
    keywords = [item for item in getattr(seed, "KEYWORDS", ()) if isinstance(item, KeywordSpec)]
    slugs = {industry.slug for industry in industries}
    keywords = [keyword for keyword in keywords if keyword.industry_slug in slugs]
    if not industries or not keywords:
        return [], [], "seed has no IndustrySpec/KeywordSpec lists"
    return industries, keywords[:TERM_COUNT], f"{min(len(keywords), TERM_COUNT):,} from the seed"


def build_keywords(rng: random.Random) -> tuple[list[IndustrySpec], list[KeywordSpec], str]:
    """Exactly TERM_COUNT keywords: the seed first, topped up with generated trade-like terms."""
    industries, keywords, seed_note = _load_seed()
    generated_industries = [
        IndustrySpec("bench-water", "Water treatment (generated)", True, 1.0),
        IndustrySpec("bench-health", "Healthcare (generated)", True, 1.0),
        IndustrySpec("bench-unrelated", "Unrelated (generated)", False, 1.0),
    ]
    industries = [*industries, *generated_industries]
    seen = {keyword.term.casefold() for keyword in keywords}
    languages = list(_GENERATED_TERM_PARTS)
    modes = [MatchMode.WORD, MatchMode.PHRASE, MatchMode.PREFIX]
    while len(keywords) < TERM_COUNT:
        language = rng.choice(languages)
        heads, tails = (pieces.split("|") for pieces in _GENERATED_TERM_PARTS[language])
        head, tail = rng.choice(heads), rng.choice(tails)
        joiner = "" if language == "de" or language == "zh" else " "
        term = f"{head}{joiner}{tail}"
        if language == "de":
            term = term.capitalize()
        if rng.random() < 0.4:  # a third word makes most of the list distinct, as real lists are
            term = f"{rng.choice(heads)} {term}" if language != "zh" else f"{rng.choice(heads)}{term}"
        if term.casefold() in seen:
            continue
        seen.add(term.casefold())
        industry = rng.choice(generated_industries)
        keywords.append(
            KeywordSpec(
                term=term,
                industry_slug=industry.slug,
                language=language,
                weight=rng.choice([0.5, 1.0, 1.0, 1.5, 2.0]),
                is_negative=not industry.is_target,
                match_mode=rng.choice(modes),
            )
        )
    return industries, keywords, seed_note


def _zipf_sampler(words: Sequence[str], rng: random.Random) -> Callable[[int], list[str]]:
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return lambda count: rng.choices(words, weights=weights, k=count)


def _sentence(language: str, samplers: dict[str, Callable[[int], list[str]]], rng: random.Random) -> str:
    if language == "zh":
        return "".join(samplers["zh"](rng.randint(12, 40))) + rng.choice(["。", "，", "！", "："])
    words = samplers[language](rng.randint(6, 18))
    words[0] = words[0].capitalize()
    for index in range(len(words)):
        roll = rng.random()
        if roll < 0.06:
            words[index] += rng.choice(_PUNCTUATION)
        elif roll < 0.08:
            words[index] = rng.choice(
                ["2024", "36W", "254nm", "ISO-9001", "24/7", "+49", "T5", "100%", "€1.200"]
            )
    return " ".join(words) + rng.choice([".", ".", ".", "!", "?"])


def build_corpus(keywords: Sequence[KeywordSpec], megabytes: float, rng: random.Random) -> Corpus:
    """Pages of multilingual text with a keyword term every ~150 words; titles and headings too."""
    samplers = {
        language: _zipf_sampler(words.split() if language != "zh" else list(words), rng)
        for language, words in _LANGUAGE_WORDS.items()
    }
    languages = list(_LANGUAGE_SHARE)
    shares = list(_LANGUAGE_SHARE.values())
    terms = [keyword.term for keyword in keywords]
    target_bytes = int(megabytes * 1_000_000)
    pages: list[tuple[TextSection, ...]] = []
    total_bytes = 0
    while total_bytes < target_bytes:
        language = rng.choices(languages, weights=shares)[0]
        url = f"https://example-{len(pages)}.test/"
        parts: list[str] = []
        size = 0
        while size < PAGE_CHARS:
            sentence = _sentence(language, samplers, rng)
            if rng.random() < 0.08:  # ~1 term per 150 words
                sentence = f"{sentence} {rng.choice(terms)}"
            parts.append(sentence)
            size += len(sentence) + 1
        body = " ".join(parts)
        title = f"{rng.choice(terms)} | {_sentence(language, samplers, rng)}"
        headings = " ".join(_sentence(language, samplers, rng) for _ in range(6))
        page = (
            TextSection(SectionKind.TITLE, title, url),
            TextSection(SectionKind.HEADING, headings, url),
            TextSection(SectionKind.BODY, body, url),
        )
        pages.append(page)
        total_bytes += sum(len(section.text.encode()) for section in page)
    raw_text = "\n".join(section.text for page in pages for section in page)
    return Corpus(tuple(pages), raw_text, len(raw_text.encode()) / 1_000_000)


def run_ours(matcher: Matcher, corpus: Corpus) -> int:
    """Score every page; returns the total number of matched occurrences."""
    return sum(match.count for page in corpus.pages for match in score_fit(matcher, page).matches)


def build_regex(keywords: Sequence[KeywordSpec]) -> re.Pattern[str]:
    # Longest first, so the alternation prefers the longer of two terms sharing a start, as ours does.
    alternatives = sorted({keyword.term for keyword in keywords}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b", re.IGNORECASE)


def run_normalize(corpus: Corpus) -> int:
    return sum(len(normalize_text(section.text)) for page in corpus.pages for section in page)


def run_match(matcher: Matcher, normalized: Sequence[str]) -> int:
    return sum(len(matcher.tally(text)) for text in normalized)


def run_regex(pattern: re.Pattern[str], corpus: Corpus) -> int:
    return sum(1 for _ in pattern.finditer(corpus.raw_text))


@dataclass(frozen=True, slots=True)
class Run:
    wall_s: float
    cpu_s: float  # this process's CPU time: what the code costs, whatever else the shared machine runs
    matches: int


def _timed(action: Callable[[], int], before: Callable[[], None] | None = None) -> Run:
    if before is not None:
        before()
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    matches = action()
    return Run(time.perf_counter() - wall_started, time.process_time() - cpu_started, matches)


@dataclass(frozen=True, slots=True)
class Rates:
    wall_best: float
    wall_median: float
    cpu_best: float
    cpu_median: float

    def describe(self, runs: int) -> str:
        return (
            f"CPU best {self.cpu_best:6.2f}, median {self.cpu_median:6.2f} MB/s; "
            f"wall best {self.wall_best:6.2f}, median {self.wall_median:6.2f} MB/s ({runs} runs)"
        )


def _rates(runs: Sequence[Run], megabytes: float) -> Rates:
    wall = [run.wall_s for run in runs]
    cpu = [run.cpu_s for run in runs]
    return Rates(
        megabytes / min(wall),
        megabytes / statistics.median(wall),
        megabytes / min(cpu),
        megabytes / statistics.median(cpu),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=8.0, help="size of the generated text (default 8)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of ours (default 5)")
    parser.add_argument("--regex-repeat", type=int, default=2, help="repetitions of the baseline (default 2)")
    parser.add_argument("--seed", type=int, default=20_240_611, help="random seed for the generated data")
    arguments = parser.parse_args()

    load_before = os.getloadavg()[0]
    rng = random.Random(arguments.seed)
    industries, keywords, seed_note = build_keywords(rng)
    corpus = build_corpus(keywords, arguments.megabytes, rng)

    started = time.perf_counter()
    matcher = compile_matcher(industries, keywords, "bench")
    compile_s = time.perf_counter() - started
    started = time.perf_counter()
    pattern = build_regex(keywords)
    regex_compile_s = time.perf_counter() - started

    cold = [
        _timed(lambda: run_ours(matcher, corpus), before=clear_token_cache) for _ in range(arguments.repeat)
    ]
    warm = [_timed(lambda: run_ours(matcher, corpus)) for _ in range(arguments.repeat)]
    normalize_only = [_timed(lambda: run_normalize(corpus)) for _ in range(arguments.repeat)]
    normalized = [normalize_text(section.text) for page in corpus.pages for section in page]
    match_only = [_timed(lambda: run_match(matcher, normalized)) for _ in range(arguments.repeat)]
    print(
        f"timing the regex baseline ({arguments.regex_repeat} runs, about a minute each)…",
        file=sys.stderr,
    )
    regex = [_timed(lambda: run_regex(pattern, corpus)) for _ in range(arguments.regex_repeat)]

    ours_cold, ours_warm, normalizing, matching, baseline = (
        _rates(runs, corpus.megabytes) for runs in (cold, warm, normalize_only, match_only, regex)
    )
    lines = [
        f"machine:          {os.cpu_count()} cores, load average {load_before:.1f} at start "
        "(wall-clock rates shrink when other work shares the cores; CPU-time rates do not)",
        f"terms:            {len(keywords):,} ({seed_note}; rest generated), {len(matcher.keywords):,} compiled",
        f"text:             {corpus.megabytes:.2f} MB UTF-8 in {len(corpus.pages)} pages, 10 languages",
        f"compile:          ours {compile_s * 1000:.0f} ms, regex {regex_compile_s * 1000:.0f} ms",
        f"matches:          ours {cold[0].matches:,} (normalised, leftmost-longest), "
        f"regex {regex[0].matches:,} (raw text)",
        f"ours, cold memo:  {ours_cold.describe(len(cold))}",
        f"ours, warm memo:  {ours_warm.describe(len(warm))}",
        f"  normalise only: {normalizing.describe(len(normalize_only))}",
        f"  match only:     {matching.describe(len(match_only))}",
        f"regex baseline:   {baseline.describe(len(regex))}",
        f"speed-up:         {ours_cold.cpu_median / baseline.cpu_median:.0f}× cold, "
        f"{ours_warm.cpu_median / baseline.cpu_median:.0f}× warm (CPU-time medians)",
    ]
    for label, rates in (("cold", ours_cold), ("warm", ours_warm)):
        verdict = "meets" if rates.cpu_median >= TARGET_MB_S else "misses"
        lines.append(
            f"target {TARGET_MB_S:.0f} MB/s:   {verdict} it ({label}: CPU-time median {rates.cpu_median:.1f} MB/s, "
            f"wall-clock median {rates.wall_median:.1f} MB/s)"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
