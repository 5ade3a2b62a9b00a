"""Import a platform export from the command line: the same import as the upload page, run at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leads import imports
from leads.models import ImportPreset, ImportSource

SOURCES = {
    "alibaba": ImportSource.ALIBABA,
    "made-in-china": ImportSource.MADE_IN_CHINA,
    "generic": ImportSource.GENERIC,
}


class Command(BaseCommand):
    help = (
        "Import inquiries from a CSV or XLSX export (Alibaba, Made-in-China or any spreadsheet). Prints the counts "
        "and every rejected row with its line number; exits non-zero only when the file itself cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", choices=sorted(SOURCES), help="Default: from the file name, else generic."
        )
        parser.add_argument(
            "--preset", help="Name of a saved column mapping; default: recognized from the headers."
        )
        parser.add_argument("--encoding", default="", help="CSV text encoding; default: detected.")

    def handle(self, *args: Any, **options: Any) -> None:
        preset = None
        if options["preset"]:
            preset = ImportPreset.objects.filter(name=options["preset"]).first()
            if preset is None:
                raise CommandError(f"No preset named {options['preset']!r}.")
        source = SOURCES[options["source"]].value if options["source"] else ""
        try:
            run = imports.import_path(
                options["file"], source=source, preset=preset, encoding=options["encoding"]
            )
        except imports.ImportFileError as error:
            raise CommandError(str(error)) from None
        if run.error:
            # The file was read but nothing in it could be imported (no usable column): say so, exit 0.
            self.stderr.write(f"Nothing imported: {run.error}")
        self.stdout.write(
            f"{run.file_name}: {run.total_rows} rows; created {run.created_count}, merged {run.merged_count}, "
            f"skipped as duplicates {run.duplicate_count}, rejected {run.rejected_count}"
        )
        for row in run.rejected_rows:
            self.stdout.write(f"  line {row['line']}: {'; '.join(row['reasons'])}")
        if run.rejected_count > len(run.rejected_rows):
            self.stdout.write(f"  ... and {run.rejected_count - len(run.rejected_rows)} more rejected rows")
