"""Whether a mail is an Alibaba or Made-in-China inquiry notification, and the buyer details it carries.

The platforms relay a buyer's inquiry as a notification from their own address: the buyer's name,
company, country and message sit in "Label: value" lines (English or Chinese back office), in the
text or the HTML part. The sender is the platform, so such a mail is never a reply from a contact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from leads.importing.countries import country_code
from leads.mailbox.parsing import ParsedMail

ALIBABA = "alibaba"
MADE_IN_CHINA = "made_in_china"
# Registered domains the notifications come from.
_PLATFORM_DOMAINS = {
    "alibaba.com": ALIBABA,
    "alibaba-inc.com": ALIBABA,
    "alibaba.com.cn": ALIBABA,
    "made-in-china.com": MADE_IN_CHINA,
    "made-in-china.cn": MADE_IN_CHINA,
}

_LABELS: dict[str, tuple[str, ...]] = {
    "inquiry_id": ("inquiryid", "inquiryno", "inquirynumber", "rfqid", "rfqno", "询盘编号", "询盘号", "询价单号"),
    "contact_name": (
        "buyer", "buyername", "sender", "sendername", "name", "contact", "contactperson", "contactname",
        "from", "买家", "买家姓名", "联系人", "发件人", "姓名",
    ),
    "company_name": ("company", "companyname", "buyercompany", "sendercompany", "公司", "公司名称", "买家公司"),
    "country": ("country", "countryregion", "region", "location", "buyercountry", "国家", "国家地区", "地区"),
    "email": ("email", "emailaddress", "buyeremail", "邮箱", "电子邮箱"),
    "phone": ("tel", "phone", "telephone", "mobile", "电话", "手机", "联系电话"),
    "products": ("product", "productname", "products", "inquiryproduct", "产品", "产品名称", "询盘产品"),
    "quantity": ("quantity", "purchasequantity", "orderquantity", "数量", "采购数量"),
    "subject": ("subject", "inquirysubject", "title", "主题", "标题", "询盘标题"),
    "message": (
        "message", "inquirycontent", "content", "details", "inquirydetails", "inquirymessage",
        "询盘内容", "留言", "内容", "留言内容", "询价内容",
    ),
}  # fmt: skip
_LABEL_LOOKUP = {label: field for field, labels in _LABELS.items() for label in labels}
_LABEL_LINE = re.compile(r"^\s*[*•\-]?\s*([^:：\n]{1,40}?)\s*[:：]\s*(.*)$")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Where the relayed message ends and the platform's footer begins.
_FOOTER = re.compile(
    r"^\s*(?:reply now|reply to this inquiry|view details|view inquiry|click here|log in|sign in|this (?:e-?mail|message) was sent"
    r"|立即回复|回复询盘|查看详情|点击|此邮件|-{3,}|_{3,})",
    re.IGNORECASE,
)
_INQUIRY_ID_IN_URL = re.compile(r"(?:inquiry_?id|feedbackId|rfqId)=(\d{5,20})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PlatformInquiry:
    platform: str  # alibaba | made_in_china (the lead's source)
    inquiry_id: str
    contact_name: str
    company_name: str
    country: str  # ISO 3166 alpha-2, or ""
    email: str
    phone: str
    products: str
    quantity: str
    subject: str
    message: str


def platform_of(mail: ParsedMail) -> str | None:
    """alibaba or made_in_china when the mail comes from a platform's domain, else None."""
    if mail.sender is None:
        return None
    domain = mail.sender.domain
    for suffix, platform in _PLATFORM_DOMAINS.items():
        if domain == suffix or domain.endswith("." + suffix):
            return platform
    return None


def parse_notification(mail: ParsedMail) -> PlatformInquiry | None:
    """The buyer's inquiry in a platform notification; None when the mail is not one (news, account notices)."""
    platform = platform_of(mail)
    if platform is None:
        return None
    values = _labelled_values(mail.text)
    if not (values.get("contact_name") or values.get("message")):
        return None
    inquiry_id = values.get("inquiry_id", "")
    if not inquiry_id and (found := _INQUIRY_ID_IN_URL.search(mail.text + mail.html)):
        inquiry_id = found.group(1)
    email_text = values.get("email", "")
    email = email_text if "@" in email_text and "*" not in email_text else ""
    return PlatformInquiry(
        platform=platform,
        inquiry_id=_first_word(inquiry_id)[:100],
        contact_name=values.get("contact_name", "")[:200],
        company_name=values.get("company_name", "")[:200],
        country=country_code(values.get("country", "")),
        email=_first_word(email),
        phone=values.get("phone", "")[:64],
        products=values.get("products", "")[:300],
        quantity=values.get("quantity", "")[:100],
        subject=values.get("subject", "") or mail.subject,
        message=values.get("message", ""),
    )


def _label(text: str) -> str | None:
    key = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
    return _LABEL_LOOKUP.get(key)


def _labelled_values(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        match = _LABEL_LINE.match(lines[index])
        field = _label(match.group(1)) if match else None
        index += 1
        if match is None or field is None or field in values:
            continue
        value = match.group(2).strip()
        if field == "message":
            # The message runs over lines until the next label or the platform's footer.
            body = [value] if value else []
            while index < len(lines):
                line = lines[index]
                next_label = _LABEL_LINE.match(line)
                if _FOOTER.match(line) or (next_label and _label(next_label.group(1))):
                    break
                body.append(line.rstrip())
                index += 1
            value = "\n".join(body).strip()
        elif not value and index < len(lines):
            # "Buyer:" on one line, the name on the next (how HTML tables come out as text).
            value = lines[index].strip()
            if _LABEL_LINE.match(value) and _label(_LABEL_LINE.match(value).group(1)):  # type: ignore[union-attr]
                value = ""
            else:
                index += 1
        if value:
            values[field] = value
    return values


def _first_word(text: str) -> str:
    return text.split()[0] if text.split() else ""
