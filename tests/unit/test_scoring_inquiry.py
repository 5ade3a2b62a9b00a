"""Inquiry text in, authenticity signal out: specific buyers are strong, form letters weak."""

import time

import pytest

from leads.scoring.inquiry import InquiryReason, InquirySignal, InquiryStrength, judge_inquiry_text

R = InquiryReason
STRONG, WEAK, NONE = InquiryStrength.STRONG, InquiryStrength.WEAK, InquiryStrength.NONE


@pytest.mark.parametrize(
    "message",
    [
        "We are looking for UV germicidal lamps for our water plant.",
        "Do you make UV-C lamps with a quartz sleeve?",
        "Need T5 UV tubes and electronic ballasts",
        "Price of your amalgam lamps please",
        "Looking for a UV steriliser for a fish farm",
        "Interested in UV disinfection trolleys for wards",
        "UV desk lamps for a school",
        "Wir suchen eine UV-Lampe für die Trinkwasseranlage",
        "Angebot für Entkeimungslampen erbeten",
        "Buscamos lámparas germicidas para un hospital",
        "Necesitamos una lámpara UV para el laboratorio",
        "Nous cherchons une lampe UV germicide",
        "Cerchiamo una lampada germicida",
        "Procuramos lâmpadas UV para a clínica",
        "Нужна бактерицидная лампа для больницы",
        "Интересуют УФ лампы для бассейна",
        "UV lambası fiyatı nedir",
        "Szukamy lampy UV do szpitala",
        "我们需要紫外线灯",
        "杀菌灯报价",
        "请介绍紫外线消毒车",
    ],
)
def test_naming_a_product_is_strong(message: str) -> None:
    signal = judge_inquiry_text(message)
    assert signal.strength is STRONG
    assert R.NAMES_PRODUCT in signal.reasons


@pytest.mark.parametrize(
    "message",
    [
        "Please quote ZW36S19W",
        "GPH436T5L in stock?",
        "We use GPH-843T5L/4P",
        "Replacing T8 36W tubes",
        "Need TUV 30W",
    ],
)
def test_naming_a_model_is_strong(message: str) -> None:
    signal = judge_inquiry_text(message)
    assert signal.strength is STRONG
    assert R.NAMES_MODEL in signal.reasons


@pytest.mark.parametrize(
    "message",
    [
        "Price for 500 pcs?",
        "We need 2,000 units next month",
        "One order of 1x40HQ container",
        "What is your MOQ",
        "Bitte Preis für 200 Stück",
        "Cotización de 100 unidades",
        "Нужно 1000 шт",
        "Need 20 UV disinfection trolleys",
        "需要500个",
    ],
)
def test_naming_a_quantity_is_strong(message: str) -> None:
    signal = judge_inquiry_text(message)
    assert signal.strength is STRONG
    assert R.NAMES_QUANTITY in signal.reasons


@pytest.mark.parametrize(
    "message",
    [
        "Lamp of 36W please",
        "Wavelength 254nm",
        "Input 220V/50Hz",
        "Housing must be IP68",
        "Flow 10 m3/h",
        "Rated 15 GPM",
        "Lifetime 9000 hours",
    ],
)
def test_naming_a_spec_is_strong(message: str) -> None:
    signal = judge_inquiry_text(message)
    assert signal.strength is STRONG
    assert R.NAMES_SPEC in signal.reasons


def test_every_kind_of_specific_is_listed_in_a_fixed_order() -> None:
    signal = judge_inquiry_text("Dear Sir, please quote 500 pcs ZW36S19W UV germicidal lamps, 36W, 254nm.")
    assert signal == InquirySignal(STRONG, (R.NAMES_PRODUCT, R.NAMES_MODEL, R.NAMES_QUANTITY, R.NAMES_SPEC))


@pytest.mark.parametrize(
    "message",
    [
        "Dear sir/madam, please send your price list and catalog.",
        "Dear Sir, we are interested in your products. Please send us your catalogue and best price. Regards",
        "Hello, kindly send quotation and FOB price for your products, we are a big importer in our country.",
        "I am interested in your product, please contact me as soon as possible with more information.",
        "We can put your website on the first page of Google with our SEO services, reply for a free audit.",
        "Sehr geehrte Damen und Herren, bitte senden Sie uns Ihre Preisliste und Ihren Katalog.",
        "Estimados señores, estamos interesados en sus productos, por favor envíe su lista de precios.",
        "Madame, Monsieur, nous sommes intéressés par vos produits, veuillez nous envoyer votre catalogue.",
        "Здравствуйте, прошу выслать прайс и каталог вашей продукции для нашей компании.",
        "Merhaba, ürünlerinizle ilgileniyoruz, fiyat listesi gönderir misiniz lütfen teşekkürler",
        "您好，我们对贵公司的产品感兴趣，请发送价格表和目录，谢谢",
        "Hi",
        "Need price",
        "catalog?",
    ],
)
def test_generic_templates_and_near_empty_messages_are_weak(message: str) -> None:
    assert judge_inquiry_text(message) == InquirySignal(WEAK, (R.GENERIC_TEMPLATE,))


def test_a_greeting_alone_does_not_make_a_real_letter_a_template() -> None:
    message = (
        "Dear Sir, we are the municipal water utility of Kisumu and are planning a new treatment works for "
        "next year; we would like to discuss disinfection options with your engineers and visit a reference site."
    )
    assert judge_inquiry_text(message) == InquirySignal(NONE, (R.NO_SPECIFICS,))


@pytest.mark.parametrize("message", ["", "   \n\t", "?!…"])
def test_empty_message_gives_no_signal(message: str) -> None:
    assert judge_inquiry_text(message) == InquirySignal(NONE, (R.EMPTY,))


@pytest.mark.parametrize(
    "message",
    [
        "Since 2010 our lamps have served hospitals and we now plan to renew the whole range of our clinics.",
        "Write to sales2023abc@mail2you.com about the project we discussed earlier at the trade fair in Hannover.",
        "We bought a Covid-19 kit and a Win10 laptop last year for the office, and now we look for partners.",
        "Нам нужно доставить оборудование 20 в Москву до конца месяца для нового проекта водоканала.",
    ],
)
def test_years_emails_words_and_vocabulary_codes_are_not_specifics(message: str) -> None:
    assert judge_inquiry_text(message).strength is NONE


def test_strength_values_are_the_authenticity_contract_strings() -> None:
    assert [strength.value for strength in InquiryStrength] == ["strong", "weak", "none"]


def test_hostile_long_message_is_judged_quickly() -> None:
    started = time.perf_counter()
    judge_inquiry_text("ab1-" * 50_000 + "@ " + "please send " * 20_000 + "x1y2z3 " * 20_000)
    assert time.perf_counter() - started < 5
