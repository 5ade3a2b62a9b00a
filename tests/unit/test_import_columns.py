"""Columns of Alibaba and Made-in-China exports are recognized by their headers, in English and Chinese."""

import pytest

from leads.importing.columns import (
    Field,
    find_header_row,
    guess_mapping,
    guess_source,
    mapping_from_preset,
    normalize_header,
    preset_from_mapping,
    recognize,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("询盘编号", Field.SOURCE_REF),
        ("买家姓名", Field.CONTACT_NAME),
        ("公司名称", Field.COMPANY_NAME),
        ("国家", Field.COUNTRY),
        ("国家/地区", Field.COUNTRY),
        ("邮箱", Field.EMAIL),
        ("电话", Field.PHONE),
        ("询盘内容", Field.MESSAGE),
        ("产品名称", Field.PRODUCTS),
        ("数量", Field.QUANTITY),
        ("发送时间", Field.RECEIVED_AT),
        ("Inquiry ID", Field.SOURCE_REF),
        ("Buyer Name", Field.CONTACT_NAME),
        ("Company", Field.COMPANY_NAME),
        ("Country/Region", Field.COUNTRY),
        ("Email", Field.EMAIL),
        ("E-mail Address", Field.EMAIL),
        ("Tel", Field.PHONE),
        ("Message", Field.MESSAGE),
        ("Product", Field.PRODUCTS),
        ("Quantity", Field.QUANTITY),
        ("Date", Field.RECEIVED_AT),
        ("  Buyer's E-mail  ", Field.EMAIL),
        ("Inquiry Time", Field.RECEIVED_AT),
        ("ＥＭＡＩＬ", Field.EMAIL),  # full-width letters from a Chinese keyboard
        ("WhatsApp No.", Field.WHATSAPP),
        ("微信号", Field.WECHAT),
        ("Job Title", Field.ROLE),
    ],
)
def test_known_headers_are_recognized(header: str, field: Field) -> None:
    assert recognize(header) is field


@pytest.mark.parametrize("header", ["", "   ", "Remarks", "备注", "Seller ID 2"])
def test_unknown_headers_map_to_nothing(header: str) -> None:
    assert recognize(header) is None


def test_first_column_naming_a_field_takes_it_and_a_second_is_left_unmapped() -> None:
    mapping = guess_mapping(["Email", "Buyer Name", "E-mail", "Remarks"])
    assert mapping == {0: Field.EMAIL, 1: Field.CONTACT_NAME}


def test_preset_applies_to_the_same_headers_in_another_order() -> None:
    headers = ["Inquiry ID", "Buyer Name", "Kontakt-Mail"]
    preset = preset_from_mapping(headers, {0: Field.SOURCE_REF, 2: Field.EMAIL})
    assert preset == {"inquiryid": "source_ref", "kontaktmail": "email"}
    assert mapping_from_preset(["Kontakt-Mail", "Other", "inquiry id"], preset) == {
        0: Field.EMAIL,
        2: Field.SOURCE_REF,
    }


def test_preset_with_an_unknown_field_name_is_ignored_for_that_column() -> None:
    assert mapping_from_preset(["a", "b"], {"a": "not_a_field", "b": "email"}) == {1: Field.EMAIL}


def test_header_row_is_found_below_a_title_and_a_blank_line() -> None:
    rows = [
        ["Alibaba.com inquiries 2026-11"],
        [],
        ["Inquiry ID", "Buyer Name", "Email"],
        ["1", "Anna", "a@x.de"],
    ]
    assert find_header_row(rows) == 2


def test_without_known_headers_the_first_non_blank_row_is_the_header() -> None:
    assert find_header_row([[""], ["a", "b"], ["1", "2"]]) == 1


def test_normalized_header_drops_case_spaces_and_punctuation() -> None:
    assert normalize_header(" Country / Region: ") == "countryregion"


@pytest.mark.parametrize(
    ("file_name", "source"),
    [
        ("Alibaba_inquiries_2026.csv", "alibaba"),
        ("made-in-china-export.xlsx", "made_in_china"),
        ("MIC_inquiries.csv", "made_in_china"),
        ("leads.csv", "generic"),
    ],
)
def test_platform_is_guessed_from_the_file_name(file_name: str, source: str) -> None:
    assert guess_source(file_name) == source
