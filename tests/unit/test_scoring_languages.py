"""The seed keyword lists score real-looking company pages: targets in every language high, unrelated ones low."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from leads.scoring.matcher import Matcher, compile_matcher
from leads.scoring.score import FitResult, score_fit
from leads.scoring.seed import INDUSTRIES, KEYWORDS
from leads.scoring.specs import SectionKind, TextSection

TARGET_FLOOR = 60
UNRELATED_CEILING = 30


@dataclass(frozen=True)
class SitePage:
    """A company home page as the verification step sees it."""

    language: str
    title: str
    meta: str
    headings: tuple[str, ...]
    body: str
    industry: str  # the seed industry the page should be recognised as

    def sections(self) -> list[TextSection]:
        source = "https://example.test/"
        return [
            TextSection(SectionKind.TITLE, self.title, source),
            TextSection(SectionKind.META, self.meta, source),
            *(TextSection(SectionKind.HEADING, heading, source) for heading in self.headings),
            TextSection(SectionKind.BODY, self.body, source),
        ]

    def word_count(self) -> int:
        return sum(len(section.text.split()) for section in self.sections())


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_matcher(INDUSTRIES, KEYWORDS, "seed")


def _matched_industries(result: FitResult) -> set[str]:
    return {match.industry_slug for match in result.matches if not match.is_negative}


TARGET_PAGES: dict[str, SitePage] = {
    "de-wasseraufbereitung": SitePage(
        language="de",
        title="Hartmann Wassertechnik GmbH – Wasseraufbereitung und Abwasserbehandlung aus Bayern",
        meta=(
            "Planung, Bau und Wartung von Anlagen zur Trinkwasseraufbereitung, Abwasserreinigung "
            "und UV-Desinfektion für Kommunen und Industrie."
        ),
        headings=(
            "Trinkwasseraufbereitung für Kommunen",
            "Industrielle Abwasserbehandlung",
            "Service und Wartung",
        ),
        body=(
            "Seit 1987 plant und baut die Hartmann Wassertechnik GmbH Anlagen zur Wasseraufbereitung für "
            "Stadtwerke, Zweckverbände und mittelständische Industriebetriebe. Unser Leistungsspektrum reicht "
            "von der Enthärtung und Filtration über Umkehrosmose bis zur UV-Desinfektion von Trink- und "
            "Prozesswasser. Für kommunale Kläranlagen liefern wir Schlammbehandlung, Belüftungssysteme und die "
            "Nachrüstung einer vierten Reinigungsstufe. In der Lebensmittel- und Getränkeindustrie sorgen unsere "
            "Anlagen für hygienisch einwandfreies Produktwasser. Unser Serviceteam übernimmt Wartung, Probenahme "
            "und Störungsbehebung rund um die Uhr. Sprechen Sie mit uns über Ihr Projekt – wir beraten Sie gern "
            "vor Ort."
        ),
        industry="water_treatment",
    ),
    "fr-station-epuration": SitePage(
        language="fr",
        title="Aqua Épure Sud – Construction de stations d'épuration et traitement des eaux usées",
        meta=(
            "Entreprise spécialisée dans la conception, la construction et l'exploitation de stations "
            "d'épuration pour les collectivités et les industriels."
        ),
        headings=(
            "Stations d'épuration communales",
            "Traitement des eaux usées industrielles",
            "Désinfection UV des rejets",
        ),
        body=(
            "Depuis vingt ans, Aqua Épure Sud accompagne les communes et les syndicats intercommunaux dans leurs "
            "projets d'assainissement. Nous concevons et construisons des stations d'épuration à boues activées, "
            "des filtres plantés de roseaux et des unités de traitement tertiaire. Pour les sites de baignade et "
            "les zones conchylicoles, nous installons des réacteurs de désinfection UV qui garantissent la "
            "qualité bactériologique des eaux rejetées. Nos équipes interviennent également sur le traitement de "
            "l'eau potable, la déshydratation des boues et la réhabilitation des réseaux. Chaque projet fait "
            "l'objet d'une étude personnalisée, du diagnostic à la mise en service."
        ),
        industry="water_treatment",
    ),
    "es-acuicultura": SitePage(
        language="es",
        title="Piscifactoría Ría de Arousa – Acuicultura sostenible de rodaballo y lubina",
        meta=(
            "Empresa familiar de acuicultura en Galicia: cría de peces en sistemas de recirculación, "
            "alevines propios y venta a distribuidores."
        ),
        headings=(
            "Nuestra piscifactoría",
            "Cría de peces con recirculación",
            "Calidad del agua y bioseguridad",
        ),
        body=(
            "Desde 1994 criamos rodaballo y lubina en nuestra piscifactoría de la costa gallega. Trabajamos con "
            "sistemas de recirculación acuícola que reutilizan más del noventa por ciento del agua, con "
            "filtración mecánica, biofiltros y desinfección ultravioleta para mantener a raya los patógenos. "
            "Nuestro criadero produce alevines propios, lo que nos permite controlar toda la cadena desde el "
            "huevo hasta el pescado de ración. La acuicultura responsable exige un control diario de oxígeno, "
            "temperatura y amoníaco, y un protocolo estricto de bioseguridad. Suministramos pescado fresco a "
            "mayoristas, restaurantes y cadenas de supermercados de toda España."
        ),
        industry="aquaculture",
    ),
    "it-ospedale-disinfezione": SitePage(
        language="it",
        title="Medisan Forniture Ospedaliere – Disinfezione e sterilizzazione per ospedali e cliniche",
        meta=(
            "Distributore di apparecchiature per la sterilizzazione, lampade germicide UV-C e prodotti per "
            "la sanificazione di sale operatorie e reparti ospedalieri."
        ),
        headings=(
            "Sterilizzazione e centrali di sterilizzazione",
            "Disinfezione UV-C degli ambienti",
            "Assistenza tecnica in tutta Italia",
        ),
        body=(
            "Medisan fornisce da oltre trent'anni ospedali pubblici, case di cura e poliambulatori in tutta "
            "Italia. Il nostro catalogo comprende autoclavi, termodisinfettori, sistemi di tracciabilità e "
            "carrelli per la disinfezione UV-C delle sale operatorie e delle camere di degenza. Le lampade "
            "germicide che distribuiamo riducono la carica batterica sulle superfici e nell'aria in pochi "
            "minuti, senza residui chimici. Collaboriamo con le direzioni sanitarie e con gli uffici acquisti "
            "delle aziende ospedaliere per progettare protocolli di sanificazione su misura. Il nostro servizio "
            "tecnico garantisce installazione, convalida e manutenzione programmata."
        ),
        industry="sterilization_disinfection",
    ),
    "pt-tratamento-de-agua": SitePage(
        language="pt",
        title="HidroPura Soluções Ambientais – Tratamento de água e efluentes industriais",
        meta=(
            "Projetos de estações de tratamento de água (ETA) e estações de tratamento de esgoto (ETE) "
            "para indústrias, condomínios e prefeituras."
        ),
        headings=(
            "Estação de tratamento de água",
            "Tratamento de efluentes industriais",
            "Desinfecção por radiação ultravioleta",
        ),
        body=(
            "A HidroPura atua há quinze anos no mercado de saneamento e tratamento de água em todo o Brasil. "
            "Projetamos, fabricamos e instalamos estações compactas de tratamento de água e de esgoto, sistemas "
            "de osmose reversa, filtros de areia e carvão ativado, além de equipamentos de desinfecção por luz "
            "ultravioleta. Nossos clientes incluem indústrias de alimentos e bebidas, hospitais, condomínios "
            "residenciais e prefeituras. Oferecemos análises laboratoriais, operação assistida e contratos de "
            "manutenção preventiva, garantindo que a água tratada atenda às exigências da legislação ambiental. "
            "Fale com nossos engenheiros e solicite um orçamento sem compromisso."
        ),
        industry="water_treatment",
    ),
    "tr-su-aritma": SitePage(
        language="tr",
        title="Ege Su Arıtma Sistemleri – Endüstriyel su arıtma ve atık su arıtma tesisleri",
        meta=(
            "İzmir merkezli firmamız içme suyu arıtma, atık su arıtma tesisi kurulumu, ters ozmoz ve UV "
            "dezenfeksiyon sistemleri sunmaktadır."
        ),
        headings=("Endüstriyel Su Arıtma", "Atık Su Arıtma Tesisleri", "UV Dezenfeksiyon Sistemleri"),
        body=(
            "Ege Su Arıtma, 2005 yılından bu yana sanayi kuruluşları, oteller, hastaneler ve belediyeler için "
            "anahtar teslim su arıtma çözümleri üretmektedir. Ters ozmoz sistemleri, kum ve aktif karbon "
            "filtreleri, su yumuşatma cihazları ve UV lambalı dezenfeksiyon üniteleri kendi tesisimizde "
            "üretilmektedir. Paket atık su arıtma tesislerimiz küçük yerleşim yerleri ve organize sanayi "
            "bölgeleri için idealdir. Uzman mühendis kadromuz keşif, projelendirme, montaj ve periyodik bakım "
            "hizmetlerini eksiksiz olarak yürütmektedir. Türkiye'nin her bölgesine ve yurt dışına hizmet "
            "veriyoruz."
        ),
        industry="water_treatment",
    ),
    "pl-oczyszczalnia-sciekow": SitePage(
        language="pl",
        title="EkoHydro Sp. z o.o. – Budowa oczyszczalni ścieków i stacji uzdatniania wody",
        meta=(
            "Projektujemy i budujemy komunalne oczyszczalnie ścieków, przydomowe oczyszczalnie oraz stacje "
            "uzdatniania wody dla gmin i przemysłu."
        ),
        headings=(
            "Oczyszczalnie ścieków komunalnych",
            "Stacje uzdatniania wody",
            "Dezynfekcja UV ścieków oczyszczonych",
        ),
        body=(
            "EkoHydro od ponad dwudziestu lat realizuje inwestycje w zakresie gospodarki wodno-ściekowej na "
            "terenie całej Polski. Budujemy i modernizujemy oczyszczalnie ścieków komunalnych i przemysłowych, "
            "sieci kanalizacyjne oraz stacje uzdatniania wody pitnej. W naszych obiektach stosujemy osadniki "
            "wtórne, reaktory biologiczne i lampy UV do dezynfekcji ścieków przed odprowadzeniem do odbiornika. "
            "Dla klientów przemysłowych projektujemy podczyszczalnie ścieków z branży spożywczej i chemicznej. "
            "Zapewniamy pełną obsługę: od koncepcji i pozwoleń wodnoprawnych, przez wykonawstwo, aż po rozruch "
            "i serwis gwarancyjny."
        ),
        industry="water_treatment",
    ),
    "ru-vodopodgotovka": SitePage(
        language="ru",
        title="АкваСистемы – водоподготовка и очистка сточных вод для промышленности",
        meta=(
            "Проектирование, поставка и монтаж систем водоподготовки, очистных сооружений и установок "
            "УФ-обеззараживания воды."
        ),
        headings=(
            "Водоподготовка для котельных и производств",
            "Очистные сооружения сточных вод",
            "УФ-обеззараживание воды",
        ),
        body=(
            "Компания «АкваСистемы» с 2008 года проектирует и строит системы водоподготовки для промышленных "
            "предприятий, котельных, гостиниц и коттеджных посёлков. Мы поставляем установки обратного осмоса, "
            "фильтры обезжелезивания и умягчения воды, а также установки ультрафиолетового обеззараживания с "
            "бактерицидными лампами. Для предприятий пищевой промышленности и муниципальных заказчиков мы "
            "строим локальные очистные сооружения и модернизируем существующие станции очистки сточных вод. "
            "Наши инженеры выполняют анализ исходной воды, подбор оборудования, шеф-монтаж и сервисное "
            "обслуживание по всей России и странам СНГ."
        ),
        industry="water_treatment",
    ),
    "en-uv-lamp-distributor": SitePage(
        language="en",
        title="BrightPure UV Ltd – UV germicidal lamps, ballasts and UV sterilizers",
        meta=(
            "Distributor of UV-C germicidal lamps, amalgam lamps, electronic ballasts and replacement quartz "
            "sleeves for water and air disinfection."
        ),
        headings=(
            "Germicidal UV-C lamps",
            "Electronic ballasts",
            "Replacement parts for UV water sterilizers",
        ),
        body=(
            "BrightPure UV supplies low-pressure and amalgam UV lamps to water treatment contractors, HVAC "
            "installers and OEM equipment builders across the UK and Ireland. Our range covers T5 and T8 "
            "germicidal tubes emitting at 254 nm, ozone-free and ozone-generating versions, and high-output "
            "amalgam lamps for large UV reactors. Every lamp is matched to a tested electronic ballast, and we "
            "stock quartz sleeves, O-rings and UV intensity sensors for all major brands. Whether you maintain a "
            "municipal UV disinfection plant, a swimming pool or an air handling unit with in-duct UV-C, our "
            "technical team will help you choose the right replacement. Orders placed before 3 pm ship the same "
            "day."
        ),
        industry="uv_products",
    ),
    "zh-shuichuli": SitePage(
        language="zh",
        title="绿源环保科技有限公司 – 污水处理与紫外线消毒设备",
        meta="专业从事污水处理、中水回用、紫外线杀菌灯及水处理设备的研发、生产与销售。",
        headings=("污水处理工程", "紫外线消毒设备", "售后服务"),
        body=(
            "绿源环保科技有限公司成立于2006年，是一家集研发、生产、销售和工程安装于一体的环保企业。"
            "公司主要产品包括一体化污水处理设备、反渗透纯水设备、紫外线消毒器和低压汞灯，"
            "广泛应用于市政污水、医院污水、食品加工和水产养殖等领域。"
            "我们拥有专业的技术团队，可为客户提供方案设计、设备制造、安装调试和运营维护的一站式服务。"
        ),
        industry="water_treatment",
    ),
}


@pytest.mark.parametrize("page", TARGET_PAGES.values(), ids=TARGET_PAGES.keys())
def test_target_company_page_scores_at_least_60(matcher: Matcher, page: SitePage) -> None:
    result = score_fit(matcher, page.sections())
    assert result.score >= TARGET_FLOOR, result.explanation


@pytest.mark.parametrize("page", TARGET_PAGES.values(), ids=TARGET_PAGES.keys())
def test_target_company_page_is_recognised_as_its_own_industry(matcher: Matcher, page: SitePage) -> None:
    result = score_fit(matcher, page.sections())
    assert page.industry in _matched_industries(result), result.explanation
    assert not any(match.is_negative for match in result.matches), result.explanation


@pytest.mark.parametrize("page", TARGET_PAGES.values(), ids=TARGET_PAGES.keys())
def test_target_company_page_matches_terms_of_its_own_language(matcher: Matcher, page: SitePage) -> None:
    result = score_fit(matcher, page.sections())
    assert any(match.language == page.language for match in result.matches), result.explanation


def test_every_required_language_has_a_target_page() -> None:
    required = {"en", "de", "fr", "es", "it", "pt", "tr", "pl", "ru"}
    assert required <= {page.language for page in TARGET_PAGES.values()}


@pytest.mark.parametrize("page", TARGET_PAGES.values(), ids=TARGET_PAGES.keys())
def test_sample_pages_have_the_length_of_a_real_home_page(page: SitePage) -> None:
    if page.language == "zh":
        # Chinese is written without spaces: count characters, about two per English word.
        assert 160 <= sum(len(section.text) for section in page.sections()) <= 600
    else:
        assert 80 <= page.word_count() <= 300


UNRELATED_PAGES: dict[str, SitePage] = {
    "en-fashion-retailer": SitePage(
        language="en",
        title="Maison Rouge | Women's Clothing, Dresses & Handbags – Free UK Delivery",
        meta=(
            "Shop the new season at Maison Rouge: women's clothing, dresses, knitwear, handbags and sneakers "
            "from independent designers."
        ),
        headings=("New In: Autumn Collection", "Dresses for Every Occasion", "Handbags & Accessories"),
        body=(
            "Maison Rouge is an independent fashion boutique founded in Brighton in 2012. We hand-pick "
            "womenswear from small European labels, from relaxed linen dresses to tailored wool coats and "
            "everyday sneakers. Every piece is chosen for quality, fit and timeless style, so you can build a "
            "wardrobe that lasts beyond one season. Join our newsletter for early access to the sale, styling "
            "tips from our team and invitations to in-store events. Free delivery on UK orders over £50 and free "
            "returns within 30 days. Visit our flagship store on North Laine or shop online 24/7."
        ),
        industry="fashion_apparel",
    ),
    "it-fashion-boutique": SitePage(
        language="it",
        title="Boutique Elena – Abbigliamento donna e accessori a Milano",
        meta=(
            "Moda donna made in Italy: abiti, maglieria, borse e scarpe delle migliori firme. Spedizione "
            "gratuita in tutta Italia."
        ),
        headings=("Nuovi arrivi", "Moda donna autunno inverno", "Il nostro negozio di abbigliamento"),
        body=(
            "Dal 1998 Boutique Elena veste le donne milanesi con capi selezionati tra i migliori marchi "
            "italiani. Nel nostro negozio di abbigliamento in corso Buenos Aires troverai abiti da cerimonia, "
            "maglioni in cashmere, cappotti e una ricca selezione di borse in pelle. Le nostre consulenti di "
            "stile ti aiutano a creare look per il lavoro, il tempo libero e le occasioni speciali. Iscriviti "
            "alla newsletter per ricevere in anteprima le promozioni e gli inviti alle serate dedicate alle "
            "nuove collezioni. Reso gratuito entro 14 giorni."
        ),
        industry="fashion_apparel",
    ),
    "en-crypto-exchange": SitePage(
        language="en",
        title="CoinVault – Buy Bitcoin & Ethereum | Secure Crypto Exchange",
        meta=(
            "Trade Bitcoin, Ethereum and 200+ altcoins with low fees. Staking rewards, copy trading and a "
            "secure cryptocurrency wallet."
        ),
        headings=(
            "The crypto exchange built for everyone",
            "Earn with staking",
            "Copy trading from top traders",
        ),
        body=(
            "CoinVault lets you buy, sell and store cryptocurrency in minutes. Sign up with your email, verify "
            "your identity and fund your account by card or bank transfer. Trade Bitcoin, Ethereum and hundreds "
            "of altcoins on spot and futures markets with fees from 0.1%. Our staking programme pays daily "
            "rewards, and copy trading lets beginners follow the strategies of experienced traders. Your funds "
            "are protected by cold storage, two-factor authentication and an insurance fund. Cryptocurrency "
            "prices are volatile and you could lose all the money you invest."
        ),
        industry="crypto_trading",
    ),
    "de-crypto-forex": SitePage(
        language="de",
        title="KryptoHandel24 – Kryptowährungen und Devisenhandel für Einsteiger",
        meta=(
            "Bitcoin kaufen, Kryptowährungen handeln und Handelssignale nutzen: Ihre Kryptobörse mit deutscher "
            "Kundenbetreuung."
        ),
        headings=("Bitcoin kaufen in drei Schritten", "Devisenhandel und CFDs", "Sicherheit Ihrer Einlagen"),
        body=(
            "KryptoHandel24 ist Ihre Plattform für den Handel mit Kryptowährungen und Devisen. Eröffnen Sie in "
            "wenigen Minuten ein Konto, verifizieren Sie sich per Video-Ident und zahlen Sie per "
            "SEPA-Überweisung ein. Handeln Sie Bitcoin, Ethereum und über 150 weitere Coins rund um die Uhr. "
            "Unsere Handelssignale und Marktanalysen helfen Ihnen, Chancen im Devisenhandel zu erkennen. "
            "Kundengelder werden getrennt vom Firmenvermögen verwahrt. Risikohinweis: CFDs sind komplexe "
            "Instrumente und gehen wegen der Hebelwirkung mit einem hohen Risiko einher, schnell Geld zu "
            "verlieren."
        ),
        industry="crypto_trading",
    ),
    "es-real-estate": SitePage(
        language="es",
        title="Inmobiliaria Costa Blanca – Pisos en venta y alquiler en Alicante",
        meta=(
            "Agencia inmobiliaria en Alicante: pisos en venta, chalets con piscina y locales comerciales. "
            "Tasación gratuita de su vivienda."
        ),
        headings=("Pisos en venta en Alicante", "Chalets con piscina", "Vende tu vivienda con nosotros"),
        body=(
            "Inmobiliaria Costa Blanca lleva más de veinte años ayudando a familias y compradores extranjeros a "
            "encontrar su hogar en la provincia de Alicante. Ofrecemos pisos en venta en el centro, áticos con "
            "vistas al mar y chalets con piscina privada en urbanizaciones tranquilas, cerca de colegios, "
            "supermercados y del hospital. Nuestros agentes le acompañan durante todo el proceso: visitas, "
            "negociación, hipoteca y firma ante notario. Si quiere vender su vivienda, le ofrecemos una "
            "tasación gratuita y un reportaje fotográfico profesional. Hablamos español, inglés, alemán y "
            "neerlandés."
        ),
        industry="real_estate",
    ),
    "fr-real-estate": SitePage(
        language="fr",
        title="Agence Immobilière du Lac – Achat, vente et location à Annecy",
        meta=(
            "Votre agence immobilière à Annecy : maisons à vendre, appartements à louer, estimation gratuite "
            "de votre bien."
        ),
        headings=("Maisons à vendre", "Appartements à louer", "Estimation gratuite"),
        body=(
            "Depuis 2003, l'Agence Immobilière du Lac accompagne acheteurs, vendeurs et locataires sur le "
            "bassin annécien. Découvrez notre sélection de maisons à vendre avec jardin, d'appartements à louer "
            "proches des écoles et des commerces, et de chalets de montagne. Nos conseillers connaissent "
            "parfaitement le marché local et vous aident à fixer le juste prix de votre bien. Nous prenons en "
            "charge les visites, les diagnostics, la rédaction du compromis et le suivi jusqu'à la signature "
            "chez le notaire. Prenez rendez-vous pour une estimation gratuite et sans engagement."
        ),
        industry="real_estate",
    ),
    "de-car-dealer": SitePage(
        language="de",
        title="Autohaus Becker – Neuwagen, Gebrauchtwagen und Werkstatt in Köln",
        meta=(
            "Ihr Autohaus in Köln: Neuwagen und geprüfte Gebrauchtwagen aller Marken, Finanzierung, Leasing "
            "und Meisterwerkstatt."
        ),
        headings=("Gebrauchtwagen mit Garantie", "Jetzt Probefahrt vereinbaren", "Service und Werkstatt"),
        body=(
            "Das Autohaus Becker ist seit drei Generationen Ihr Partner rund ums Auto. In unserem Showroom "
            "finden Sie Neuwagen verschiedener Hersteller und über 200 geprüfte Gebrauchtwagen mit Garantie. "
            "Alle Fahrzeuge werden vor der Übergabe in unserer Meisterwerkstatt durchgesehen, inklusive "
            "Klimaanlage, Bremsen und Inspektion. Wir bieten attraktive Finanzierungs- und Leasingangebote "
            "sowie die faire Inzahlungnahme Ihres alten Wagens. Vereinbaren Sie online eine Probefahrt oder "
            "besuchen Sie uns zu unseren Öffnungszeiten. Unser Werkstattteam kümmert sich um Reifenwechsel, "
            "HU und Unfallinstandsetzung."
        ),
        industry="car_dealerships",
    ),
    "pl-car-dealer": SitePage(
        language="pl",
        title="AutoPlus Kraków – salon samochodowy i samochody używane",
        meta=(
            "Salon samochodowy w Krakowie: nowe auta, samochody używane z gwarancją, leasing i kredyt. "
            "Umów się na jazdę próbną."
        ),
        headings=("Samochody używane z gwarancją", "Jazda próbna", "Serwis i części"),
        body=(
            "AutoPlus to autoryzowany dealer samochodowy działający w Krakowie od 2001 roku. W naszym salonie "
            "czekają na Ciebie nowe modele oraz ponad sto sprawdzonych samochodów używanych z udokumentowaną "
            "historią serwisową. Pomożemy dobrać finansowanie w formie leasingu lub kredytu i przyjmiemy Twoje "
            "obecne auto w rozliczeniu. Umów się na jazdę próbną przez formularz lub telefonicznie. Nasz serwis "
            "wykonuje przeglądy, naprawy blacharsko-lakiernicze oraz wymianę opon i nabijanie klimatyzacji."
        ),
        industry="car_dealerships",
    ),
    "tr-travel-agency": SitePage(
        language="tr",
        title="Mavi Tur Seyahat Acentesi – Tatil paketleri, erken rezervasyon ve uçak bileti",
        meta=(
            "Antalya, Bodrum ve yurt dışı tatil paketleri, erken rezervasyon fırsatları, otel rezervasyonu "
            "ve uçak bileti."
        ),
        headings=("Erken Rezervasyon Fırsatları", "Yurt Dışı Tur Paketleri", "Havuzlu Otel Seçenekleri"),
        body=(
            "Mavi Tur, 1995 yılından bu yana binlerce misafirine unutulmaz tatiller yaşatan bir seyahat "
            "acentesidir. Her şey dahil otellerden butik pansiyonlara, kültür turlarından gemi turlarına kadar "
            "geniş bir yelpazede tatil paketleri sunuyoruz. Erken rezervasyon kampanyalarımızla aquapark ve "
            "havuzlu otellerde yüzde kırka varan indirimlerden yararlanabilirsiniz. Uçak bileti, vize "
            "danışmanlığı ve havalimanı transferi hizmetlerimizle seyahatinizi baştan sona planlıyoruz. Kredi "
            "kartına taksit imkânı ve yirmi dört saat müşteri desteği ile yanınızdayız."
        ),
        industry="travel_agencies",
    ),
    "ru-travel-agency": SitePage(
        language="ru",
        title="Турагентство «Солнечный берег» – горящие туры и отдых на море",
        meta=(
            "Горящие туры в Турцию, Египет и ОАЭ, авиабилеты, путевки в санатории и круизы. Подбор тура за "
            "15 минут."
        ),
        headings=("Горящие туры", "Отдых на море с детьми", "Круизы и экскурсии"),
        body=(
            "Турагентство «Солнечный берег» работает с ведущими туроператорами и подбирает туры под любой "
            "бюджет. Мы предлагаем горящие туры в Турцию, Египет и Таиланд, путевки в санатории Кавказских "
            "Минеральных Вод, семейный отдых в отелях с аквапарком и бассейном, а также морские круизы. Наши "
            "менеджеры помогут оформить визу, страховку и авиабилеты, а также забронировать трансфер из "
            "аэропорта. Оплатить тур можно в офисе, онлайн или в рассрочку. Подпишитесь на рассылку, чтобы "
            "первыми узнавать о скидках и специальных предложениях."
        ),
        industry="travel_agencies",
    ),
}

# A genuine water-treatment contractor whose project list names one unrelated business.
WATER_PAGE_WITH_STRAY_WORD = SitePage(
    language="en",
    title="ClearFlow Water Solutions – Water treatment and wastewater treatment for industry",
    meta=(
        "Design, supply and service of water treatment plants, reverse osmosis systems and UV disinfection for "
        "hotels, factories and municipalities."
    ),
    headings=("Industrial wastewater treatment", "Reverse osmosis and drinking water", "Recent projects"),
    body=(
        "ClearFlow Water Solutions designs and builds water treatment plants for factories, hotels and "
        "municipalities across Southeast Asia. Our engineers size every system from a laboratory analysis of "
        "the raw water, then combine multimedia filtration, reverse osmosis and UV disinfection to deliver safe "
        "process and drinking water. For wastewater treatment we supply packaged membrane bioreactor plants, "
        "sludge dewatering and effluent polishing that meet local discharge limits. Recent projects include an "
        "effluent treatment plant for a textile mill, a desalination unit for an island resort and the "
        "complete water system of a casino hotel in Macau. Our service team offers preventive maintenance "
        "contracts and 24-hour emergency support."
    ),
    industry="water_treatment",
)


@pytest.mark.parametrize("page", UNRELATED_PAGES.values(), ids=UNRELATED_PAGES.keys())
def test_unrelated_business_page_scores_below_30(matcher: Matcher, page: SitePage) -> None:
    result = score_fit(matcher, page.sections())
    assert result.score < UNRELATED_CEILING, result.explanation


@pytest.mark.parametrize("page", UNRELATED_PAGES.values(), ids=UNRELATED_PAGES.keys())
def test_unrelated_business_page_is_named_by_its_negative_terms(matcher: Matcher, page: SitePage) -> None:
    result = score_fit(matcher, page.sections())
    negative_industries = {match.industry_slug for match in result.matches if match.is_negative}
    assert page.industry in negative_industries, result.explanation


@pytest.mark.parametrize("page", UNRELATED_PAGES.values(), ids=UNRELATED_PAGES.keys())
def test_unrelated_sample_pages_have_the_length_of_a_real_home_page(page: SitePage) -> None:
    assert 80 <= page.word_count() <= 300


def test_one_stray_unrelated_word_does_not_sink_a_water_treatment_site(matcher: Matcher) -> None:
    result = score_fit(matcher, WATER_PAGE_WITH_STRAY_WORD.sections())
    assert result.score >= TARGET_FLOOR, result.explanation
    stray = [match for match in result.matches if match.is_negative]
    assert [match.industry_slug for match in stray] == ["gambling"], result.explanation


def test_the_stray_word_costs_only_a_few_points(matcher: Matcher) -> None:
    with_stray = score_fit(matcher, WATER_PAGE_WITH_STRAY_WORD.sections())
    clean_body = WATER_PAGE_WITH_STRAY_WORD.body.replace("a casino hotel", "a business hotel")
    clean_page = SitePage(**{**WATER_PAGE_WITH_STRAY_WORD.__dict__, "body": clean_body})
    without_stray = score_fit(matcher, clean_page.sections())
    assert 0 < without_stray.score - with_stray.score <= 12
