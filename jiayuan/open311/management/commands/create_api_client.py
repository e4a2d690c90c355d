"""`manage.py create_api_client NAME --region CODE`: create an Open311 client and print its key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiayuan.core.actor import system_actor
from jiayuan.core.exceptions import DomainError
from jiayuan.open311.services import api_client_create
from jiayuan.regions.models import Region


class Command(BaseCommand):
    help = "Create an Open311 API client that may file cases for estates within a region; prints its key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--region", required=True, help="code of the region the key may file for")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.visible_to(system_actor()).filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"No region with code {options['region']}.")
        try:
            client, key = api_client_create(actor=system_actor(), name=options["name"], region=region)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stderr.write(f"API client {client.name} (region {region.code}); the key is shown only now:")
        self.stdout.write(key)
