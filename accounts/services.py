"""Writes to accounts. Views and serializers call these; they hold the rules."""

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import selectors
from accounts.models import User, normalize_email
from accounts.tasks import (
    erase_account,
    send_password_reset_email,
    send_sign_up_attempt_email,
    send_verification_email,
)
from core.exceptions import ValidationFailed
from reminders.services import reminder_schedule_sync

DUPLICATE_EMAIL = "A user with this email address already exists."
SIGN_UP_ACCEPTED = "Check your inbox: a mail to this address says what to do next."
ALREADY_VERIFIED = "Your email address is already verified."
VERIFICATION_RESENT = "A new verification mail is on its way to {email}."
INVALID_RESET_LINK = "The reset link is invalid or has expired."
INVALID_REFRESH_TOKEN = "Token is invalid or expired"  # noqa: S105 (a message)
WRONG_PASSWORD = "The password is not correct."  # noqa: S105 (a message)
ACCOUNT_DELETION_QUEUED = (
    "Your account is locked and being deleted; a confirmation mail follows once it is done."
)


def user_create(*, email: str, password: str, name: str = "", email_verified: bool = False) -> User:
    """An account as an operator makes it (``seed_demo``); people sign up with ``user_sign_up``."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email, password=password, name=name, email_verified=email_verified
            )
    except IntegrityError as exc:
        # The address is taken (an operator's command says so; sign-up never does).
        raise ValidationFailed(DUPLICATE_EMAIL, field="email") from exc


def user_sign_up(*, email: str, password: str, name: str = "", site_url: str) -> str:
    """
    Sign a person up, the same way whether or not the address has an account;
    return the address, normalised.

    The password must pass Django's validators (for this address and name),
    whoever owns the address. A new address gets an unverified account and a
    verification mail; a taken one (in any case) changes nothing, and its
    owner is told by mail that someone tried (``emails``, at most once an
    hour). Either way the password is hashed and one mail is queued, and
    nothing else differs but one insert, so neither the answer nor its time
    tells the two apart. ``site_url`` (scheme and host) is where the mails link.
    """
    candidate = User(email=normalize_email(email), name=name)
    try:
        password_validation.validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages, field="password") from exc
    candidate.set_password(password)
    send_id = uuid.uuid4().hex
    if _user_insert(candidate):
        send_verification_email.delay_on_commit(
            user_id=candidate.pk, send_id=send_id, site_url=site_url
        )
    else:
        send_sign_up_attempt_email.delay_on_commit(
            email=candidate.email, send_id=send_id, site_url=site_url
        )
    return candidate.email


def _user_insert(user: User) -> bool:
    """Insert ``user`` unless its address is taken (in any case); say whether it was."""
    if User.objects.filter(email=user.email).exists():
        return False
    try:
        with transaction.atomic():
            user.save(force_insert=True)
    except IntegrityError:
        # A concurrent sign-up took the address after the check.
        return False
    return True


def email_verification_resend(*, user: User, site_url: str) -> None:
    """Queue a fresh verification mail; an address already verified is refused."""
    if user.email_verified:
        raise ValidationFailed(ALREADY_VERIFIED)
    send_verification_email.delay_on_commit(
        user_id=user.pk, send_id=uuid.uuid4().hex, site_url=site_url
    )


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Mark the address of a verification token's account verified; the token then dies."""
    user = selectors.user_from_verification_token(token=token, lock=True)
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user


def users_mark_email_verified(*, users: QuerySet[User]) -> int:
    """Staff vouch for these accounts' addresses (the admin's action); how many changed."""
    return users.filter(email_verified=False).update(email_verified=True)


#: What a person may change about their own account (the API's PATCH, the profile page).
USER_UPDATE_FIELDS = ("name", "time_zone", "reminder_time")


@transaction.atomic
def user_update(*, user: User, data: Mapping[str, Any]) -> User:
    """
    Set the given fields of ``USER_UPDATE_FIELDS``; any other key is ignored.
    A new reminder time or zone moves the next reminder mail.
    """
    fields = [name for name in USER_UPDATE_FIELDS if name in data]
    for name in fields:
        setattr(user, name, data[name])
    if fields:
        user.save(update_fields=fields)
    if {"time_zone", "reminder_time"} & set(fields):
        reminder_schedule_sync(user=user, now=timezone.now())
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> None:
    """
    Set a new password, if Django's password validators accept it for this
    user (else ``ValidationFailed`` on ``password``), and end every session
    the old one opened.

    Refresh tokens are blacklisted; access tokens carry a hash of the password
    hash (``CHECK_REVOKE_TOKEN``), so those issued before stop working too.
    """
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages, field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    user_revoke_refresh_tokens(user=user)


def password_reset_confirm(*, uid: str, token: str, password: str) -> User:
    """Set the password a valid reset link was mailed for; the link then stops working."""
    user = selectors.user_from_reset_token(uid=uid, token=token)
    if user is None:
        raise ValidationFailed(INVALID_RESET_LINK, field="token")
    user_set_password(user=user, password=password)
    return user


def user_logout(*, user: User, refresh: str) -> None:
    """Blacklist one of the user's refresh tokens (somebody else's is refused)."""
    try:
        # simplejwt annotates the encoded token as a Token; it takes the string.
        token = RefreshToken(refresh)  # type: ignore[arg-type]
    except TokenError as exc:
        # Logging out is not authenticating with the token: a bad one is bad input.
        raise ValidationFailed(str(exc), field="refresh") from exc
    if str(token.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise ValidationFailed(INVALID_REFRESH_TOKEN, field="refresh")
    token.blacklist()


@transaction.atomic
def token_refresh(*, refresh: str) -> dict[str, str]:
    """
    Rotate a refresh token exactly once: a new access and refresh pair.

    The token's row is locked while it is checked and blacklisted, so two
    concurrent refreshes with the same token cannot both succeed. The user
    checks of bearer authentication apply too (gone, inactive, or a password
    changed anywhere since the token was issued: the admin, ``changepassword``).
    """
    # simplejwt annotates the encoded token as a Token; it takes the string.
    unverified = RefreshToken(refresh, verify=False)  # type: ignore[arg-type]
    OutstandingToken.objects.select_for_update().filter(jti=unverified.get("jti")).first()
    # Verifies the signature, the expiry and the blacklist.
    # simplejwt annotates the encoded token as a Token; it takes the string.
    token = RefreshToken(refresh)  # type: ignore[arg-type]
    JWTAuthentication().get_user(token)
    token.blacklist()
    token.set_jti()
    token.set_exp()
    token.set_iat()
    token.outstand()
    return {"access": str(token.access_token), "refresh": str(token)}


def user_revoke_refresh_tokens(*, user: User) -> int:
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(revoked)


def password_reset_request(*, email: str, reset_url: str = "") -> None:
    """
    Queue the reset mail for this address; the task finds out whether it has an account.

    ``reset_url`` is the link to mail, with ``{uid}`` and ``{token}`` (the web
    app's own page); empty: ``PASSWORD_RESET_URL``, or the values themselves.

    The request does the same work either way (no lookup here), so neither its
    answer nor its time tells whether the address has an account, and it
    never waits on the mail server. Each request gets a send id: a
    redelivered task does not mail twice.
    """
    extra = {"reset_url": reset_url} if reset_url else {}
    send_password_reset_email.delay_on_commit(
        email=normalize_email(email), send_id=uuid.uuid4().hex, **extra
    )


def user_request_deletion(*, user: User, password: str) -> None:
    """
    Lock the account now and queue the job that deletes it
    (``accounts.erasure.user_erase``);
    ``password`` must be the account's (else ``ValidationFailed`` on it).

    Locked: inactive and without a usable password, so it cannot sign in;
    every refresh token blacklisted; every access token and web session dies
    with the password hash it carries (``CHECK_REVOKE_TOKEN``).
    """
    if not user.check_password(password):
        raise ValidationFailed(WRONG_PASSWORD, field="password")
    with transaction.atomic():
        user.is_active = False
        user.set_unusable_password()
        user.deletion_requested_at = timezone.now()
        user.save(update_fields=["is_active", "password", "deletion_requested_at"])
        user_revoke_refresh_tokens(user=user)
        erase_account.delay_on_commit(user_id=user.pk, email=user.email, name=user.name)


def users_erase_overdue() -> int:
    """
    Queue the deletion job again for each account asked to be deleted more
    than ``ACCOUNT_ERASE_OVERDUE_AFTER`` seconds ago and still there (its job
    was lost: the broker was away, the retries ran out); how many.
    """
    since = timezone.now() - timedelta(seconds=settings.ACCOUNT_ERASE_OVERDUE_AFTER)
    overdue = list(
        User.objects.filter(deletion_requested_at__lt=since).values_list("pk", "email", "name")
    )
    for user_id, email, name in overdue:
        erase_account.delay_on_commit(user_id=user_id, email=email, name=name)
    return len(overdue)
