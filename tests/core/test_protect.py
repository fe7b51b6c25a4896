from __future__ import annotations

from jiexiang.core.protect import Protector, mask_name, mask_phone


def test_sealed_values_open_only_with_the_same_secret() -> None:
    sealed = Protector("secret-one").seal("13812345678")
    assert sealed is not None and "13812345678" not in sealed
    assert Protector("secret-one").open(sealed) == "13812345678"
    assert Protector("secret-two").open(sealed) is None
    assert Protector("secret-one").seal("13812345678") != sealed  # a fresh nonce each time
    assert Protector("secret-one").open("not-a-token") is None


def test_fingerprints_match_the_same_number_however_written() -> None:
    protector = Protector("s")
    assert protector.fingerprint("138-1234-5678") == protector.fingerprint("13812345678")
    assert protector.fingerprint("13812345678") != Protector("t").fingerprint("13812345678")


def test_masks() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("010-66001234") == "010****1234"
    assert mask_name("张三") == "张*" and mask_name("欧阳娜娜") == "欧***"
    assert mask_phone(None) is None and mask_name("") is None


def test_previous_secrets_still_open_what_they_sealed() -> None:
    sealed = Protector("old").seal("13812345678")
    rotated = Protector("new", ("older", "old"))
    assert rotated.open_with_key(sealed) == ("13812345678", 2)  # opened by the second previous secret
    assert rotated.open_with_key(rotated.seal("13812345678")) == ("13812345678", 0)  # sealed under the current one
    assert Protector("new").open(sealed) is None
    assert rotated.fingerprint("13812345678") == Protector("new").fingerprint("13812345678")
