"""Who may open the workspace: a coach's passphrase (argon2id), and when a sign-in is needed.

* :func:`hash_passphrase` makes the hash that goes into ``[workspace.coaches]`` of
  ``.streamlit/secrets.toml``; ``python -m lib.workspace.auth NAME`` asks for the passphrase
  twice and prints the line.
* :func:`check_passphrase` checks a sign-in: an unknown name costs as much as a known one (it is
  checked against a stand-in hash), so the time taken does not tell which names exist; a
  malformed hash in the secrets is a refusal, never an error.
* :func:`needs_sign_in` — on the coach's own computer (the server listens only on a loopback
  address, and the request came to a loopback name with no proxy in between) there is no one
  else to keep out; anywhere else the workspace asks who is there.

>>> coaches = {"li": hash_passphrase("correct horse battery staple")}
>>> coaches["li"].startswith("$argon2id$")
True
>>> [check_passphrase(coaches, n, p) for n, p in [("li", "correct horse battery staple"), ("li", "guess"),
...                                                ("wang", "correct horse battery staple")]]
[True, False, False]
>>> here = {"Host": "localhost:8501"}
>>> needs_sign_in("127.0.0.1", here), needs_sign_in("0.0.0.0", here)
(False, True)
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import ipaddress
import json
import re
import sys
from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id, argon2-cffi's defaults (RFC 9106's low-memory choice)
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


@functools.cache
def _stand_in() -> str:
    return _HASHER.hash("a stand-in for a name that is not among the coaches")


def hash_passphrase(passphrase: str) -> str:
    """The argon2id hash of ``passphrase`` (salted: two hashes of one passphrase differ)."""
    if not passphrase:
        raise ValueError("an empty passphrase")
    return _HASHER.hash(passphrase)


def check_passphrase(coaches: Mapping[str, str], name: str, passphrase: str) -> bool:
    """Whether ``passphrase`` is coach ``name``'s (``coaches``: name → hash). Never raises.

    >>> check_passphrase({"li": "not a hash"}, "li", "x"), check_passphrase({}, "", "")
    (False, False)
    """
    stored = coaches.get(name) if isinstance(name, str) else None
    known = isinstance(stored, str)
    try:
        return _HASHER.verify(stored if known else _stand_in(), passphrase) and known
    except (VerificationError, InvalidHashError, TypeError, ValueError):
        if known:  # a malformed hash: as long as a wrong passphrase takes
            _verify_quietly(passphrase)
        return False


def _verify_quietly(passphrase: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError, TypeError, ValueError):
        _HASHER.verify(_stand_in(), passphrase)


def _host(value: str) -> str:
    """The host of a Host header or an address: ``[::1]:8501`` → ``::1``, ``localhost:8501`` →
    ``localhost``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    if value.count(":") == 1:
        return value.split(":", 1)[0]
    return value


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 and ``::1`` (also with a port, as a Host header gives it).

    >>> [is_loopback(h) for h in ["localhost", "127.0.0.1:8501", "[::1]:8501", "::1", "0.0.0.0", "",
    ...                           "10.0.0.2"]]
    [True, True, True, True, False, False, False]
    """
    name = _host(host).rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def needs_sign_in(server_address: str, headers: Mapping[str, str]) -> bool:
    """False only when the server listens on a loopback address (Streamlit's ``server.address``),
    the request's Host is a loopback name and no proxy header (X-Forwarded-For, Forwarded,
    X-Real-Ip) says a reverse proxy passed it on; True otherwise (also for ``""`` and ``0.0.0.0``:
    every interface).

    >>> needs_sign_in("localhost", {"host": "127.0.0.1:8501", "X-Forwarded-For": "203.0.113.7"})
    True
    """
    lower = {str(k).lower(): v for k, v in headers.items()}
    if any(h in lower for h in PROXY_HEADERS):
        return True
    return not (is_loopback(server_address or "") and is_loopback(str(lower.get("host", ""))))


def secrets_line(name: str, passphrase_hash: str) -> str:
    """The line for ``[workspace.coaches]`` (a name that is not a bare TOML key is quoted).

    >>> secrets_line("li", "$argon2id$x"), secrets_line("李 老师", "$argon2id$x")
    ('li = "$argon2id$x"', '"李 老师" = "$argon2id$x"')
    """
    key = name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)
    return f"{key} = {json.dumps(passphrase_hash)}"


def main(argv: list[str]) -> int:
    """``python -m lib.workspace.auth NAME``: print NAME's line for ``[workspace.coaches]``."""
    if len(argv) != 2 or not argv[1].strip():
        print("usage: python -m lib.workspace.auth NAME   (prints NAME's line for [workspace.coaches])",
              file=sys.stderr)
        return 2
    first = getpass.getpass(f"Passphrase for {argv[1]}: ")
    if not first:
        print("An empty passphrase: nothing printed.", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != first:
        print("The two passphrases differ: nothing printed.", file=sys.stderr)
        return 1
    print("# under [workspace.coaches] in .streamlit/secrets.toml:", file=sys.stderr)
    print(secrets_line(argv[1], hash_passphrase(first)))
    return 0


__all__ = ["PROXY_HEADERS", "check_passphrase", "hash_passphrase", "is_loopback", "main", "needs_sign_in",
           "secrets_line"]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
