"""Which inquiry field each column of an export holds, from its header in English or Chinese."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum


class Field(StrEnum):
    """An inquiry field a column can fill; the values are InquiryInput's field names (channels aside)."""

    SOURCE_REF = "source_ref"
    CONTACT_NAME = "contact_name"
    ROLE = "role"
    COMPANY_NAME = "company_name"
    WEBSITE = "website"
    COUNTRY = "country"
    EMAIL = "email"
    PHONE = "phone"
    SUBJECT = "subject"
    MESSAGE = "message"
    PRODUCTS = "products"
    QUANTITY = "quantity"
    RECEIVED_AT = "received_at"
    WHATSAPP = "whatsapp"
    WECHAT = "wechat"
    SKYPE = "skype"
    TELEGRAM = "telegram"


FIELD_LABELS: dict[Field, str] = {
    Field.SOURCE_REF: "Inquiry ID",
    Field.CONTACT_NAME: "Buyer name",
    Field.ROLE: "Job title",
    Field.COMPANY_NAME: "Company",
    Field.WEBSITE: "Website",
    Field.COUNTRY: "Country",
    Field.EMAIL: "Email",
    Field.PHONE: "Phone",
    Field.SUBJECT: "Subject",
    Field.MESSAGE: "Message",
    Field.PRODUCTS: "Product",
    Field.QUANTITY: "Quantity",
    Field.RECEIVED_AT: "Date received",
    Field.WHATSAPP: "WhatsApp",
    Field.WECHAT: "WeChat",
    Field.SKYPE: "Skype",
    Field.TELEGRAM: "Telegram",
}
CHANNEL_FIELDS = (Field.WHATSAPP, Field.WECHAT, Field.SKYPE, Field.TELEGRAM)

# Whole headers, as normalize_header leaves them. Alibaba and Made-in-China name the same field
# differently, and each in the language of the seller's back office.
_EXACT: dict[Field, tuple[str, ...]] = {
    Field.SOURCE_REF: (
        "inquiryid", "inquiryno", "inquirynumber", "rfqid", "rfqno", "id", "no", "messageid",
        "询盘编号", "询盘id", "询盘号", "询价单号", "编号", "询盘单号",
    ),
    Field.CONTACT_NAME: (
        "buyername", "buyer", "buyerfullname", "contact", "contactname", "contactperson", "name",
        "fullname", "sender", "sendername", "customername", "买家姓名", "买家", "买家名称", "联系人",
        "姓名", "发件人", "客户姓名", "联系人姓名",
    ),
    Field.ROLE: ("jobtitle", "position", "role", "职位", "职务"),
    Field.COMPANY_NAME: (
        "company", "companyname", "buyercompany", "buyercompanyname", "organization", "organisation",
        "sendercompany", "公司名称", "公司", "买家公司", "企业名称", "公司名", "买家公司名称",
    ),
    Field.WEBSITE: ("website", "web", "url", "homepage", "companywebsite", "网站", "公司网址", "网址", "公司网站"),
    Field.COUNTRY: (
        "country", "countryregion", "region", "buyercountry", "countryorregion", "国家", "国家地区",
        "地区", "买家国家", "国家和地区",
    ),
    Field.EMAIL: (
        "email", "emailaddress", "mail", "buyeremail", "senderemail", "邮箱", "电子邮箱", "邮件",
        "email地址", "买家邮箱", "电子邮件", "邮箱地址",
    ),
    Field.PHONE: (
        "tel", "phone", "telephone", "mobile", "phonenumber", "telno", "mobilephone", "cellphone",
        "buyerphone", "电话", "手机", "联系电话", "手机号", "电话号码", "手机号码",
    ),
    Field.SUBJECT: ("subject", "title", "inquirysubject", "inquirytitle", "询盘标题", "标题", "主题"),
    Field.MESSAGE: (
        "message", "inquirycontent", "inquiry", "content", "details", "inquirymessage", "inquirydetails",
        "comments", "询盘内容", "内容", "留言", "询盘详情", "消息", "留言内容", "询价内容",
    ),
    Field.PRODUCTS: (
        "product", "productname", "products", "productsofinterest", "item", "产品名称", "产品",
        "商品名称", "商品", "询盘产品",
    ),
    Field.QUANTITY: (
        "quantity", "qty", "purchasequantity", "orderquantity", "amount", "数量", "采购数量", "采购量",
    ),
    Field.RECEIVED_AT: (
        "date", "time", "sendtime", "senttime", "received", "receivedat", "inquirydate", "inquirytime",
        "created", "createdat", "datesent", "datetime", "发送时间", "询盘时间", "时间", "日期", "创建时间",
        "接收时间", "询盘日期",
    ),
    Field.WHATSAPP: ("whatsapp",),
    Field.WECHAT: ("wechat", "微信", "微信号"),
    Field.SKYPE: ("skype",),
    Field.TELEGRAM: ("telegram",),
}  # fmt: skip

# Words inside a longer header ("Buyer's E-mail Address", "询盘发送时间"), tried in this order.
_CONTAINS: tuple[tuple[str, Field], ...] = (
    ("whatsapp", Field.WHATSAPP),
    ("wechat", Field.WECHAT),
    ("微信", Field.WECHAT),
    ("skype", Field.SKYPE),
    ("telegram", Field.TELEGRAM),
    ("email", Field.EMAIL),
    ("邮箱", Field.EMAIL),
    ("邮件", Field.EMAIL),
    ("website", Field.WEBSITE),
    ("网址", Field.WEBSITE),
    ("inquiryid", Field.SOURCE_REF),
    ("inquiryno", Field.SOURCE_REF),
    ("编号", Field.SOURCE_REF),
    ("phone", Field.PHONE),
    ("mobile", Field.PHONE),
    ("电话", Field.PHONE),
    ("手机", Field.PHONE),
    ("company", Field.COMPANY_NAME),
    ("公司", Field.COMPANY_NAME),
    ("country", Field.COUNTRY),
    ("国家", Field.COUNTRY),
    ("product", Field.PRODUCTS),
    ("产品", Field.PRODUCTS),
    ("quantity", Field.QUANTITY),
    ("数量", Field.QUANTITY),
    ("subject", Field.SUBJECT),
    ("标题", Field.SUBJECT),
    ("message", Field.MESSAGE),
    ("content", Field.MESSAGE),
    ("内容", Field.MESSAGE),
    ("留言", Field.MESSAGE),
    ("date", Field.RECEIVED_AT),
    ("time", Field.RECEIVED_AT),
    ("时间", Field.RECEIVED_AT),
    ("日期", Field.RECEIVED_AT),
    ("name", Field.CONTACT_NAME),
    ("姓名", Field.CONTACT_NAME),
    ("联系人", Field.CONTACT_NAME),
)
_EXACT_LOOKUP = {alias: field for field, aliases in _EXACT.items() for alias in aliases}
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_header(header: str) -> str:
    """A header reduced for matching: full-width folded, case-folded, no spaces or punctuation."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", header).casefold())


def recognize(header: str) -> Field | None:
    """The field a header names, or None when it names nothing known."""
    key = normalize_header(header)
    if not key:
        return None
    if key in _EXACT_LOOKUP:
        return _EXACT_LOOKUP[key]
    for word, field in _CONTAINS:
        if word in key:
            return field
    return None


def guess_mapping(headers: Sequence[str]) -> dict[int, Field]:
    """Column index → field for the headers recognized; the first column naming a field gets it."""
    mapping: dict[int, Field] = {}
    taken: set[Field] = set()
    for index, header in enumerate(headers):
        field = recognize(header)
        if field is not None and field not in taken:
            mapping[index] = field
            taken.add(field)
    return mapping


def mapping_from_preset(headers: Sequence[str], preset: Mapping[str, str]) -> dict[int, Field]:
    """Apply a saved preset (normalized header → field) to this file's headers, in whatever order they come."""
    mapping: dict[int, Field] = {}
    taken: set[Field] = set()
    for index, header in enumerate(headers):
        value = preset.get(normalize_header(header), "")
        try:
            field = Field(value)
        except ValueError:
            continue
        if field not in taken:
            mapping[index] = field
            taken.add(field)
    return mapping


def preset_from_mapping(headers: Sequence[str], mapping: Mapping[int, Field]) -> dict[str, str]:
    """A mapping in the form a preset keeps: by normalized header, so column order may change."""
    return {
        normalize_header(headers[index]): field.value
        for index, field in mapping.items()
        if index < len(headers) and normalize_header(headers[index])
    }


def find_header_row(rows: Sequence[Sequence[str]], scan: int = 10) -> int:
    """The index of the header row: exports sometimes put a title or a blank line above it.

    The first of the first rows naming at least two known fields; else the first non-blank row.
    """
    best = None
    for index, cells in enumerate(rows[:scan]):
        recognized = {recognize(cell) for cell in cells if cell.strip()} - {None}
        if len(recognized) >= 2:
            return index
        if best is None and any(cell.strip() for cell in cells):
            best = index
    return best or 0


def guess_source(file_name: str) -> str:
    """alibaba, made_in_china or generic, from the file name; the columns alone cannot tell the platforms apart."""
    name = normalize_header(file_name)
    if "alibaba" in name or "阿里巴巴" in name:
        return "alibaba"
    if "madeinchina" in name or "中国制造" in name or name.startswith("mic"):
        return "made_in_china"
    return "generic"
