"""Load on the portal and the API: suppliers, match-list API clients and a trivial API baseline.

Started by bench/bench_load.py, which prepares the database and hands this file a JSON data file
(HUB_LOAD_DATA: supplier e-mails and capability ids, the shared password, tokens, requirement
references) and the number of users of each API class (HUB_LOAD_API_USERS). Request names are
fixed so the report separates them:

    sign-in GET, sign-in POST, dashboard, capability form, capability save   (SupplierUser)
    api matches                                                               (MatchListClient)
    api firms (baseline)                                                      (BaselineClient)

Suppliers pause between pages as people do (HUB_LOAD_THINK, "5,15" seconds); each API client
starts one request every HUB_LOAD_API_PACING seconds, as a syncing partner system would. The two
API classes run the same number of clients, so the driver compares the match list with the
cheapest authenticated DRF endpoint by their times to answer under the same load."""

from __future__ import annotations

import itertools
import json
import os
import random
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant_pacing, task

DATA: dict[str, Any] = json.loads(Path(os.environ["HUB_LOAD_DATA"]).read_text())
API_USERS = int(os.environ.get("HUB_LOAD_API_USERS", "1"))
THINK = tuple(float(x) for x in os.environ.get("HUB_LOAD_THINK", "5,15").split(","))
API_PACING = float(os.environ.get("HUB_LOAD_API_PACING", "1"))
_supplier_seats = itertools.count()


class FormParser(HTMLParser):
    """The fields of every <form> on a page, as a browser would submit them (files left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_default: str | None = None  # a select with nothing chosen sends its first
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        elif self._form is not None:
            if tag == "input" and a.get("name"):
                self._input(a)
            elif tag == "select" and a.get("name"):
                self._select, self._select_default = a["name"], None
                self._select_chosen = False
            elif tag == "option" and self._select:
                self._option(a)
            elif tag == "textarea" and a.get("name"):
                self._textarea = a["name"]
                self._form["fields"].append((a["name"], ""))

    def _input(self, a: dict[str, str]) -> None:
        assert self._form is not None  # noqa: S101 - only called inside a form
        kind = a.get("type", "text").lower()
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form["fields"].append((a["name"], a.get("value", "on")))
        elif kind not in ("file", "submit", "button", "image", "reset"):
            self._form["fields"].append((a["name"], a.get("value", "")))

    def _option(self, a: dict[str, str]) -> None:
        assert self._form is not None  # noqa: S101 - only called inside a form
        value = a.get("value", "")
        if self._select_default is None:
            self._select_default = value
        if "selected" in a:
            self._form["fields"].append((self._select, value))
            self._select_chosen = True

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            name, text = self._form["fields"][-1]
            self._form["fields"][-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and self._select_default is not None:
                self._form["fields"].append((self._select, self._select_default))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_with(html: str, field: str) -> list[tuple[str, str]] | None:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field for name, _ in form["fields"]):
            return form["fields"]
    return None


class SupplierUser(HttpUser):
    """A supplier in a browser: signs in through the form, reads the dashboard, edits its kit."""

    weight = 1
    wait_time = between(*THINK)

    def on_start(self) -> None:
        seat = DATA["suppliers"][next(_supplier_seats) % len(DATA["suppliers"])]
        self.capabilities: list[int] = seat["capabilities"]
        self.firm_name: str = seat["firm"]
        self.visits = 0
        page = self.client.get("/account/sign-in/", name="sign-in GET")
        fields = form_with(page.text, "csrfmiddlewaretoken") or []
        token = dict(fields).get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/account/sign-in/",
            data={
                "csrfmiddlewaretoken": token,
                "email": seat["email"],
                "password": DATA["password"],
            },
            allow_redirects=False,
            name="sign-in POST",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/portal/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"sign-in not accepted: {response.status_code}")

    # A fixed round of three dashboard loads to one capability save, the save first: even a
    # run of a few seconds saves something.
    ROUND = ("capability_save", "dashboard", "dashboard", "dashboard")

    @task
    def next_visit(self) -> None:
        action = self.ROUND[self.visits % len(self.ROUND)]
        self.visits += 1
        getattr(self, action)()

    def dashboard(self) -> None:
        with self.client.get(
            "/portal/", name="dashboard", allow_redirects=False, catch_response=True
        ) as response:
            # A lost session would redirect to sign-in: only the firm's own page counts.
            if response.status_code != 200 or self.firm_name not in response.text:
                response.failure(f"dashboard: {response.status_code}, not the firm's page")

    def capability_save(self) -> None:
        pk = random.choice(self.capabilities)  # noqa: S311 - load pattern, not a secret
        url = f"/portal/capabilities/{pk}/"
        with self.client.get(
            url, name="capability form", allow_redirects=False, catch_response=True
        ) as page:
            fields = form_with(page.text, "monthly_capacity") if page.status_code == 200 else None
            if fields is None:
                page.failure(f"capability form: {page.status_code}, no form")
                return
        data = [
            (name, str(random.randint(1, 2000)) if name == "monthly_capacity" else value)  # noqa: S311 - load pattern, not a secret
            for name, value in fields
        ]
        with self.client.post(
            url, data=data, allow_redirects=False, name="capability save", catch_response=True
        ) as response:
            # Saved: a redirect to the list. Refused: the form again (200) with its errors.
            if response.status_code != 302:
                response.failure(f"capability not saved: {response.status_code}")


class MatchListClient(HttpUser):
    """A partner system syncing ranked match lists: pages of one requirement, then the next."""

    fixed_count = API_USERS
    wait_time = constant_pacing(API_PACING)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {DATA['staff_token']}"
        self.next_url: str | None = None
        self.pages = 0

    @task
    def matches(self) -> None:
        if self.next_url and self.pages < 3:
            url = self.next_url
        else:
            ref = random.choice(DATA["requirements"])  # noqa: S311 - load pattern, not a secret
            url, self.pages = f"/api/v1/requirements/{ref}/matches/", 0
        with self.client.get(url, name="api matches", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"matches: {response.status_code}")
                self.next_url = None
                return
            body = response.json()
            if not body.get("results"):
                response.failure("matches: empty page")
            self.next_url, self.pages = body.get("next"), self.pages + 1


class BaselineClient(HttpUser):
    """The cheapest authenticated DRF request: a firm token listing its own firm (one row)."""

    fixed_count = API_USERS
    wait_time = constant_pacing(API_PACING)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {DATA['firm_token']}"

    @task
    def firms(self) -> None:
        with self.client.get(
            "/api/v1/firms/", name="api firms (baseline)", catch_response=True
        ) as response:
            if response.status_code != 200 or len(response.json().get("results", [])) != 1:
                response.failure(f"firms: {response.status_code}")
