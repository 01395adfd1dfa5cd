"""Point 9 of issue 15: no user input ever answers 5xx. Every URL pattern (walked from the
resolver, so a new URL is covered the day it is added) is requested by every role with odd
values in its path arguments, its query parameters and its form fields."""

from __future__ import annotations

import traceback

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from lindung.accounts.models import Role
from tests.factories import EnrolmentFactory, UserFactory

# `hypothesis` is not installed in this project's environment; a table of the values that broke
# pages before (huge, negative, exponent, text, empty, unicode digits, NUL) stands in for it.
ODD_VALUES = [
    "99999999999999999999999",
    "9223372036854775808",
    "-1",
    "1e9",
    "abc",
    "",
    "²³",
    "٣",
    "1.5",
    "2025-13-45",
    "nul\x00byte",
]
ODD_INTS = ["99999999999999999999999", "9223372036854775808", "0"]
# Every name a view reads from GET or POST (grep `GET.get(` / `POST.get(`) plus common form fields.
PARAMS = [
    "hal", "program", "q", "instansi", "status", "hasil", "wilayah", "sumber", "pekerjaan",
    "kpj", "tingkat", "tanggal", "tab", "lingkup", "lembar", "jenis", "bulan", "aksi", "next",
    "version", "nik", "agency", "sheet", "revision", "note", "nomor", "nama", "left_out",
    "keep_rejected", "confirm", "all_sheets", "month", "amount", "quota", "value", "decision",
    "row", "column", "date", "kind", "region", "occupation", "funding_source", "reason",
]  # fmt: skip
# Posting here ends the test client's own session or password; they are plain Django views.
SKIP_POST = {"logout", "password_change"}
ROLES = [
    Role.ADMIN,
    Role.AGENCY_OPERATOR,
    Role.VILLAGE_OPERATOR,
    Role.VERIFIER,
    Role.APPROVER,
    Role.FINANCE,
    Role.BPJS_OFFICER,
    Role.LEADER,
]


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


URLS = sorted(_walk(get_resolver().url_patterns), key=lambda item: item[0])


def _path(route: str, pattern: URLPattern, value_for_int: str, value_for_text: str) -> str:
    """Fill every `<conv:name>` of a route with an odd value its converter accepts."""
    out, rest = "/", route
    while "<" in rest:
        head, _, tail = rest.partition("<")
        spec, _, rest = tail.partition(">")
        conv = spec.split(":")[0] if ":" in spec else "str"
        out += head + (value_for_int if conv == "int" else value_for_text)
    return out + rest


@pytest.fixture
def clients(pemda, agency, village_agency, program, funding_source):
    EnrolmentFactory(program=program)
    out = []
    for role in ROLES:
        scoped_to = {Role.AGENCY_OPERATOR: agency, Role.VILLAGE_OPERATOR: village_agency}
        user = UserFactory(
            username=f"odd-{role}", pemda=pemda, role=role, agency=scoped_to.get(role)
        )
        client = Client()
        client.force_login(user)
        out.append((role, client))
    return out, program


def _where(error: BaseException) -> str:
    """The innermost frame of Lindung's own code: where the odd value went unchecked."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/lindung/" in f.filename and "/tests/" not in f.filename]
    frame = (ours or frames)[-1]
    return f"{frame.filename.split('/lindung/')[-1]}:{frame.lineno}"


def _no_5xx(client: Client, method: str, url: str, data: dict[str, str], role: str) -> None:
    try:
        response = getattr(client, method)(url, data)
    except Exception as error:
        pytest.fail(f"{method.upper()} {url} as {role}: {error!r} at {_where(error)}")
    assert response.status_code < 500, f"{method.upper()} {url} as {role}"


@pytest.mark.parametrize(("route", "pattern"), URLS, ids=[route or "/" for route, _ in URLS])
def test_no_url_answers_5xx_to_odd_input_for_any_role(clients, route, pattern):
    users, program = clients
    real = str(program.pk)
    # Each odd value is sent by the next role in turn, so every role meets every URL and every
    # parameter meets every odd value (the values rotate over the parameters).
    admin_role, admin_client = users[0]
    for number in ODD_INTS:
        _no_5xx(admin_client, "get", _path(route, pattern, number, "x"), {}, admin_role)
    for j, value in enumerate(ODD_VALUES):
        role, client = users[j % len(users)]
        data = {name: ODD_VALUES[(j + k) % len(ODD_VALUES)] for k, name in enumerate(PARAMS)}
        url = _path(route, pattern, real if j % 2 else ODD_INTS[j % 3], value or "x")
        _no_5xx(client, "get", url, data, role)
        if pattern.name not in SKIP_POST:
            _no_5xx(client, "post", url, data, role)
