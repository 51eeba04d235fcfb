"""Real local servers that stand in for the outside world: DingTalk and WeCom robots, an SMS gateway, SMTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "SECtest0123456789abcdef"


class Robot:
    """One HTTP server playing DingTalk (/robot/send, 加签 checked), WeCom (/cgi-bin/webhook/send) and an SMS gateway.

    `received` keeps every accepted body; `fail_sms` makes the gateway answer 500.
    """

    def __init__(self, secret: str = SECRET):
        self.secret = secret
        self.received: list[tuple[str, dict]] = []
        self.fail_sms = False
        self.delay = 0.0  # seconds per request, so that concurrent workers overlap
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parts.query)
                if parts.path == "/sms-get" and query.get("text"):
                    robot._keep("sms", {"mobile": query["mobile"][0], "content": query["text"][0]})
                    body = b"OK"
                else:
                    body = b"FAIL"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                if robot.delay:
                    time.sleep(robot.delay)
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(parts.query)
                status, answer = robot.answer(parts.path, query, raw)
                body = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def dingtalk_url(self, token="goodtoken") -> str:
        return f"{self.base}/robot/send?access_token={token}"

    def wecom_url(self, key="goodkey") -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={key}"

    def answer(self, path: str, query: dict, raw: bytes) -> tuple[int, dict]:
        if path == "/sms":
            if self.fail_sms:
                return 500, {"code": 500, "msg": "gateway down"}
            body = json.loads(raw)
            if len(body["content"]) > 140:
                return 200, {"code": 1, "msg": "too long"}
            self._keep("sms", body)
            return 200, {"code": 0, "msg": "ok"}
        body = json.loads(raw)
        if path == "/robot/send":
            if query.get("access_token") != ["goodtoken"]:
                return 200, {"errcode": 300001, "errmsg": "token is not exist"}
            timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
            expected = base64.b64encode(
                hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256).digest()
            ).decode()
            if sign != expected:
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
            if body.get("msgtype") != "markdown" or not body["markdown"].get("text"):
                return 200, {"errcode": 40035, "errmsg": "missing markdown"}
            self._keep("dingtalk", body)
            return 200, {"errcode": 0, "errmsg": "ok"}
        if path == "/cgi-bin/webhook/send":
            key = query.get("key", [""])[0]
            if not key.startswith("goodkey"):
                return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
            body["_key"] = key
            content = body.get("markdown", {}).get("content", "")
            if body.get("msgtype") != "markdown" or len(content.encode()) > 4096:
                return 200, {"errcode": 40058, "errmsg": "content exceed max length"}
            self._keep("wecom", body)
            return 200, {"errcode": 0, "errmsg": "ok"}
        return 404, {"errcode": 404, "errmsg": "not found"}

    def _keep(self, kind: str, body: dict) -> None:
        with self.lock:
            self.received.append((kind, body))

    def of(self, kind: str) -> list[dict]:
        with self.lock:
            return [body for k, body in self.received if k == kind]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd SMTP server that keeps what it receives; `refuse` makes it answer 550."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.refuse = False
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                if box.refuse:
                    return "550 mailbox unavailable"
                import email
                import email.policy

                parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
                box.messages.append((envelope.rcpt_tos, parsed))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()
