"""A real SMTP server on 127.0.0.1 for the email tests: aiosmtpd, with STARTTLS or implicit TLS
and a login, keeping every message it accepts. It can be told to refuse messages, to stop
answering, or to drop the connection after some messages."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER = "smw-relay@example.gov.uk"
PASSWORD = "app-password-123"


@dataclass
class Certificate:
    """A self-signed certificate for 127.0.0.1, and a client context that trusts only it."""

    cert_file: Path
    key_file: Path
    pem: str

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cadata=self.pem)


def make_certificate(folder: Path) -> Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_text(pem)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_file, key_file, pem)


@dataclass
class Mailbox:
    """What the relay accepted, and how it should misbehave next."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    refuse: bool = False  # answer "550 5.7.1" (the relay's policy) to every message
    refuse_recipient: str = ""  # answer "550 5.1.1 no such user" for this address
    drop_after: int | None = None  # close the connection once this many were accepted
    logins: int = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == self.refuse_recipient:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Message refused by policy"
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            server.transport.close()
            return "421 closing"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(message)
        self.envelopes.append((envelope.mail_from, tuple(envelope.rcpt_tos)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == USER
            and auth_data.password.decode() == PASSWORD
        )
        if ok:
            self.logins += 1
        return AuthResult(success=ok, handled=False)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """The running server: `mailbox` holds what it got; stop() when done."""

    def __init__(self, certificate: Certificate | None, *, implicit_tls: bool = False) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        options: dict[str, object] = {
            "authenticator": self.mailbox.authenticate,
            "auth_require_tls": True,
        }
        if certificate is None:
            # A relay on this machine with no encryption (smtp_security = "none").
            options["auth_require_tls"] = False
        elif implicit_tls:
            options["ssl_context"] = certificate.server_context()
            # aiosmtpd only counts STARTTLS as TLS for AUTH; this whole connection is TLS.
            options["auth_require_tls"] = False
        else:
            options["tls_context"] = certificate.server_context()
            options["require_starttls"] = True
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **options)
        if certificate is not None and implicit_tls:
            # aiosmtpd checks a TLS server is up with a TLS client that must trust it.
            self.controller.ssl_context = certificate.server_context()
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
