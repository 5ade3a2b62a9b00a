"""Create (or rotate, or revoke) the bearer token of one inquiry source for POST /api/inquiries/."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from leads.ingest_models import hash_token
from leads.models import ApiToken, Source

TOKEN_PREFIX = "uvl_"


class Command(BaseCommand):
    help = "Create an API token for an inquiry source and print it once; only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="A name for the token, such as the website it is for.")
        parser.add_argument(
            "--source", default=Source.WEBSITE.value, choices=[value for value, _label in Source.choices]
        )
        parser.add_argument("--rotate", action="store_true", help="Replace the token of an existing name.")
        parser.add_argument("--revoke", action="store_true", help="Deactivate the token of an existing name.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        if not name or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        existing = ApiToken.objects.filter(name=name).first()
        if options["revoke"]:
            if existing is None:
                raise CommandError(f"No token named {name!r}.")
            ApiToken.objects.filter(pk=existing.pk).update(is_active=False)
            self.stdout.write(f"Token {name!r} revoked.")
            return
        if existing is not None and not options["rotate"]:
            raise CommandError(f"A token named {name!r} exists; use --rotate to replace it.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with transaction.atomic():
            if existing is not None:
                existing.token_hash = hash_token(token)
                existing.prefix = token[:12]
                existing.source = options["source"]
                existing.is_active = True
                existing.save()
            else:
                ApiToken.objects.create(
                    name=name, source=options["source"], token_hash=hash_token(token), prefix=token[:12]
                )
        self.stdout.write(f"Token for {name!r} (source {options['source']}); it is shown only this once:")
        self.stdout.write(token)
