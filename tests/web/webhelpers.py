"""Helpers of the web tests (types and test lists), imported by conftest and tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient

from kinlink.domain.users import UserRole

FAMILY_LIST = (
    "record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження,"
    "reporter_name,reporter_contact\n"
    "F-1,Петренко,Олександр,Іванович,12.03.2014,ч,\"м. Маріуполь, Донецька обл.\","
    "Петренко Ірина,+380501112233\n"
    "F-2,Бойко,Ганна,,03.2015,ж,Херсон,Бойко Марія,+380671234567\n"
    "F-3,Коваленко,Дмитро,Петрович,2013,ч,Бердянськ,,\n"
)
FOUND_LIST = (
    "record_id,surname,given_name,birth_date,sex,birth_place\n"
    "C-1,Petrenko,Aleksandr,2014-03-12,M,Mariupol\n"
    "C-2,Shevchenko,Taras,2012,M,Melitopol\n"
)


class FakeClock:
    """Now, movable: ``clock.advance(minutes=31)``."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Person:
    """A signed-in person: their client (cookie jar), CSRF token and secrets."""

    client: TestClient
    username: str
    password: str
    secret: str
    csrf: str
    user_id: int
    role: UserRole

    @property
    def headers(self) -> dict[str, str]:
        """The header state-changing API calls need."""
        return {"X-CSRF-Token": self.csrf}



SignIn = Callable[..., Person]
Seed = Callable[..., int]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


class LiveServer:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app: object) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="off")  # type: ignore[arg-type]
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        import time

        self._thread.start()
        for _ in range(200):
            if self._server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("the test server did not start")

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
