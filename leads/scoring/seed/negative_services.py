"""Seed terms that count against the fit: consumer services far from UV sterilization.

Real estate, cryptocurrency and forex, gambling, dating, car dealers and travel agencies.
Left out on purpose: bare "dating" ("a history dating back to 1985"), Polish "hazard"
(English "hazard" is on every safety page), "DeFi" (French "défi", a challenge),
"concessionnaire"/"concessionaria" alone (water utilities are concession holders too),
Spanish "ferias" (trade fairs), and "trading".
"""

from __future__ import annotations

from leads.scoring.seed.rows import PHRASE, PREFIX, WORD, negative_terms

__all__ = ["KEYWORDS"]

REAL_ESTATE = "real_estate"
CRYPTO = "crypto_trading"
GAMBLING = "gambling"
DATING = "dating"
CARS = "car_dealerships"
TRAVEL = "travel_agencies"

_REAL_ESTATE = (
    *negative_terms(
        REAL_ESTATE,
        "en",
        PHRASE,
        1.0,
        "real estate",
        "property for sale",
        "properties for sale",
        "homes for sale",
        "apartments for rent",
    ),
    *negative_terms(REAL_ESTATE, "en", PREFIX, 1.0, "realtor", "estate agent", "letting agent"),
    *negative_terms(REAL_ESTATE, "en", PREFIX, 0.6, "mortgage"),
    *negative_terms(
        REAL_ESTATE, "de", PREFIX, 1.0, "Immobilien", "Eigentumswohnung", "Mietwohnung", "Maklerprovision"
    ),
    *negative_terms(REAL_ESTATE, "de", WORD, 0.7, "Makler"),
    *negative_terms(REAL_ESTATE, "de", PREFIX, 0.7, "Wohnfläche"),
    *negative_terms(REAL_ESTATE, "fr", PREFIX, 1.0, "immobili"),
    *negative_terms(
        REAL_ESTATE,
        "fr",
        PHRASE,
        0.9,
        "maison à vendre",
        "maisons à vendre",
        "appartement à louer",
        "appartements à louer",
        "appartement à vendre",
    ),
    *negative_terms(REAL_ESTATE, "es", PREFIX, 1.0, "inmobiliari"),
    *negative_terms(
        REAL_ESTATE,
        "es",
        PHRASE,
        0.9,
        "bienes raíces",
        "pisos en venta",
        "piso en venta",
        "casas en venta",
        "pisos en alquiler",
    ),
    *negative_terms(REAL_ESTATE, "es", PREFIX, 0.6, "hipoteca"),
    *negative_terms(
        REAL_ESTATE,
        "it",
        PHRASE,
        0.9,
        "appartamenti in vendita",
        "appartamento in vendita",
        "case in vendita",
    ),
    *negative_terms(REAL_ESTATE, "it", PREFIX, 0.8, "bilocal", "trilocal", "compravendit"),
    *negative_terms(REAL_ESTATE, "pt", PREFIX, 1.0, "imobiliári"),
    *negative_terms(REAL_ESTATE, "pt", WORD, 0.9, "imóveis", "imóvel"),
    *negative_terms(
        REAL_ESTATE, "pt", PHRASE, 0.9, "apartamentos à venda", "casas à venda", "corretor de imóveis"
    ),
    *negative_terms(REAL_ESTATE, "tr", PREFIX, 0.9, "emlak", "gayrimenkul"),
    *negative_terms(REAL_ESTATE, "tr", WORD, 0.7, "satılık"),
    *negative_terms(REAL_ESTATE, "tr", PREFIX, 0.8, "konut projes"),
    *negative_terms(REAL_ESTATE, "pl", PREFIX, 0.9, "nieruchomoś"),
    *negative_terms(
        REAL_ESTATE, "pl", PHRASE, 0.9, "mieszkania na sprzedaż", "mieszkanie na sprzedaż", "wynajem mieszkań"
    ),
    *negative_terms(REAL_ESTATE, "ru", PREFIX, 0.9, "недвижимост", "риэлтор", "риелтор", "новостройк"),
    *negative_terms(REAL_ESTATE, "ru", PHRASE, 0.8, "купить квартиру", "аренда квартир"),
    *negative_terms(REAL_ESTATE, "ru", PREFIX, 0.6, "ипотек"),
    *negative_terms(REAL_ESTATE, "zh", PHRASE, 1.0, "房地产", "楼盘", "二手房"),
    *negative_terms(REAL_ESTATE, "ar", WORD, 1.0, "عقارات", "العقارات"),
    *negative_terms(REAL_ESTATE, "ar", PHRASE, 1.0, "شقق للبيع"),
)

_CRYPTO = (
    *negative_terms(CRYPTO, "en", PREFIX, 1.0, "cryptocurrenc", "bitcoin", "altcoin"),
    *negative_terms(CRYPTO, "en", WORD, 1.0, "forex", "ethereum"),
    *negative_terms(
        CRYPTO,
        "en",
        PHRASE,
        1.0,
        "trading signals",
        "binary options",
        "crypto exchange",
        "copy trading",
        "leverage trading",
    ),
    *negative_terms(CRYPTO, "en", WORD, 0.8, "crypto", "NFT", "NFTs"),
    *negative_terms(CRYPTO, "en", PHRASE, 0.8, "day trading"),
    *negative_terms(CRYPTO, "en", WORD, 0.7, "staking"),
    *negative_terms(CRYPTO, "en", PREFIX, 0.6, "blockchain"),
    *negative_terms(CRYPTO, "de", PREFIX, 1.0, "Kryptowährung", "Kryptobörse"),
    *negative_terms(CRYPTO, "de", PREFIX, 0.9, "Devisenhandel", "Handelssignal"),
    *negative_terms(CRYPTO, "de", PHRASE, 1.0, "binäre Optionen"),
    *negative_terms(CRYPTO, "fr", PREFIX, 1.0, "cryptomonnaie", "crypto-monnaie"),
    *negative_terms(CRYPTO, "fr", PHRASE, 1.0, "signaux de trading", "options binaires"),
    *negative_terms(CRYPTO, "es", PREFIX, 1.0, "criptomoneda", "criptodivisa"),
    *negative_terms(CRYPTO, "es", PHRASE, 1.0, "opciones binarias", "señales de trading"),
    *negative_terms(CRYPTO, "it", PREFIX, 1.0, "criptovalut"),
    *negative_terms(CRYPTO, "it", PHRASE, 1.0, "segnali di trading", "opzioni binarie"),
    *negative_terms(CRYPTO, "pt", PREFIX, 1.0, "criptomoeda"),
    *negative_terms(CRYPTO, "pt", PHRASE, 1.0, "opções binárias", "sinais de trading"),
    *negative_terms(CRYPTO, "tr", PREFIX, 1.0, "kripto para"),
    *negative_terms(CRYPTO, "tr", WORD, 0.8, "kripto"),
    *negative_terms(CRYPTO, "tr", PREFIX, 0.8, "kaldıraçlı işlem"),
    *negative_terms(CRYPTO, "pl", PREFIX, 1.0, "kryptowalut"),
    *negative_terms(CRYPTO, "pl", PHRASE, 1.0, "opcje binarne"),
    *negative_terms(CRYPTO, "pl", PREFIX, 0.8, "tradingow"),
    *negative_terms(CRYPTO, "ru", PREFIX, 1.0, "криптовалют", "биткоин", "биткойн", "форекс", "криптобирж"),
    *negative_terms(CRYPTO, "ru", PHRASE, 1.0, "бинарные опционы", "бинарных опционов"),
    *negative_terms(CRYPTO, "ru", PHRASE, 0.8, "торговые сигналы"),
    *negative_terms(CRYPTO, "ru", PREFIX, 0.8, "майнинг"),
    *negative_terms(CRYPTO, "zh", PHRASE, 1.0, "加密货币", "比特币", "外汇交易"),
    *negative_terms(CRYPTO, "ar", PHRASE, 1.0, "العملات المشفرة"),
    *negative_terms(CRYPTO, "ar", WORD, 1.0, "بيتكوين", "فوركس"),
)

_GAMBLING = (
    *negative_terms(GAMBLING, "en", PREFIX, 1.0, "casino", "slot machine"),
    *negative_terms(GAMBLING, "en", PHRASE, 1.0, "sports betting", "free spins", "online betting"),
    *negative_terms(GAMBLING, "en", WORD, 1.0, "gambling", "blackjack"),
    *negative_terms(GAMBLING, "en", WORD, 0.9, "roulette"),
    *negative_terms(GAMBLING, "en", PREFIX, 0.9, "bookmaker"),
    *negative_terms(GAMBLING, "en", WORD, 0.8, "poker"),
    *negative_terms(GAMBLING, "en", WORD, 0.6, "jackpot", "slots"),
    *negative_terms(
        GAMBLING, "de", PREFIX, 1.0, "Sportwetten", "Glücksspiel", "Spielautomat", "Kasino", "Wettanbieter"
    ),
    *negative_terms(
        GAMBLING, "fr", PHRASE, 1.0, "paris sportifs", "jeux d'argent", "machines à sous", "machine à sous"
    ),
    *negative_terms(GAMBLING, "es", PHRASE, 1.0, "apuestas deportivas", "juegos de azar", "casa de apuestas"),
    *negative_terms(GAMBLING, "es", WORD, 1.0, "tragaperras"),
    *negative_terms(GAMBLING, "es", PREFIX, 0.9, "apuesta"),
    *negative_terms(GAMBLING, "es", WORD, 0.9, "ruleta"),
    *negative_terms(GAMBLING, "it", PREFIX, 1.0, "scommess"),
    *negative_terms(GAMBLING, "it", PHRASE, 1.0, "gioco d'azzardo", "giochi d'azzardo"),
    *negative_terms(GAMBLING, "pt", PREFIX, 1.0, "cassino"),
    *negative_terms(
        GAMBLING,
        "pt",
        PHRASE,
        1.0,
        "apostas esportivas",
        "apostas desportivas",
        "jogos de azar",
        "caça-níqueis",
    ),
    *negative_terms(GAMBLING, "pt", WORD, 0.8, "roleta"),
    *negative_terms(GAMBLING, "tr", PREFIX, 1.0, "kumar", "bahis", "slot oyun"),
    *negative_terms(GAMBLING, "tr", WORD, 1.0, "iddaa"),
    *negative_terms(GAMBLING, "tr", WORD, 0.9, "rulet"),
    *negative_terms(GAMBLING, "pl", PREFIX, 1.0, "kasyn", "bukmacher", "hazardow"),
    *negative_terms(GAMBLING, "pl", PHRASE, 1.0, "zakłady bukmacherskie", "automaty do gier"),
    *negative_terms(GAMBLING, "pl", WORD, 0.9, "ruletka"),
    *negative_terms(GAMBLING, "ru", PREFIX, 1.0, "казино", "букмекер", "азартн", "фриспин"),
    *negative_terms(GAMBLING, "ru", PHRASE, 1.0, "ставки на спорт", "игровые автоматы"),
    *negative_terms(GAMBLING, "ru", WORD, 0.8, "покер"),
    *negative_terms(GAMBLING, "zh", PHRASE, 1.0, "赌场", "博彩", "赌博"),
    *negative_terms(GAMBLING, "ar", WORD, 1.0, "كازينو", "القمار", "المراهنات"),
)

_DATING = (
    *negative_terms(DATING, "en", PREFIX, 1.0, "dating site", "dating app", "hookup"),
    *negative_terms(DATING, "en", PHRASE, 1.0, "online dating", "meet singles", "dating service"),
    *negative_terms(DATING, "en", PHRASE, 0.8, "find love"),
    *negative_terms(DATING, "en", PREFIX, 0.8, "soulmate"),
    *negative_terms(DATING, "en", WORD, 0.8, "matchmaking"),
    *negative_terms(
        DATING, "de", PREFIX, 1.0, "Partnersuche", "Singlebörse", "Partnervermittlung", "Dating-Seite"
    ),
    *negative_terms(DATING, "de", PREFIX, 0.9, "Flirt"),
    *negative_terms(DATING, "fr", PREFIX, 1.0, "site de rencontre"),
    *negative_terms(DATING, "fr", PHRASE, 1.0, "rencontres en ligne"),
    *negative_terms(DATING, "fr", PHRASE, 0.9, "âme sœur", "agence matrimoniale"),
    *negative_terms(DATING, "fr", WORD, 0.8, "célibataires"),
    *negative_terms(DATING, "es", PHRASE, 1.0, "citas online", "citas en línea", "web de citas"),
    *negative_terms(DATING, "es", PHRASE, 0.9, "buscar pareja", "encontrar pareja"),
    *negative_terms(DATING, "it", PHRASE, 1.0, "incontri online", "sito di incontri"),
    *negative_terms(DATING, "it", PHRASE, 0.9, "anima gemella", "agenzia matrimoniale"),
    *negative_terms(DATING, "pt", PHRASE, 1.0, "site de relacionamento", "encontros online"),
    *negative_terms(DATING, "pt", PREFIX, 0.9, "namor"),
    *negative_terms(DATING, "pt", PHRASE, 0.9, "alma gêmea"),
    *negative_terms(DATING, "tr", PREFIX, 1.0, "arkadaşlık sites", "evlilik sites"),
    *negative_terms(DATING, "tr", PREFIX, 0.9, "flört"),
    *negative_terms(DATING, "pl", PREFIX, 0.9, "randk"),
    *negative_terms(DATING, "pl", PHRASE, 0.9, "biuro matrymonialne", "portal randkowy"),
    *negative_terms(DATING, "ru", PHRASE, 1.0, "сайт знакомств", "знакомства онлайн", "служба знакомств"),
    *negative_terms(DATING, "ru", PHRASE, 0.9, "брачное агентство"),
    *negative_terms(DATING, "zh", PHRASE, 1.0, "交友", "婚恋"),
)

_CARS = (
    *negative_terms(CARS, "en", PREFIX, 1.0, "car dealer", "auto dealer"),
    *negative_terms(CARS, "en", PHRASE, 0.9, "used cars", "pre-owned", "car showroom"),
    *negative_terms(CARS, "en", PREFIX, 0.8, "test drive"),
    *negative_terms(CARS, "en", PHRASE, 0.8, "car finance"),
    *negative_terms(CARS, "en", WORD, 0.7, "dealership"),
    *negative_terms(CARS, "de", PREFIX, 1.0, "Autohaus", "Gebrauchtwagen", "Autohändler"),
    *negative_terms(CARS, "de", PREFIX, 0.9, "Neuwagen", "Probefahrt", "Jahreswagen", "Erstzulassung"),
    *negative_terms(CARS, "fr", PHRASE, 1.0, "concessionnaire automobile", "concessionnaires automobiles"),
    *negative_terms(CARS, "fr", PHRASE, 1.0, "voiture d'occasion", "voitures d'occasion"),
    *negative_terms(CARS, "fr", PHRASE, 0.8, "véhicules neufs", "essai routier"),
    *negative_terms(CARS, "es", PREFIX, 0.8, "concesionario"),
    *negative_terms(
        CARS, "es", PHRASE, 1.0, "coches de ocasión", "coches usados", "autos usados", "vehículos de ocasión"
    ),
    *negative_terms(CARS, "es", PHRASE, 0.8, "prueba de manejo"),
    *negative_terms(CARS, "it", PHRASE, 1.0, "auto usate", "auto usata"),
    *negative_terms(CARS, "it", PREFIX, 1.0, "autosalon"),
    *negative_terms(CARS, "it", PHRASE, 0.8, "km zero"),
    *negative_terms(CARS, "it", PHRASE, 0.7, "auto nuove"),
    *negative_terms(CARS, "pt", PHRASE, 1.0, "carros usados", "revenda de veículos", "stand automóvel"),
    *negative_terms(CARS, "pt", WORD, 1.0, "seminovos"),
    *negative_terms(CARS, "pt", PHRASE, 0.6, "carros novos"),
    *negative_terms(CARS, "tr", PREFIX, 1.0, "ikinci el araç", "oto galeri"),
    *negative_terms(CARS, "tr", PREFIX, 0.9, "otomobil bayi"),
    *negative_terms(CARS, "tr", PREFIX, 0.8, "test sürüş"),
    *negative_terms(CARS, "tr", PHRASE, 0.8, "sıfır km"),
    *negative_terms(
        CARS,
        "pl",
        PHRASE,
        1.0,
        "samochody używane",
        "samochodów używanych",
        "używane samochody",
        "salon samochodowy",
    ),
    *negative_terms(CARS, "pl", PHRASE, 0.9, "dealer samochodowy"),
    *negative_terms(CARS, "pl", PHRASE, 0.8, "jazda próbna"),
    *negative_terms(CARS, "ru", PREFIX, 1.0, "автосалон", "автодилер"),
    *negative_terms(CARS, "ru", PHRASE, 1.0, "автомобили с пробегом", "подержанные автомобили"),
    *negative_terms(CARS, "ru", PREFIX, 0.8, "тест-драйв"),
    *negative_terms(CARS, "zh", PHRASE, 1.0, "二手车", "汽车销售"),
    *negative_terms(CARS, "ar", PHRASE, 1.0, "معرض سيارات", "سيارات مستعملة"),
)

_TRAVEL = (
    *negative_terms(TRAVEL, "en", PREFIX, 1.0, "travel agenc"),
    *negative_terms(TRAVEL, "en", PREFIX, 0.9, "tour operator"),
    *negative_terms(TRAVEL, "en", PHRASE, 0.9, "holiday packages", "vacation packages"),
    *negative_terms(TRAVEL, "en", PHRASE, 0.8, "flight tickets", "city break"),
    *negative_terms(TRAVEL, "en", PHRASE, 0.7, "all-inclusive", "guided tours"),
    *negative_terms(TRAVEL, "en", WORD, 0.7, "cruises"),
    *negative_terms(TRAVEL, "de", PREFIX, 1.0, "Reisebüro", "Pauschalreise", "Reiseveranstalter"),
    *negative_terms(TRAVEL, "de", PREFIX, 0.8, "Urlaubsreise", "Kreuzfahrt", "Flugbuchung", "Rundreise"),
    *negative_terms(TRAVEL, "de", PHRASE, 0.7, "Last-Minute"),
    *negative_terms(TRAVEL, "fr", PREFIX, 1.0, "agence de voyage", "voyagiste"),
    *negative_terms(TRAVEL, "fr", PREFIX, 0.9, "voyage organisé"),
    *negative_terms(TRAVEL, "fr", PHRASE, 0.8, "circuits touristiques", "billets d'avion"),
    *negative_terms(TRAVEL, "fr", PREFIX, 0.8, "croisière"),
    *negative_terms(TRAVEL, "es", PHRASE, 1.0, "agencia de viajes", "paquetes turísticos"),
    *negative_terms(TRAVEL, "es", PHRASE, 0.9, "viajes organizados", "vuelos baratos"),
    *negative_terms(TRAVEL, "es", WORD, 0.8, "cruceros"),
    *negative_terms(TRAVEL, "es", WORD, 0.7, "escapadas"),
    *negative_terms(TRAVEL, "it", PHRASE, 1.0, "agenzia viaggi", "agenzia di viaggi", "pacchetti vacanza"),
    *negative_terms(TRAVEL, "it", PHRASE, 0.9, "viaggi organizzati"),
    *negative_terms(TRAVEL, "it", WORD, 0.8, "crociere"),
    *negative_terms(
        TRAVEL, "pt", PHRASE, 1.0, "agência de viagens", "pacotes de viagem", "pacotes turísticos"
    ),
    *negative_terms(TRAVEL, "pt", PHRASE, 0.9, "passagens aéreas"),
    *negative_terms(TRAVEL, "pt", WORD, 0.8, "cruzeiros"),
    *negative_terms(TRAVEL, "tr", PREFIX, 1.0, "seyahat acentes", "tatil paket"),
    *negative_terms(TRAVEL, "tr", PREFIX, 0.9, "tur paket", "uçak bilet"),
    *negative_terms(TRAVEL, "tr", PREFIX, 0.8, "otel rezervasyon"),
    *negative_terms(TRAVEL, "tr", PHRASE, 0.8, "erken rezervasyon"),
    *negative_terms(TRAVEL, "pl", PHRASE, 1.0, "biuro podróży", "biura podróży"),
    *negative_terms(TRAVEL, "pl", WORD, 0.9, "wczasy"),
    *negative_terms(TRAVEL, "pl", PHRASE, 0.8, "bilety lotnicze"),
    *negative_terms(TRAVEL, "pl", PREFIX, 0.6, "wycieczk"),
    *negative_terms(TRAVEL, "ru", PREFIX, 1.0, "турагентств", "туроператор"),
    *negative_terms(TRAVEL, "ru", PHRASE, 1.0, "горящие туры"),
    *negative_terms(TRAVEL, "ru", PREFIX, 0.8, "путевк", "авиабилет"),
    *negative_terms(TRAVEL, "ru", PREFIX, 0.7, "круиз"),
    *negative_terms(TRAVEL, "zh", PHRASE, 1.0, "旅行社", "旅游线路", "机票预订"),
    *negative_terms(TRAVEL, "ar", PHRASE, 1.0, "وكالة سفر", "رحلات سياحية"),
)

KEYWORDS = _REAL_ESTATE + _CRYPTO + _GAMBLING + _DATING + _CARS + _TRAVEL
