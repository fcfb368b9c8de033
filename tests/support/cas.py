"""CAS servers for the tests, on the loopback: a real one (django-mama-cas, in a process of its
own, with users of its own), and a stub that answers each ticket as a broken or hostile
server would."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_PASSWORD = "platform-pw-2021"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MamaCAS:
    """django-mama-cas, reached as 127.0.0.1 (the portal's live server is reached as localhost:
    a browser keeps cookies per host, not per port, and theirs stay apart)."""

    def __init__(self, folder, users):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/cas/"
        self.env = {
            key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.support.cas_server.settings",
            CAS_SERVER_DB=str(Path(folder) / "cas-server.sqlite3"),
        )
        self.django("migrate", "--verbosity", "0")
        script = "from django.contrib.auth.models import User\n" + "".join(
            f"User.objects.create_user({name!r}, password={PLATFORM_PASSWORD!r}, "
            f"last_name={number!r})\n"
            for name, number in users.items()
        )
        self.django("shell", "--command", script)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "django",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--skip-checks",
            ],  # fmt: skip
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}login", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("the CAS server of the tests did not start") from None
                time.sleep(0.2)

    def django(self, *arguments):
        subprocess.run(
            [sys.executable, "-m", "django", *arguments], cwd=ROOT, env=self.env, check=True
        )

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


SUCCESS = """<?xml version="1.0" encoding="UTF-8"?>
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>{user}</cas:user>
    <cas:attributes>{attributes}</cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>"""
FAILURE = """<?xml version="1.0" encoding="UTF-8"?>
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="{code}">{text}</cas:authenticationFailure>
</cas:serviceResponse>"""
# The billion laughs: ten entities of ten, nine deep.
BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess>'
    "<cas:user>&lol9;</cas:user></cas:authenticationSuccess></cas:serviceResponse>"
)


class StubCAS:
    """A CAS server that answers by the ticket: ``ST-ok-<user>`` succeeds (every time: the
    portal must refuse a replay itself), ``ST-mfa-<user>`` succeeds with the platform's "MFA
    used" attribute, ``ST-refused`` fails, ``ST-slow`` answers after ``slow`` seconds,
    ``ST-garbage`` is not XML, ``ST-bomb`` declares entities, ``ST-huge`` is 100 KB, and any
    ticket validated for another service than ``service`` fails as INVALID_SERVICE."""

    def __init__(self, service, slow=3):
        stub = self
        self.service = service
        self.slow = slow
        self.asked = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {
                    key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()
                }
                stub.asked.append(query)
                body = stub.answer(query.get("ticket", ""), query.get("service", ""))
                if body is None:
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.end_headers()
                try:
                    self.wfile.write(body.encode())
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/cas/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, ticket, service):
        if service != self.service:
            return FAILURE.format(code="INVALID_SERVICE", text=f"ticket not issued for {service}")
        if ticket.startswith("ST-ok-"):
            return SUCCESS.format(user=ticket[6:].split("-")[0], attributes="")
        if ticket.startswith("ST-mfa-"):
            return SUCCESS.format(
                user=ticket[7:].split("-")[0], attributes="<cas:mfaUsed>true</cas:mfaUsed>"
            )
        if ticket.startswith("ST-number-"):
            return SUCCESS.format(
                user="someone-else",
                attributes=f"<cas:employeeNumber>{ticket[10:].split('-')[0]}</cas:employeeNumber>",
            )
        if ticket == "ST-slow":
            time.sleep(self.slow)
            return SUCCESS.format(user="reviewer", attributes="")
        if ticket == "ST-garbage":
            return "<html><body>Service unavailable</body></html"
        if ticket == "ST-bomb":
            return BOMB
        if ticket == "ST-huge":
            return SUCCESS.format(
                user="reviewer", attributes="<cas:x>" + "x" * 100_000 + "</cas:x>"
            )
        return FAILURE.format(code="INVALID_TICKET", text=f"Ticket {ticket} not recognized")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
