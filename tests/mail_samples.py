"""Real-looking raw mail for the sales mailbox tests, in the charsets and transfer encodings buyers send.

Each builder returns the bytes a mail server would store. Addresses use real-looking company domains;
nothing here is ever sent anywhere.
"""

from __future__ import annotations

import base64
import quopri
from email.header import Header

OUR_ADDRESS = "sales@uv-factory.example"
OUTBOUND_ID = "<out-20261101-0001@uv-factory.example>"
DATE = "Mon, 16 Nov 2026 09:15:00 +0100"


def _header(text: str, charset: str) -> str:
    return Header(text, charset).encode()


def _lines(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def utf8_quoted_printable() -> bytes:
    """A German buyer, UTF-8 subject (base64 words) and a quoted-printable body with umlauts."""
    body = quopri.encodestring(
        "Sehr geehrte Damen und Herren,\r\n\r\nwir planen eine UV-Entkeimung für unsere Kläranlage "
        "und bitten um ein Angebot über 200 Stück UV-Lampen T8 36W.\r\n\r\nMit freundlichen Grüßen\r\nAnna Schmidt\r\n"
        "Aqua Tech GmbH, Köln".encode()
    ).decode("ascii")
    return _lines(
        f"From: {_header('Anna Schmidt', 'utf-8')} <anna.schmidt@aqua-tech.de>",
        f"To: {OUR_ADDRESS}",
        f"Subject: {_header('Anfrage: UV-Lampen für Kläranlage', 'utf-8')}",
        f"Date: {DATE}",
        "Message-ID: <20261116091500.1@aqua-tech.de>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        body,
    )


def gb2312_base64() -> bytes:
    """A Chinese buyer whose mailer says GB2312 but writes a GBK-only character (喆), base64 encoded."""
    text = "您好：\r\n我们需要200支紫外线杀菌灯（254nm），用于污水处理项目。请报价。\r\n联系人：王喆\r\n深圳清源水处理有限公司\r\n"
    body = base64.encodebytes(text.encode("gbk")).decode("ascii")
    subject = "=?GB2312?B?" + base64.b64encode("询价：紫外线杀菌灯".encode("gbk")).decode() + "?="
    name = "=?GB2312?B?" + base64.b64encode("王喆".encode("gbk")).decode() + "?="
    return _lines(
        f"From: {name} <wangzhe@qingyuan-water.cn>",
        f"To: {OUR_ADDRESS}",
        f"Subject: {subject}",
        "Date: Tue, 17 Nov 2026 10:02:11 +0800",
        "Message-ID: <5f3a.qingyuan@qingyuan-water.cn>",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="gb2312"',
        "Content-Transfer-Encoding: base64",
        "",
        body,
    )


def iso_8859_1_quoted_printable() -> bytes:
    """A Spanish buyer in ISO-8859-1, quoted-printable, with Q-encoded subject."""
    text = "Buenos días,\r\nsolicitamos cotización de 50 esterilizadores UV para piscinas.\r\nSaludos,\r\nJosé García\r\n"
    body = quopri.encodestring(text.encode("iso-8859-1")).decode("ascii")
    return _lines(
        f"From: {_header('José García', 'iso-8859-1')} <jose.garcia@aguas-limpias.es>",
        f"To: {OUR_ADDRESS}",
        "Subject: =?ISO-8859-1?Q?Solicitud_de_cotizaci=F3n_-_esterilizadores?=",
        "Date: Wed, 18 Nov 2026 12:30:00 +0100",
        "Message-ID: <CAF1234.es@aguas-limpias.es>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=ISO-8859-1",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        body,
    )


def iso_8859_2_base64() -> bytes:
    """A Polish buyer in ISO-8859-2, base64 body and subject."""
    text = "Dzień dobry,\r\nprosimy o ofertę na lampy UV do stacji uzdatniania wody (żółta seria).\r\nŁukasz Wójcik\r\n"
    body = base64.encodebytes(text.encode("iso-8859-2")).decode("ascii")
    return _lines(
        f"From: {_header('Łukasz Wójcik', 'iso-8859-2')} <lukasz.wojcik@wod-kan.pl>",
        f"To: {OUR_ADDRESS}",
        f"Subject: {_header('Zapytanie ofertowe: lampy UV', 'iso-8859-2')}",
        "Date: Thu, 19 Nov 2026 08:05:00 +0100",
        "Message-ID: <wodkan-771@wod-kan.pl>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=iso-8859-2",
        "Content-Transfer-Encoding: base64",
        "",
        body,
    )


def alibaba_notification() -> bytes:
    """Alibaba's relay of a buyer's inquiry: text and HTML alternatives from the platform's address."""
    text = (
        "Dear Supplier,\r\n\r\nYou have received a new inquiry.\r\n\r\n"
        "Inquiry ID: 9876543210\r\nBuyer: Jan Kowalski\r\nCompany: AquaPol Sp. z o.o.\r\n"
        "Country/Region: Poland\r\nProduct: UV germicidal lamp T8 36W\r\nQuantity: 300 Pieces\r\n"
        "Message:\r\nHello, we need 300 pcs for a fish farm.\r\nPlease send the price FOB Shanghai.\r\n\r\n"
        "Reply now: https://message.alibaba.com/message/inquiry.htm?inquiryId=9876543210\r\n"
    )
    html = (
        "<html><body><p>Dear Supplier,</p><table><tr><td>Buyer:</td><td>Jan Kowalski</td></tr>"
        "<tr><td>Company:</td><td>AquaPol Sp. z o.o.</td></tr></table>"
        "<script>alert(1)</script></body></html>"
    )
    return _lines(
        "From: Alibaba.com <notification@service.alibaba.com>",
        f"To: {OUR_ADDRESS}",
        "Subject: New inquiry from Jan Kowalski: UV germicidal lamp T8 36W",
        "Date: Fri, 20 Nov 2026 03:00:00 +0000",
        "Message-ID: <alibaba-notice-9876543210@service.alibaba.com>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="ali-boundary"',
        "",
        "--ali-boundary",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(text.encode()).decode("ascii"),
        "--ali-boundary",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(html.encode()).decode("ascii"),
        "--ali-boundary--",
    )


def made_in_china_notification() -> bytes:
    """Made-in-China's relay: HTML only, the details in a table, the message over several lines."""
    html = (
        "<html><head><style>td{color:red}</style></head><body>"
        "<h2>You have a new inquiry</h2><table>"
        "<tr><td>Sender:</td><td>Maria Rossi</td></tr>"
        "<tr><td>Company Name:</td><td>Acque Pure S.r.l.</td></tr>"
        "<tr><td>Country:</td><td>Italy</td></tr>"
        "<tr><td>Subject:</td><td>UV sterilizer 40W for swimming pools</td></tr>"
        "</table><p>Content:<br>Good morning,<br>we would like 20 UV sterilizers for swimming pools.<br>"
        "Best regards</p><p>View details</p></body></html>"
    )
    return _lines(
        "From: Made-in-China.com <inquiry@made-in-china.com>",
        f"To: {OUR_ADDRESS}",
        "Subject: New Inquiry: UV sterilizer 40W for swimming pools",
        "Date: Fri, 20 Nov 2026 04:00:00 +0000",
        "Message-ID: <mic-inq-55501@made-in-china.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        quopri.encodestring(html.encode()).decode("ascii"),
    )


def reply_to_outbound(sender: str = "p.brown@hvac-pro.co.uk") -> bytes:
    """A customer's answer to our quote: In-Reply-To and References point at our outbound Message-ID."""
    return _lines(
        f"From: Peter Brown <{sender}>",
        f"To: {OUR_ADDRESS}",
        "Subject: Re: Quotation UV lamps",
        "Date: Sat, 21 Nov 2026 14:00:00 +0000",
        "Message-ID: <reply-hvac-1@hvac-pro.co.uk>",
        f"In-Reply-To: {OUTBOUND_ID}",
        f"References: <older@uv-factory.example> {OUTBOUND_ID}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Thanks, the price is fine. Please send a proforma invoice.",
        "",
        "On Sun, 1 Nov 2026 sales wrote:",
        "> Dear Peter, our quotation is attached.",
    )


def german_out_of_office(sender: str = "k.weber@klaer-werk.de") -> bytes:
    """An out-of-office note in German with a return date, marked by Auto-Submitted."""
    text = (
        "Vielen Dank für Ihre Nachricht.\r\n\r\nIch bin bis zum 15.01.2027 nicht im Büro und habe keinen "
        "Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an info@klaer-werk.de.\r\n\r\n"
        "Mit freundlichen Grüßen\r\nKlaus Weber\r\n"
    )
    return _lines(
        f"From: Klaus Weber <{sender}>",
        f"To: {OUR_ADDRESS}",
        f"Subject: {_header('Abwesenheitsnotiz: Angebot UV-Lampen', 'utf-8')}",
        "Date: Sun, 22 Nov 2026 07:00:00 +0100",
        "Message-ID: <ooo-weber-1@klaer-werk.de>",
        "Auto-Submitted: auto-replied",
        "X-Auto-Response-Suppress: All",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
    ) + text.encode("utf-8")


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def with_attachments() -> bytes:
    """A new buyer sends a drawing (a PDF declared as octet-stream, RFC 2231 name) and a disguised program."""
    return _lines(
        "From: Ahmed Khan <ahmed.khan@gulf-aqua.ae>",
        f"To: {OUR_ADDRESS}",
        "Subject: RFQ with drawing",
        "Date: Sat, 21 Nov 2026 10:00:00 +0400",
        "Message-ID: <rfq-gulf-42@gulf-aqua.ae>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="mixed-1"',
        "",
        "--mixed-1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Please quote the UV system in the attached drawing.",
        "--mixed-1",
        "Content-Type: application/octet-stream",
        "Content-Disposition: attachment; filename*=UTF-8''Zeichnung%20K%C3%A4lte.pdf",
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(PDF_BYTES).decode("ascii"),
        "--mixed-1",
        'Content-Type: application/pdf; name="invoice.pdf"',
        'Content-Disposition: attachment; filename="../../invoice.pdf.exe"',
        "Content-Transfer-Encoding: base64",
        "",
        base64.encodebytes(EXE_BYTES).decode("ascii"),
        "--mixed-1--",
    )


def broken_mime() -> bytes:
    """No Message-ID, raw 8-bit header, unknown charset, bad base64, a boundary never closed."""
    return (
        b"From: \xe6\x9d\x8e\xe5\x9b\x9b <li.si@haiyang-aqua.cn>\r\n"
        b"To: sales@uv-factory.example\r\n"
        b"Subject: =?x-unknown-charset?Q?broken=ZZ?= and raw \xe8\xaf\xa2\xe4\xbb\xb7\r\n"
        b"Date: not a date at all\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n'
        b"\r\n"
        b"--never-closed\r\n"
        b"Content-Type: text/plain; charset=x-made-up\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"\r\n"
        b"5oiR5Lus6ZyA6KaB57Sr5aSW57q/54Gv!!!not-base64\r\n"
        b"--never-closed\r\n"
        b"Content-Type: text/html\r\n"
        b"\r\n"
        b"<p onclick='steal()'>Need <b>UV</b> lamps <a href='javascript:alert(1)'>here</a></p>\r\n"
    )


def html_only_with_script() -> bytes:
    return _lines(
        "From: Lee Min <lee.min@clean-water.kr>",
        f"To: {OUR_ADDRESS}",
        "Subject: Inquiry",
        "Date: Sat, 21 Nov 2026 01:00:00 +0900",
        "Message-ID: <html-only-1@clean-water.kr>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<html><body><script>document.location='https://evil.example'</script>"
        "<p>We need <b>UV lamps</b> for our <a href='https://clean-water.kr' onclick='x()'>plant</a>.</p>"
        "<img src='https://tracker.example/p.gif'></body></html>",
    )


def large_message(size: int) -> bytes:
    return _lines(
        "From: Big Sender <big@bulk-files.example.com>",
        f"To: {OUR_ADDRESS}",
        "Subject: huge attachment",
        "Date: Sat, 21 Nov 2026 01:00:00 +0000",
        "Message-ID: <huge-1@bulk-files.example.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "",
    ) + (b"x" * 76 + b"\r\n") * (size // 78 + 1)


def all_new_inquiries() -> list[bytes]:
    """The messages from senders nobody knows yet (each becomes a lead)."""
    return [
        utf8_quoted_printable(),
        gb2312_base64(),
        iso_8859_1_quoted_printable(),
        iso_8859_2_base64(),
        with_attachments(),
        broken_mime(),
        html_only_with_script(),
    ]
