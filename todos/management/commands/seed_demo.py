import random
import secrets
import sys
import time
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone
from tqdm import tqdm

from accounts import services as account_services
from accounts.models import User, normalize_email
from lists import services as list_services
from lists.models import Membership, Role
from todos.demo import seed_todos
from todos.models import Todo


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def whole(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Make demo accounts and realistic todos fast, for trying the service out or measuring it. "
        "Each account named ends up with at least --todos todos: a missing account is created "
        "(its generated password is printed, once), and an account that already has todos only "
        "gets the difference, so a re-run with the same arguments adds nothing. "
        "With --lists the todos are dealt out over that many lists, which --share-with shares. "
        "Refuses to run with debug off unless --yes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", help="The one account to fill.")
        who.add_argument(
            "--users",
            type=positive,
            metavar="U",
            help="Fill U accounts, demo1@example.com to demoU@example.com.",
        )
        parser.add_argument(
            "--todos",
            type=whole,
            required=True,
            metavar="N",
            help="How many todos each account has at least when the command ends.",
        )
        parser.add_argument(
            "--jobs",
            type=positive,
            default=2,
            metavar="J",
            help="PostgreSQL connections writing at once (default 2).",
        )
        parser.add_argument(
            "--lists",
            type=positive,
            metavar="N",
            help="Deal each account's todos out over N lists, 'Demo list 1' to 'Demo list N' "
            "(made if missing), instead of putting them in its inbox.",
        )
        parser.add_argument(
            "--share-with",
            metavar="EMAIL",
            help="Share those lists (needs --lists) with this account as editor; it is made, "
            "with a verified address, if missing.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            metavar="S",
            help="Seed the random titles, dates and states, so that a run on an empty "
            "database makes the same todos every time (for measurements and tests).",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Run even with debug off (a production-like database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["yes"]:
            raise CommandError(
                "Debug is off, so this may be a real database: seed_demo would add demo "
                "accounts and todos to it. Pass --yes to do it anyway."
            )
        if options["email"] is not None:
            emails = [self.valid_email(options["email"])]
        else:
            emails = [f"demo{number}@example.com" for number in range(1, options["users"] + 1)]

        share_with = None
        if options["share_with"] is not None:
            if options["lists"] is None:
                raise CommandError("--share-with shares the lists of --lists: give both.")
            share_with = self.account(self.valid_email(options["share_with"]), verified=True)

        rng = random.Random(options["seed"])  # noqa: S311 (demo data, not secrets)
        started = time.monotonic()
        added = 0
        # tqdm redraws its line with \r: it writes to the stream itself, not to
        # self.stderr, which ends every write with a newline.
        progress_to: TextIO = options.get("stderr") or sys.stderr
        for email in emails:
            added += self.fill(
                email=email,
                todos=options["todos"],
                rng=rng,
                progress_to=progress_to,
                jobs=options["jobs"],
                lists=options["lists"],
                share_with=share_with,
            )
        elapsed = time.monotonic() - started
        self.stdout.write(f"Added {added:,} todos in {elapsed:.1f} s.")

    @staticmethod
    def valid_email(text: str) -> str:
        email = normalize_email(text)
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {text!r}.") from None
        return email

    def account(self, email: str, *, verified: bool = False) -> User:
        """The account with this address; made (its password printed once) if missing."""
        user = User.objects.filter(email=email).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            # The operator names the address: a demo account needs no mailed link.
            user = account_services.user_create(email=email, password=password, email_verified=True)
            self.stdout.write(f"Created {email} with password {password}")
        if verified and not user.email_verified:
            user.email_verified = True
            user.save(update_fields=["email_verified"])
        return user

    def fill(
        self,
        *,
        email: str,
        todos: int,
        rng: random.Random,
        progress_to: TextIO,
        jobs: int,
        lists: int | None = None,
        share_with: User | None = None,
    ) -> int:
        user = self.account(email)
        if lists is None:
            targets = [user.owned_lists.get(is_inbox=True)]
        else:
            targets = [
                user.owned_lists.filter(name=f"Demo list {number}").first()
                or list_services.list_create(owner=user, name=f"Demo list {number}")
                for number in range(1, lists + 1)
            ]
        if share_with is not None:
            for target in targets:
                Membership.objects.get_or_create(
                    list=target, user=share_with, defaults={"role": Role.EDITOR}
                )
        existing = Todo.objects.filter(list__in=targets).count()
        missing = max(todos - existing, 0)
        if missing:  # a re-run with nothing to add opens no COPY streams
            with tqdm(
                total=missing, desc=email, unit=" todos", unit_scale=True, file=progress_to
            ) as bar:
                seed_todos(
                    owner_id=user.pk,
                    list_ids=[target.pk for target in targets],
                    count=missing,
                    now=timezone.now(),
                    rng=rng,
                    progress=bar.update,
                    jobs=jobs,
                )
        self.stdout.write(f"{email}: added {missing:,} todos, has {existing + missing:,}.")
        return missing
