"""The upload page: automatic mapping, a preview, a mapping the user corrects and saves, a run with progress."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from leads import imports
from leads.models import BackgroundJob, ImportPreset, ImportRun, Lead
from tests import factories
from tests.celery_worker import celery_worker, wait_for

EXPORT = (
    "Inquiry ID,Buyer Name,Company,Country/Region,Email,Tel,Message,Product,Quantity,Date\n"
    "A1,Anna Schmidt,Aqua Tech GmbH,Germany,anna@aqua-tech.de,,Need UV lamps,T8,200,2026-03-05 10:00\n"
    "A2,Ben,,United States,ben@,,hello,,,2026-03-05 11:00\n"
    'A3,Carl,Carl Co,France,carl@carl-co.fr,,"=HYPERLINK(""http://evil.example"")",,,2026-03-05 12:00\n'
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(client: Client, text: str = EXPORT, name: str = "alibaba-inquiries.csv") -> ImportRun:
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, text.encode())})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    assert response["Location"] == reverse("imports:mapping", kwargs={"run_pk": run.pk})
    return run


def _mapping_post(run: ImportRun, **overrides: str) -> dict[str, str]:
    data = {
        "source": "alibaba",
        "column_0": "source_ref",
        "column_1": "contact_name",
        "column_2": "company_name",
        "column_3": "country",
        "column_4": "email",
        "column_5": "phone",
        "column_6": "message",
        "column_7": "products",
        "column_8": "quantity",
        "column_9": "received_at",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_upload_shows_the_recognized_mapping_and_a_preview(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    assert run.source == "alibaba"  # from the file name
    page = client.get(reverse("imports:mapping", kwargs={"run_pk": run.pk})).content.decode()
    assert '<option value="email" selected>' in page
    assert "3 rows below the header" in page
    assert "not an address" in page  # row A2 would be rejected, and the preview says why
    assert "=HYPERLINK(&quot;http://evil.example&quot;)" in page  # shown as text, escaped


@pytest.mark.django_db
def test_changing_the_mapping_updates_the_preview_fragment(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    response = client.post(
        reverse("imports:preview", kwargs={"run_pk": run.pk}),
        _mapping_post(run, column_4="", column_1="", column_2=""),
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert 'id="mapping"' in fragment
    assert "no buyer" in fragment


@pytest.mark.django_db
def test_a_field_mapped_twice_is_refused_with_a_message(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    response = client.post(
        reverse("imports:start", kwargs={"run_pk": run.pk}), _mapping_post(run, column_1="email")
    )
    assert response.status_code == 200
    assert "is already taken by column" in response.content.decode()
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.UPLOADED


@pytest.mark.django_db
def test_started_import_runs_and_reports_counts_rejected_lines_and_a_safe_csv(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    response = client.post(
        reverse("imports:start", kwargs={"run_pk": run.pk}),
        _mapping_post(run, save_as="Alibaba EN", assign_to_me="on"),
    )
    assert response["Location"] == reverse("imports:detail", kwargs={"run_pk": run.pk})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
    assert run.job is not None
    queued_page = client.get(reverse("imports:progress", kwargs={"run_pk": run.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in queued_page
    preset = ImportPreset.objects.get(name="Alibaba EN")
    assert preset.mapping["buyername"] == "contact_name"

    imports.run_queued_import(run.pk)  # what the Celery task does

    run.refresh_from_db()
    assert (run.status, run.created_count, run.rejected_count) == (ImportRun.Status.DONE, 2, 1)
    assert set(Lead.objects.values_list("owner", flat=True)) == {rep.pk}  # "assign to me"
    done_page = client.get(reverse("imports:progress", kwargs={"run_pk": run.pk})).content.decode()
    assert "hx-trigger" not in done_page
    assert "Rejected rows" in done_page
    assert "<td>3</td>" in done_page
    exported = client.get(reverse("imports:rejected_csv", kwargs={"run_pk": run.pk}))
    assert exported["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["3", "email 'ben@' is not an address (expected name@domain.tld)"]
    assert imports.run_queued_import(run.pk) is None  # a second delivery of the task does nothing
    assert not (imports.import_dir() / run.stored_name).exists()  # the upload is deleted once imported


@pytest.mark.django_db
def test_imported_leads_go_to_the_pool_unless_the_importer_takes_them(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    client.post(reverse("imports:start", kwargs={"run_pk": run.pk}), _mapping_post(run))
    imports.run_queued_import(run.pk)
    assert set(Lead.objects.values_list("owner", flat=True)) == {None}


@pytest.mark.django_db
def test_preset_is_applied_from_the_mapping_page(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    preset = ImportPreset.objects.create(
        name="odd", source="made_in_china", mapping={"buyername": "company_name"}
    )
    client.force_login(rep)
    run = _upload(client)
    response = client.post(
        reverse("imports:preview", kwargs={"run_pk": run.pk}),
        {**_mapping_post(run), "preset": str(preset.pk), "apply_preset": "1"},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert '<option value="company_name" selected>' in fragment
    assert '<option value="made_in_china" selected>' in fragment


@pytest.mark.django_db
def test_uploading_a_file_imported_before_says_so(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    first = _upload(client)
    client.post(reverse("imports:start", kwargs={"run_pk": first.pk}), _mapping_post(first))
    imports.run_queued_import(first.pk)
    second = _upload(client)
    page = client.get(reverse("imports:mapping", kwargs={"run_pk": second.pk})).content.decode()
    assert "This file was imported before" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("notes.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file"), ("empty.csv", b"", "empty")],
)
def test_upload_refuses_other_files(client: Client, rep, name: str, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_upload_over_the_size_limit_is_refused(client: Client, rep, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LEADS_IMPORT_MAX_BYTES = 100
    client.force_login(rep)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("big.csv", b"x" * 101)})
    assert "the limit is 100" in response.content.decode()


@pytest.mark.django_db
def test_unreadable_upload_shows_the_reason_on_the_mapping_page(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04junk")}
    )
    run = ImportRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "damaged" in page
    assert run.status == ImportRun.Status.UPLOADED


@pytest.mark.django_db
def test_stored_upload_has_a_random_name_not_the_users(client: Client, rep, media_root: Path) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client, name="../../etc/passwd.csv")
    assert run.file_name == "passwd.csv"
    stored = list((media_root / "imports").iterdir())
    assert [path.name for path in stored] == [run.stored_name]
    assert len(run.stored_name) == 32


@pytest.mark.django_db
def test_only_reps_and_managers_import_and_reps_see_only_their_own_runs(
    client: Client, rep, other_rep, manager
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    client.force_login(other_rep)
    for name in ("imports:mapping", "imports:detail", "imports:progress", "imports:rejected_csv"):
        assert client.get(reverse(name, kwargs={"run_pk": run.pk})).status_code == 404, name
    assert (
        client.post(reverse("imports:start", kwargs={"run_pk": run.pk}), _mapping_post(run)).status_code
        == 404
    )
    client.force_login(manager)
    assert client.get(reverse("imports:mapping", kwargs={"run_pk": run.pk})).status_code == 200
    client.force_login(factories.UserFactory())
    assert client.get(reverse("imports:upload")).status_code == 403
    client.logout()
    assert client.get(reverse("imports:upload")).status_code == 302


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_celery_worker_runs_the_import_and_queues_the_checks(
    client: Client, tmp_path: Path, media_root: Path, redis_url: str, postgres_url: str
) -> None:
    rep = factories.user_with_role("rep")
    client.force_login(rep)
    export = "Buyer Name,Company,Tel,Country\nAnna,Aqua,+49 151 23456789,DE\nBen,Bolt,+49 151 23456780,DE\n"
    run = _upload(client, export, "phones.csv")
    data = {
        "source": "generic",
        "column_0": "contact_name",
        "column_1": "company_name",
        "column_2": "phone",
        "column_3": "country",
    }
    with celery_worker(
        tmp_path, broker_env={"REDIS_URL": redis_url}, extra_env={"MEDIA_ROOT": str(media_root)}
    ) as worker:
        client.post(reverse("imports:start", kwargs={"run_pk": run.pk}), data)
        assert wait_for(lambda: ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.DONE), (
            worker.log()[-3000:]
        )
        assert wait_for(lambda: "import_tasks.enqueue_checks" in worker.log() and "succeeded" in worker.log())
    run.refresh_from_db()
    assert run.created_count == 2
    assert BackgroundJob.objects.get(pk=run.job_id).status == BackgroundJob.Status.DONE
    assert Lead.objects.filter(check_queued_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_taken_again(client: Client, rep) -> None:  # type: ignore[no-untyped-def]
    client.force_login(rep)
    run = _upload(client)
    client.post(reverse("imports:start", kwargs={"run_pk": run.pk}), _mapping_post(run))
    running_now = factories.timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, started_at=running_now)
    assert imports.run_queued_import(run.pk) is None  # running elsewhere: left alone
    long_ago = running_now - factories.timezone.timedelta(seconds=imports.ABANDONED_AFTER_S + 1)
    ImportRun.objects.filter(pk=run.pk).update(started_at=long_ago)  # that worker died long ago
    again = imports.run_queued_import(run.pk)
    assert again is not None
    assert (again.status, again.created_count) == (ImportRun.Status.DONE, 2)
