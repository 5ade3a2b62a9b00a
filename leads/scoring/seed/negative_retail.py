"""Seed terms that count against the fit: consumer retail far from UV sterilization.

Fashion, jewelry, cosmetics and beauty salons, weddings and toys. Only words that name
those trades are listed; words they share with our markets are left out on purpose:
"trading" (import-export firms that resell water equipment call themselves trading
companies), "colliers" (French pipe clamps), "anelli" (Italian O-rings), "máscara"
(Spanish for a protective mask), "textile" (dye houses run wastewater plants). Clothing
is named with its market ("women's clothing", "odzież damska"): bare "clothing",
"Bekleidung", "odzież" or "одежда" also mean the protective clothing of labs, cleanrooms
and hospitals. Bare "fashion" weighs little because "in a timely fashion" is common English. Beauty
terms name salons and beauty retail, not cosmetics as such: cosmetics factories buy
purified water and UV, and suppliers list "the cosmetic industry" among their clients.
"""

from __future__ import annotations

from leads.scoring.seed.rows import PHRASE, PREFIX, WORD, negative_terms

__all__ = ["KEYWORDS"]

FASHION = "fashion_apparel"
JEWELRY = "jewelry"
BEAUTY = "cosmetics_beauty"
WEDDING = "wedding_planning"
TOYS = "toys"

_FASHION = (
    *negative_terms(FASHION, "en", WORD, 1.0, "womenswear", "menswear", "streetwear", "lingerie"),
    *negative_terms(
        FASHION,
        "en",
        PHRASE,
        1.0,
        "fashion boutique",
        "fashion week",
        "fashion store",
        "fashion apparel",
        "clothing store",
        "women's clothing",
        "men's clothing",
    ),
    *negative_terms(FASHION, "en", WORD, 0.8, "handbags"),
    *negative_terms(FASHION, "en", WORD, 0.6, "fashion", "dresses", "sneakers"),
    *negative_terms(
        FASHION,
        "de",
        PREFIX,
        1.0,
        "Damenmode",
        "Herrenmode",
        "Modegeschäft",
        "Modeboutique",
        "Damenbekleidung",
        "Herrenbekleidung",
    ),
    *negative_terms(FASHION, "de", PREFIX, 0.7, "Handtasche"),
    *negative_terms(
        FASHION,
        "fr",
        PHRASE,
        1.0,
        "prêt-à-porter",
        "mode femme",
        "mode homme",
        "boutique de mode",
        "vêtements femme",
        "vêtements homme",
    ),
    *negative_terms(FASHION, "fr", PREFIX, 0.8, "maroquinerie"),
    *negative_terms(
        FASHION,
        "es",
        PHRASE,
        1.0,
        "moda femenina",
        "moda hombre",
        "tienda de ropa",
        "ropa de mujer",
        "ropa de hombre",
    ),
    *negative_terms(FASHION, "es", WORD, 0.6, "moda"),
    *negative_terms(
        FASHION,
        "it",
        PHRASE,
        1.0,
        "moda donna",
        "moda uomo",
        "abbigliamento donna",
        "abbigliamento uomo",
        "negozio di abbigliamento",
    ),
    *negative_terms(FASHION, "it", PREFIX, 0.8, "pelletteria"),
    *negative_terms(FASHION, "pt", PHRASE, 1.0, "moda feminina", "loja de roupas", "roupas femininas"),
    *negative_terms(FASHION, "tr", PREFIX, 1.0, "hazır giyim", "kadın giyim", "erkek giyim", "giyim mağaza"),
    *negative_terms(FASHION, "tr", PREFIX, 0.6, "elbise"),
    *negative_terms(FASHION, "tr", WORD, 0.6, "butik"),
    *negative_terms(FASHION, "pl", PHRASE, 1.0, "moda damska", "moda męska", "odzież damska", "odzież męska"),
    *negative_terms(FASHION, "pl", PREFIX, 0.8, "odzieżow"),
    *negative_terms(FASHION, "pl", WORD, 0.6, "sukienki"),
    *negative_terms(
        FASHION,
        "ru",
        PHRASE,
        1.0,
        "женская одежда",
        "мужская одежда",
        "магазин одежды",
        "модная одежда",
    ),
    *negative_terms(FASHION, "ru", PREFIX, 0.6, "бутик"),
    *negative_terms(FASHION, "zh", PHRASE, 1.0, "服装", "时装", "女装"),
    *negative_terms(FASHION, "ar", WORD, 1.0, "الأزياء"),
)

_JEWELRY = (
    *negative_terms(
        JEWELRY, "en", WORD, 1.0, "jewelry", "jewellery", "jeweler", "jeweller", "jewelers", "jewellers"
    ),
    *negative_terms(JEWELRY, "en", WORD, 0.7, "necklaces", "bracelets", "earrings"),
    *negative_terms(JEWELRY, "en", PHRASE, 0.8, "diamond rings"),
    *negative_terms(JEWELRY, "de", PREFIX, 1.0, "Schmuck", "Juwelier", "Goldschmied"),
    *negative_terms(JEWELRY, "de", PREFIX, 0.8, "Ohrring", "Halskett"),
    *negative_terms(JEWELRY, "fr", WORD, 1.0, "bijoux"),
    *negative_terms(JEWELRY, "fr", PREFIX, 1.0, "bijouterie", "joaillerie"),
    *negative_terms(JEWELRY, "fr", PHRASE, 0.8, "boucles d'oreilles"),
    *negative_terms(JEWELRY, "es", PREFIX, 0.9, "joyerí"),
    *negative_terms(JEWELRY, "es", WORD, 0.9, "joyas"),
    *negative_terms(JEWELRY, "it", PREFIX, 0.9, "gioiell", "oreficeri"),
    *negative_terms(JEWELRY, "it", WORD, 0.7, "bracciali", "collane"),
    *negative_terms(JEWELRY, "pt", WORD, 0.9, "joias", "semijoias"),
    *negative_terms(JEWELRY, "pt", PREFIX, 0.9, "joalheri"),
    *negative_terms(JEWELRY, "pt", WORD, 0.7, "brincos"),
    *negative_terms(JEWELRY, "tr", PREFIX, 0.9, "mücevher", "kuyumcu", "pırlanta"),
    *negative_terms(JEWELRY, "pl", PREFIX, 0.9, "biżuteri", "jubiler"),
    *negative_terms(JEWELRY, "pl", PREFIX, 0.8, "pierścionk"),
    *negative_terms(JEWELRY, "ru", PREFIX, 0.9, "ювелирн", "бижутери"),
    *negative_terms(JEWELRY, "ru", WORD, 0.7, "серьги"),
    *negative_terms(JEWELRY, "zh", PHRASE, 1.0, "珠宝", "首饰"),
    *negative_terms(JEWELRY, "ar", WORD, 1.0, "مجوهرات"),
)

_BEAUTY = (
    *negative_terms(BEAUTY, "en", PREFIX, 0.8, "beauty salon", "hair salon", "lipstick", "cosmetics store"),
    *negative_terms(BEAUTY, "en", WORD, 0.8, "skincare", "makeup"),
    *negative_terms(BEAUTY, "en", PHRASE, 0.8, "anti-aging", "beauty products"),
    *negative_terms(BEAUTY, "en", PREFIX, 0.7, "nail salon"),
    *negative_terms(
        BEAUTY, "de", PREFIX, 0.8, "Kosmetikstudio", "Schönheitssalon", "Friseur", "Nagelstudio", "Parfümerie"
    ),
    *negative_terms(BEAUTY, "fr", PHRASE, 0.8, "institut de beauté", "salon de coiffure", "soins du visage"),
    *negative_terms(BEAUTY, "fr", WORD, 0.8, "maquillage"),
    *negative_terms(BEAUTY, "fr", PREFIX, 0.8, "onglerie"),
    *negative_terms(
        BEAUTY, "es", PHRASE, 0.8, "salón de belleza", "salones de belleza", "centro de estética"
    ),
    *negative_terms(BEAUTY, "es", PREFIX, 0.8, "peluquerí", "perfumerí"),
    *negative_terms(BEAUTY, "es", WORD, 0.8, "maquillaje"),
    *negative_terms(BEAUTY, "it", PHRASE, 0.8, "centro estetico", "salone di bellezza"),
    *negative_terms(BEAUTY, "it", PREFIX, 0.8, "parrucchier", "profumeri"),
    *negative_terms(BEAUTY, "it", WORD, 0.7, "trucco"),
    *negative_terms(BEAUTY, "pt", PHRASE, 0.8, "salão de beleza", "salões de beleza"),
    *negative_terms(BEAUTY, "pt", WORD, 0.8, "maquiagem", "maquilhagem"),
    *negative_terms(BEAUTY, "pt", PREFIX, 0.8, "cabeleireir", "perfumari"),
    *negative_terms(BEAUTY, "tr", PREFIX, 0.9, "güzellik salon", "güzellik merkez"),
    *negative_terms(BEAUTY, "tr", PREFIX, 0.8, "kuaför", "makyaj"),
    *negative_terms(BEAUTY, "pl", PHRASE, 0.8, "salon kosmetyczny", "salon urody", "gabinet kosmetyczny"),
    *negative_terms(BEAUTY, "pl", PREFIX, 0.8, "fryzjer", "makijaż"),
    *negative_terms(BEAUTY, "ru", PHRASE, 0.8, "салон красоты", "салоны красоты", "салона красоты"),
    *negative_terms(BEAUTY, "ru", PREFIX, 0.8, "парикмахерск", "макияж"),
    *negative_terms(BEAUTY, "ru", PREFIX, 0.7, "маникюр"),
    *negative_terms(BEAUTY, "zh", PHRASE, 1.0, "美容院", "美发"),
    *negative_terms(BEAUTY, "ar", PHRASE, 1.0, "صالون تجميل"),
)

_WEDDING = (
    *negative_terms(WEDDING, "en", PREFIX, 1.0, "wedding planner", "wedding dress", "bridesmaid"),
    *negative_terms(WEDDING, "en", PHRASE, 1.0, "wedding planning"),
    *negative_terms(WEDDING, "en", PREFIX, 0.9, "bridal", "wedding venue", "engagement ring"),
    *negative_terms(WEDDING, "en", PREFIX, 0.8, "honeymoon"),
    *negative_terms(WEDDING, "en", WORD, 0.7, "wedding", "weddings"),
    *negative_terms(WEDDING, "de", PREFIX, 1.0, "Brautkleid", "Brautmode"),
    *negative_terms(WEDDING, "de", PREFIX, 0.9, "Hochzeit", "Trauring", "Flitterwochen"),
    *negative_terms(WEDDING, "fr", PREFIX, 1.0, "robe de mariée"),
    *negative_terms(WEDDING, "fr", PREFIX, 0.8, "mariage"),
    *negative_terms(WEDDING, "fr", PHRASE, 0.9, "lune de miel"),
    *negative_terms(WEDDING, "es", PREFIX, 1.0, "vestido de novia"),
    *negative_terms(WEDDING, "es", PHRASE, 1.0, "vestidos de novia"),
    *negative_terms(WEDDING, "es", WORD, 0.9, "bodas"),
    *negative_terms(WEDDING, "es", PHRASE, 0.9, "luna de miel", "despedida de soltera"),
    *negative_terms(WEDDING, "it", PHRASE, 1.0, "abito da sposa", "abiti da sposa"),
    *negative_terms(WEDDING, "it", WORD, 0.9, "nozze"),
    *negative_terms(WEDDING, "it", WORD, 0.8, "sposi"),
    *negative_terms(WEDDING, "pt", PREFIX, 1.0, "vestido de noiva"),
    *negative_terms(WEDDING, "pt", PREFIX, 0.9, "casament", "cerimonialista"),
    *negative_terms(WEDDING, "pt", PHRASE, 0.9, "lua de mel"),
    *negative_terms(WEDDING, "tr", PREFIX, 1.0, "gelinlik"),
    *negative_terms(WEDDING, "tr", PREFIX, 0.9, "düğün"),
    *negative_terms(WEDDING, "tr", PREFIX, 0.8, "balayı", "nikah"),
    *negative_terms(WEDDING, "pl", PREFIX, 0.9, "ślub", "wesel", "poślubn"),
    *negative_terms(WEDDING, "ru", PREFIX, 1.0, "свадеб", "свадьб"),
    *negative_terms(WEDDING, "ru", PHRASE, 0.9, "медовый месяц"),
    *negative_terms(WEDDING, "ru", PREFIX, 0.8, "невест"),
    *negative_terms(WEDDING, "zh", PHRASE, 1.0, "婚礼", "婚纱", "婚庆"),
    *negative_terms(WEDDING, "ar", PHRASE, 1.0, "حفلات الزفاف", "فساتين الزفاف"),
)

_TOYS = (
    *negative_terms(TOYS, "en", WORD, 1.0, "toys"),
    *negative_terms(TOYS, "en", PREFIX, 1.0, "toy store", "toy shop", "teddy bear"),
    *negative_terms(TOYS, "en", PHRASE, 0.9, "action figures"),
    *negative_terms(TOYS, "en", PHRASE, 0.8, "board games"),
    *negative_terms(TOYS, "en", WORD, 0.8, "dolls", "lego"),
    *negative_terms(TOYS, "de", PREFIX, 1.0, "Spielzeug", "Spielwaren"),
    *negative_terms(TOYS, "de", PREFIX, 0.9, "Kuscheltier"),
    *negative_terms(TOYS, "de", PREFIX, 0.8, "Brettspiel"),
    *negative_terms(TOYS, "fr", WORD, 1.0, "jouets", "jouet"),
    *negative_terms(TOYS, "fr", WORD, 0.9, "peluches"),
    *negative_terms(TOYS, "fr", PHRASE, 0.8, "jeux de société"),
    *negative_terms(TOYS, "es", WORD, 1.0, "juguetes", "juguete"),
    *negative_terms(TOYS, "es", PREFIX, 1.0, "jugueterí"),
    *negative_terms(TOYS, "es", PHRASE, 0.8, "juegos de mesa"),
    *negative_terms(TOYS, "it", PREFIX, 1.0, "giocattol"),
    *negative_terms(TOYS, "it", PHRASE, 0.8, "giochi da tavolo"),
    *negative_terms(TOYS, "it", WORD, 0.8, "bambole"),
    *negative_terms(TOYS, "pt", PREFIX, 1.0, "brinquedo"),
    *negative_terms(TOYS, "pt", PHRASE, 0.8, "jogos de tabuleiro"),
    *negative_terms(TOYS, "pt", PREFIX, 0.9, "pelúcia"),
    *negative_terms(TOYS, "tr", PREFIX, 1.0, "oyuncak"),
    *negative_terms(TOYS, "tr", PREFIX, 0.8, "kutu oyun"),
    *negative_terms(TOYS, "pl", PREFIX, 1.0, "zabawk"),
    *negative_terms(TOYS, "pl", WORD, 1.0, "zabawek"),
    *negative_terms(TOYS, "pl", PHRASE, 0.8, "gry planszowe"),
    *negative_terms(TOYS, "pl", PREFIX, 0.9, "pluszak"),
    *negative_terms(TOYS, "ru", PREFIX, 1.0, "игрушк"),
    *negative_terms(TOYS, "ru", WORD, 1.0, "игрушек"),
    *negative_terms(TOYS, "ru", PHRASE, 0.8, "настольные игры"),
    *negative_terms(TOYS, "zh", PHRASE, 1.0, "玩具"),
    *negative_terms(TOYS, "ar", PHRASE, 1.0, "ألعاب الأطفال"),
)

KEYWORDS = _FASHION + _JEWELRY + _BEAUTY + _WEDDING + _TOYS
