"""Importing an export file: counts, rejected lines, nothing twice, nothing half in; from the command line too."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from openpyxl import Workbook

from leads import imports
from leads.intake import InquiryInput, register_inquiry
from leads.models import BackgroundJob, Company, Contact, ImportPreset, ImportRun, Lead
from tests import factories

pytestmark = pytest.mark.django_db

ALIBABA_CN = (
    "询盘编号,买家姓名,公司名称,国家,邮箱,电话,询盘内容,产品名称,数量,发送时间\n"
    "1001,王喆,深圳清源水处理有限公司,中国,wz@qingyuan-water.cn,+86 138 0013 8000,需要紫外线杀菌灯,UV lamp,200,2026-03-05 14:22:10\n"
    '1002,Anna Schmidt,Aqua Tech GmbH,德国,anna@aqua-tech.de,,"Need UV lamps,\n200 pcs",T8 36W,200 pcs,2026/3/6 09:00\n'
    "1003,,,,,,,,,\n"
    '1004,Ben,Aqua Tech GmbH,德国,ben@aqua-tech.de,,=HYPERLINK("http://evil.example"),,,2026-03-07\n'
    "1005,Carl,,美国,carl@,,,,,2026-03-08\n"
    "1006,Dora,,美国,dora@gmail.com,,hello,,,next week\n"
    "1001,王喆,深圳清源水处理有限公司,中国,wz@qingyuan-water.cn,,same inquiry again,,,2026-03-05 14:22:10\n"
)


def _file(tmp_path: Path, text: str, name: str = "alibaba-export.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_counts_created_merged_duplicates_and_rejected_with_line_numbers(tmp_path: Path) -> None:
    run = imports.import_path(_file(tmp_path, ALIBABA_CN), source="alibaba")
    assert run.status == ImportRun.Status.DONE
    assert (run.created_count, run.merged_count, run.duplicate_count, run.rejected_count) == (2, 1, 1, 3)
    assert [(row["line"], row["reasons"][0][:20]) for row in run.rejected_rows] == [
        (5, "no buyer: a row need"),
        (7, "email 'carl@' is not"),
        (8, "date 'next week' not"),
    ]
    assert run.total_rows == 7  # records under the header; row 1002 spans lines 3 and 4
    assert Lead.objects.filter(source="alibaba").count() == 3
    ben = Lead.objects.get(source_ref="1004")
    assert ben.company == Lead.objects.get(source_ref="1002").company  # same registered domain
    assert ben.message == '=HYPERLINK("http://evil.example")'
    assert Lead.objects.get(source_ref="1002").message == "Need UV lamps,\n200 pcs"
    job = BackgroundJob.objects.get(pk=run.job_id)
    assert (job.status, job.done, job.total) == (BackgroundJob.Status.DONE, 7, 7)


def test_importing_the_same_file_twice_creates_nothing_twice(tmp_path: Path) -> None:
    path = _file(tmp_path, ALIBABA_CN)
    imports.import_path(path, source="alibaba")
    before = (Lead.objects.count(), Company.objects.count(), Contact.objects.count())
    again = imports.import_path(path, source="alibaba")
    assert (again.created_count, again.merged_count, again.duplicate_count) == (0, 0, 4)
    assert (Lead.objects.count(), Company.objects.count(), Contact.objects.count()) == before


def test_rows_without_platform_id_are_recognized_on_the_second_import(tmp_path: Path) -> None:
    text = "Email,Message,Date\nanna@aqua-tech.de,Need lamps,2026-03-05\nanna@aqua-tech.de,Other,2026-03-05\n"
    path = _file(tmp_path, text, "generic.csv")
    first = imports.import_path(path)
    second = imports.import_path(path)
    assert (first.created_count, first.merged_count) == (1, 1)
    assert second.duplicate_count == 2
    assert Lead.objects.filter(source="import").count() == 2


def test_imported_rows_join_contacts_made_by_other_ways_in(tmp_path: Path) -> None:
    form_lead = register_inquiry(
        InquiryInput(
            source="website",
            received_at=factories.timezone.now(),
            email="Anna@Aqua-Tech.de",
            phone="+49 151 23456789",
        )
    ).lead
    text = "Email,Tel,Company,Message\nANNA@aqua-tech.de,,,by email\n,+49 151 2345 6789,,by phone\nzed@aqua-tech.de,,,by domain\n"
    run = imports.import_path(_file(tmp_path, text, "generic.csv"))
    assert (run.created_count, run.merged_count) == (0, 3)
    leads = Lead.objects.filter(source="import").order_by("pk")
    assert [lead.contact_id for lead in leads[:2]] == [form_lead.contact_id] * 2
    assert leads[2].company_id == form_lead.company_id
    assert leads[2].contact_id != form_lead.contact_id


def test_xlsx_export_imports_like_csv(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Made-in-China.com inquiries"])
    sheet.append(["Inquiry No.", "Sender", "Company Name", "Country", "E-mail", "Content", "Date"])
    sheet.append(
        [
            55501,
            "Maria Rossi",
            "Acque Pure S.r.l.",
            "Italy",
            "maria@acque-pure.it",
            "=1+1",
            "2026-03-05 10:00",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "mic.xlsx"
    path.write_bytes(buffer.getvalue())
    run = imports.import_path(path, source="made_in_china")
    assert run.created_count == 1
    lead = Lead.objects.get()
    assert (lead.source, lead.source_ref, lead.message, lead.company.country) == (
        "made_in_china",
        "55501",
        "=1+1",
        "IT",
    )


def test_gbk_csv_with_bom_less_chinese_reads_right(tmp_path: Path) -> None:
    run = imports.import_path(_file(tmp_path, ALIBABA_CN, encoding="gbk"), source="alibaba")
    assert run.created_count == 2
    assert Contact.objects.filter(name="王喆").exists()


def test_file_without_any_buyer_column_fails_with_a_reason(tmp_path: Path) -> None:
    run = imports.import_path(_file(tmp_path, "Product,Quantity\nlamp,3\n", "generic.csv"))
    assert run.status == ImportRun.Status.FAILED
    assert "No column is mapped" in run.error
    assert not Lead.objects.exists()


def test_unreadable_file_raises_and_imports_nothing(tmp_path: Path) -> None:
    with pytest.raises(imports.ImportFileError, match="damaged and cannot be opened"):
        imports.import_path(_file(tmp_path, "PK\x03\x04 not really", "x.xlsx"))
    with pytest.raises(imports.ImportFileError, match="No such file"):
        imports.import_path(tmp_path / "missing.csv")
    assert not ImportRun.objects.exists()


def test_a_row_the_database_refuses_is_rejected_and_the_rest_kept() -> None:
    good = InquiryInput(source="import", received_at=factories.timezone.now(), email="ok@fine-corp.com")
    bad = InquiryInput(source="x" * 40, received_at=factories.timezone.now(), email="bad@fine-corp.com")
    outcomes = imports._register_chunk([good, bad, good], None, factories.timezone.now())
    assert isinstance(outcomes[1], str)
    assert outcomes[1].startswith("could not be saved")
    assert not isinstance(outcomes[0], str)
    assert not isinstance(outcomes[2], str)
    assert Lead.objects.count() == 2
    assert not Contact.objects.filter(email="bad@fine-corp.com").exists()  # nothing of the bad row is left


def test_large_file_is_prepared_in_a_forked_child_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(
        f"{n},Buyer {n},Co {n % 7},Germany,b{n}@co-{n % 7}.example,,msg {n},,,2026-03-05\n"
        for n in range(300)
    )
    path = _file(
        tmp_path, "Inquiry ID,Buyer Name,Company,Country,Email,Tel,Message,Product,Quantity,Date\n" + rows
    )
    monkeypatch.setattr(imports, "CHUNK_ROWS", 40)  # 8 chunks: the child prepares ahead
    forked = imports.import_path(path, source="alibaba")
    with transaction.atomic():
        Lead.objects.all().delete()
        Contact.objects.all().delete()
        Company.objects.all().delete()
        monkeypatch.setattr(imports, "PARALLEL_MIN_CHUNKS", 10_000)
        inline = imports.import_path(path, source="alibaba")
    assert (forked.created_count, forked.merged_count) == (7, 293)
    assert (inline.created_count, inline.merged_count) == (7, 293)


def test_command_prints_counts_and_rejected_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_inquiries", str(_file(tmp_path, ALIBABA_CN)), "--source", "alibaba")
    out = capsys.readouterr().out
    assert "created 2, merged 1, skipped as duplicates 1, rejected 3" in out
    assert "line 7: email 'carl@' is not an address" in out


def test_command_fails_only_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_inquiries", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="empty"):
        call_command("import_inquiries", str(_file(tmp_path, "")))
    call_command(
        "import_inquiries", str(_file(tmp_path, "Email\nnot-an-email\n", "x.csv"))
    )  # rows rejected: still 0


def test_command_applies_a_saved_preset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ImportPreset.objects.create(
        name="crm", source="generic", mapping={"kundenmail": "email", "kunde": "contact_name"}
    )
    call_command(
        "import_inquiries",
        str(_file(tmp_path, "Kunde,Kundenmail\nAnna,anna@aqua-tech.de\n", "x.csv")),
        "--preset",
        "crm",
    )
    assert "created 1" in capsys.readouterr().out
    assert Contact.objects.get().name == "Anna"
    with pytest.raises(CommandError, match="No preset"):
        call_command("import_inquiries", str(tmp_path / "x.csv"), "--preset", "missing")


def _label(chunk: list[tuple[int, list[str]]]) -> list[int]:
    return [line for line, _cells in chunk]  # type: ignore[return-value]


def test_children_hand_back_the_chunks_in_order() -> None:
    chunks = [[(n, [])] for n in range(9)]
    assert list(imports.prepared_ahead(chunks, _label, workers=2)) == [[n] for n in range(9)]  # type: ignore[arg-type]


def test_when_a_child_dies_the_rest_is_prepared_here() -> None:
    import os

    parent = os.getpid()

    def only_here(chunk: list[tuple[int, list[str]]]) -> list[int]:
        if os.getpid() != parent and chunk[0][0] >= 4:
            raise RuntimeError("a child failing half way")
        return _label(chunk)

    chunks = [[(n, [])] for n in range(9)]
    assert list(imports.prepared_ahead(chunks, only_here, workers=2)) == [[n] for n in range(9)]  # type: ignore[arg-type]


def _children() -> set[int]:
    import os

    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def test_an_abandoned_import_leaves_no_child_behind() -> None:
    before = _children()
    chunks = [[(n, [])] for n in range(20)]
    iterator = imports.prepared_ahead(chunks, _label, workers=2)  # type: ignore[arg-type]
    next(iterator)
    assert len(_children() - before) == 2
    iterator.close()  # the caller stopped (an exception, a killed task): children are killed and reaped
    assert _children() - before == set()
