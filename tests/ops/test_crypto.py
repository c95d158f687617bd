"""Platform tokens at rest: encrypted in the column, readable through the field, and keys
rotate (the new key first encrypts, the old one second still decrypts)."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from huntaze.core import crypto
from huntaze.integrations.models import SocialAccount


def _make_account(creator, **tokens) -> SocialAccount:
    return SocialAccount.objects.create(
        creator=creator, platform="tiktok", platform_user_id="tt-1", **tokens
    )


def _raw_column(account: SocialAccount, column: str) -> str:
    table = connection.ops.quote_name(SocialAccount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [account.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_token_round_trips_and_the_column_holds_ciphertext(creator_a):
    account = _make_account(creator_a, access_token="tok-secret-123", refresh_token="")

    stored = _raw_column(account, "access_token")
    reloaded = SocialAccount.objects.for_creator(creator_a.id).get(pk=account.pk)

    assert reloaded.access_token == "tok-secret-123"
    assert "tok-secret-123" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert crypto.decrypt(stored) == "tok-secret-123"
    assert reloaded.refresh_token == ""
    assert _raw_column(account, "refresh_token") == ""


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt("same") != crypto.encrypt("same")


def test_key_rotation_keeps_old_tokens_readable(creator_a):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(TOKEN_ENCRYPTION_KEYS=[old_key]):
        account = _make_account(creator_a, access_token="before-rotation")
        old_ciphertext = _raw_column(account, "access_token")

    with override_settings(TOKEN_ENCRYPTION_KEYS=[new_key, old_key]):
        # The old key, now second, still decrypts; a save re-encrypts with the new key.
        reloaded = SocialAccount.objects.for_creator(creator_a.id).get(pk=account.pk)
        assert reloaded.access_token == "before-rotation"
        reloaded.save(update_fields=["access_token"])
        rotated = crypto.rotate(old_ciphertext)

    with override_settings(TOKEN_ENCRYPTION_KEYS=[new_key]):
        again = SocialAccount.objects.for_creator(creator_a.id).get(pk=account.pk)
        assert again.access_token == "before-rotation"
        assert crypto.decrypt(rotated) == "before-rotation"
        with pytest.raises(ValueError, match="cannot decrypt"):
            crypto.decrypt(old_ciphertext)


def test_a_value_from_an_unknown_key_fails_loudly():
    foreign = Fernet(Fernet.generate_key()).encrypt(b"x").decode()

    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(foreign)


def test_a_non_fernet_secret_is_derived_into_a_key():
    with override_settings(TOKEN_ENCRYPTION_KEYS=["a-long-operator-chosen-secret-of-40-chars"]):
        assert crypto.decrypt(crypto.encrypt("hello")) == "hello"
