"""The workspace's settings (lib.workspace.config) and sign-in (lib.workspace.auth)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from lib.workspace import (
    WorkspaceError,
    auth,
    check_passphrase,
    hash_passphrase,
    needs_sign_in,
    workspace_config,
)
from lib.workspace.config import normalise_url

ON = {"LOAN_PLANNER_WORKSPACE": "1"}


# ---- on or off -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("environ, secrets, demo, enabled", [
    ({}, {}, False, False),
    ({"LOAN_PLANNER_WORKSPACE": "1"}, {}, False, True),
    ({"LOAN_PLANNER_WORKSPACE": "true"}, {}, False, True),
    ({"LOAN_PLANNER_WORKSPACE": " ON "}, {}, False, True),
    ({"LOAN_PLANNER_WORKSPACE": "0"}, {}, False, False),
    ({"LOAN_PLANNER_WORKSPACE": "nope"}, {}, False, False),
    ({}, {"workspace": {"enabled": True}}, False, True),
    ({}, {"workspace": {"enabled": "true"}}, False, True),
    ({}, {"workspace": {"enabled": False}}, False, False),
    ({}, {"workspace": "enabled"}, False, False),  # not a section
    ({"LOAN_PLANNER_WORKSPACE": "1"}, {"workspace": {"enabled": True}}, True, False),  # the demo: always off
])
def test_on_from_the_environment_or_the_secrets_never_in_the_demo(environ, secrets, demo, enabled):
    assert workspace_config(secrets, environ, demo=demo).enabled is enabled


# ---- where -----------------------------------------------------------------------------------------------
def test_sqlite_in_the_users_data_folder_by_default():
    c = workspace_config({}, ON, demo=False)
    path = Path(platformdirs.user_data_dir("loan-planner")) / "workspace.sqlite3"
    assert (c.kind, c.path, c.url) == ("sqlite", str(path.absolute()), f"sqlite:///{path.absolute()}")


def test_sqlite_path_from_the_environment_before_the_secrets(tmp_path):
    env, secret = tmp_path / "env.sqlite3", tmp_path / "secret.sqlite3"
    secrets = {"workspace": {"path": str(secret)}}
    assert workspace_config(secrets, {**ON, "LOAN_PLANNER_DB_PATH": str(env)}, demo=False).path == str(env)
    assert workspace_config(secrets, ON, demo=False).path == str(secret)
    assert workspace_config({"workspace": {"path": "~/ws.sqlite3"}}, ON, demo=False).path == \
        str(Path.home() / "ws.sqlite3")


@pytest.mark.parametrize("given, url", [
    ("postgres://u:pw@db:5432/plans", "postgresql+psycopg://u:pw@db:5432/plans"),
    ("postgresql://u:pw@db/plans", "postgresql+psycopg://u:pw@db/plans"),
    ("postgresql+psycopg://u@db/plans", "postgresql+psycopg://u@db/plans"),
    ("sqlite:////srv/plans.sqlite3", "sqlite:////srv/plans.sqlite3"),
])
def test_urls_are_normalised(given, url):
    assert workspace_config({}, {**ON, "LOAN_PLANNER_DB_URL": given}, demo=False).url == url
    assert workspace_config({"workspace": {"url": given}}, ON, demo=False).url == url


def test_the_url_from_the_environment_before_the_secrets_and_before_any_path():
    c = workspace_config({"workspace": {"url": "postgres://a@secret-host/x", "path": "/tmp/p.sqlite3"}},
                         {**ON, "LOAN_PLANNER_DB_URL": "postgres://a@env-host/x"}, demo=False)
    assert (c.kind, c.url) == ("postgresql", "postgresql+psycopg://a@env-host/x")


@pytest.mark.parametrize("given, code", [("mysql://u@h/db", "unsupported_database"),
                                         ("not a url", "bad_url"), ("postgres://u@h:notaport/db", "bad_url")])
def test_other_databases_and_bad_urls_are_refused(given, code):
    with pytest.raises(WorkspaceError) as e:
        workspace_config({}, {**ON, "LOAN_PLANNER_DB_URL": given}, demo=False)
    assert e.value.code == code and "u@h" not in str(e.value.params)


def test_the_password_never_shows():
    c = workspace_config({"workspace": {"url": "postgres://coach:Tr0ub4dor%263@db.internal:5432/plans"}}, ON,
                         demo=False)
    assert c.url == "postgresql+psycopg://coach:Tr0ub4dor%263@db.internal:5432/plans"  # what connects
    assert c.path == "postgresql+psycopg://coach:***@db.internal:5432/plans"
    for shown in (repr(c), str(c), f"{c}", c.path):
        assert "Tr0ub4dor" not in shown and "db.internal" in shown
    assert "Tr0ub4dor" not in repr(normalise_url(c.url))


def test_coaches_and_oidc_from_the_secrets():
    secrets = {"workspace": {"coaches": {"li": "$argon2id$v=19$m=65536,t=3,p=4$abc$def", "bad": 42}},
               "auth": {"redirect_uri": "https://x/oauth2callback", "cookie_secret": "s"}}
    c = workspace_config(secrets, ON, demo=False)
    assert dict(c.coaches) == {"li": "$argon2id$v=19$m=65536,t=3,p=4$abc$def"} and not c.oidc
    assert "$argon2id$" not in repr(c) and "li" in repr(c)
    assert workspace_config({**secrets, "auth": {**secrets["auth"], "client_id": "x"}}, ON, demo=False).oidc
    assert workspace_config({"auth": {"google": {"client_id": "x", "client_secret": "y"}}}, ON, demo=False).oidc
    assert not workspace_config({}, ON, demo=False).oidc
    with pytest.raises(TypeError):
        c.coaches["wang"] = "x"  # read-only


# ---- passphrases ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def coaches() -> dict[str, str]:
    return {"li": hash_passphrase("长城 correct horse"), "wang": hash_passphrase("another one"),
            "broken": "$argon2id$v=19$m=65536,t=3,p=4$not-base64!$", "plain": "password"}


def test_hashes_are_argon2id_and_salted(coaches):
    assert coaches["li"].startswith("$argon2id$v=19$")
    assert hash_passphrase("same") != hash_passphrase("same")
    with pytest.raises(ValueError):
        hash_passphrase("")


@pytest.mark.parametrize("name, passphrase, ok", [
    ("li", "长城 correct horse", True),
    ("wang", "another one", True),
    ("li", "长城 correct horse ", False),
    ("li", "another one", False),  # wang's, not li's
    ("LI", "长城 correct horse", False),
    ("zhao", "长城 correct horse", False),  # not a coach
    ("", "", False),
    ("broken", "anything", False),  # a malformed hash: a refusal, not an error
    ("plain", "password", False),  # not a hash at all
])
def test_check_passphrase(coaches, name, passphrase, ok):
    assert check_passphrase(coaches, name, passphrase) is ok


def test_an_unknown_name_is_checked_against_a_hash_too(coaches, monkeypatch):
    seen: list[str] = []

    class Spy:  # (PasswordHasher's attributes are read-only)
        def __init__(self, real):
            self.real = real

        def hash(self, p):
            return self.real.hash(p)

        def verify(self, h, p):
            seen.append(h)
            return self.real.verify(h, p)

    monkeypatch.setattr(auth, "_HASHER", Spy(auth._HASHER))
    assert not check_passphrase(coaches, "zhao", "x")
    assert not check_passphrase(coaches, "broken", "x")  # the malformed one, then the stand-in
    assert len(seen) == 3 and seen[0] == seen[2] and seen[1] == coaches["broken"]
    assert seen[0].startswith("$argon2id$") and seen[0] not in coaches.values()


def test_the_command_prints_the_secrets_line(monkeypatch, capsys):
    answers = iter(["秘密 phrase", "秘密 phrase"])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(answers))
    assert auth.main(["auth", "李老师"]) == 0
    out = capsys.readouterr().out.strip()
    key, _, value = out.partition(" = ")
    assert key == '"李老师"' and check_passphrase({"李老师": value.strip('"')}, "李老师", "秘密 phrase")
    answers = iter(["one", "two"])
    assert auth.main(["auth", "li"]) == 1 and capsys.readouterr().out == ""
    assert auth.main(["auth"]) == 2 and "usage" in capsys.readouterr().err


def test_the_command_runs_as_a_module():
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "lib.workspace.auth", "li"], input="a phrase\na phrase\n",
                          capture_output=True, text=True, cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith('li = "$argon2id$') and check_passphrase({"li": line[6:-1]}, "li", "a phrase")


# ---- when to ask ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("address, headers, needed", [
    ("127.0.0.1", {"Host": "localhost:8501"}, False),
    ("localhost", {"Host": "127.0.0.1:8501"}, False),
    ("::1", {"host": "[::1]:8501"}, False),
    ("127.0.0.1", {"Host": "LOCALHOST"}, False),
    ("127.0.0.1", {"Host": "localhost:8501", "X-Forwarded-For": "203.0.113.9"}, True),  # a reverse proxy
    ("127.0.0.1", {"Host": "localhost", "Forwarded": "for=203.0.113.9"}, True),
    ("127.0.0.1", {"Host": "localhost", "x-real-ip": "203.0.113.9"}, True),
    ("127.0.0.1", {"Host": "plans.example.org"}, True),  # the name of a machine, not loopback
    ("127.0.0.1", {}, True),  # no Host: cannot tell
    ("", {"Host": "localhost:8501"}, True),  # every interface
    ("0.0.0.0", {"Host": "localhost:8501"}, True),
    ("::", {"Host": "localhost:8501"}, True),
    ("192.168.1.20", {"Host": "localhost:8501"}, True),
    ("127.0.0.1", {"Host": "127.0.0.1.evil.example"}, True),
    ("127.0.0.1", {"Host": "localhost.evil.example"}, True),
])
def test_needs_sign_in(address, headers, needed):
    assert needs_sign_in(address, headers) is needed
