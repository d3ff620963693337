"""The mail relay: SMTP with STARTTLS or implicit TLS and a login, through `smtplib`.

Every failure is an EmailError saying what to check. `connect_only` signs in and says goodbye,
sending nothing, for `smwsync doctor`.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import parseaddr

from smwsync.config import NotifySettings
from smwsync.errors import EmailError, EmailRefused, EmailUncertain


class Relay:
    """One connection to the configured relay. Use as a context manager."""

    def __init__(
        self, settings: NotifySettings, password: str, *, tls: ssl.SSLContext | None = None
    ) -> None:
        self.settings = settings
        self._password = password
        self._tls = tls or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Relay:
        settings = self.settings
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        try:
            if settings.smtp_security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    timeout=settings.timeout_seconds,
                    context=self._tls,
                )
            else:
                smtp = smtplib.SMTP(
                    settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds
                )
            self._smtp = smtp
            smtp.ehlo()
            if settings.smtp_security == "starttls":
                smtp.starttls(context=self._tls)
                smtp.ehlo()
            if settings.username:
                smtp.login(settings.username, self._password)
        except smtplib.SMTPAuthenticationError as err:
            self._close()
            raise EmailError(
                f"The mail relay {where} refused the login of {settings.username!r} "
                f"({err.smtp_code}): check [notify] username and the password in "
                f"{settings.password_env or 'password_env'} (Microsoft 365 and Gmail need an app "
                "password when the account has two-step sign-in)."
            ) from err
        except smtplib.SMTPNotSupportedError as err:
            self._close()
            raise EmailError(
                f'The mail relay {where} does not offer STARTTLS: use smtp_security = "tls" '
                "with its TLS port (often 465)."
            ) from err
        except ssl.SSLError as err:
            self._close()
            raise EmailError(
                f"Could not set up an encrypted connection to {where} ({err.reason}): check "
                '[notify] smtp_port and smtp_security ("starttls" on 587, "tls" on 465).'
            ) from err
        except (OSError, smtplib.SMTPException) as err:
            self._close()
            raise EmailError(f"Could not reach the mail relay {where}: {_reason(err)}.") from err
        return self

    def __exit__(self, *exc: object) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._close()
            self._smtp = None

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the relay, step by step, so that each failure says what it means:

        EmailRefused when the relay refuses this recipient or message for good (5xx); EmailError
        when the relay cannot send now (a 4xx, the sender refused, the connection lost before
        the message): nothing went, try later; EmailUncertain when the connection was lost while
        the relay was taking the message: it may have gone, so it must not be sent again.
        """
        assert self._smtp is not None, "use the relay as a context manager"
        smtp = self._smtp
        sender = parseaddr(str(message["From"]))[1]
        recipients = [parseaddr(part)[1] for part in str(message["To"]).split(",")]
        try:
            code, _ = smtp.mail(sender)
            if code != 250:
                smtp.rset()
                raise EmailError(
                    f"The mail relay refused the sender {sender} ({code}): check [notify] sender "
                    "is an address the login may send from."
                )
            for recipient in recipients:
                code, _ = smtp.rcpt(recipient)
                if code not in (250, 251):
                    smtp.rset()
                    if 500 <= code < 600:
                        raise EmailRefused(f"The mail relay refused the recipient ({code}).")
                    raise EmailError(f"The mail relay cannot take email now ({code}).")
        except (OSError, smtplib.SMTPServerDisconnected) as err:
            self._close()
            raise EmailError(f"The mail relay stopped answering: {_reason(err)}.") from err
        try:
            code, answer = smtp.data(message.as_bytes(policy=SMTP_POLICY))
            if code != 250:
                raise smtplib.SMTPDataError(code, answer)
        except smtplib.SMTPDataError as err:
            if 500 <= err.smtp_code < 600 and not _about_the_sender(err):
                refused = f"The mail relay refused the message ({err.smtp_code})."
                raise EmailRefused(refused) from err
            raise EmailError(
                f"The mail relay would not take the message ({_reason(err)}): check that "
                "[notify] sender is an address the login may send as."
                if _about_the_sender(err)
                else f"The mail relay cannot take email now ({err.smtp_code})."
            ) from err
        except (OSError, smtplib.SMTPServerDisconnected) as err:
            self._close()
            raise EmailUncertain(
                f"The mail relay stopped answering while taking a message: {_reason(err)}."
            ) from err

    @property
    def connected(self) -> bool:
        """False once the connection was lost: the rest must wait for the next run."""
        return self._smtp is not None

    def _close(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None


def _about_the_sender(err: smtplib.SMTPResponseException) -> bool:
    """True when a refusal is about the sender or the relay's policy (5.7.x, Microsoft 365's
    5.2.252 SendAsDenied), not this message: every message would be refused, so none should
    use up an attempt."""
    said = err.smtp_error.decode("utf-8", "replace") if isinstance(err.smtp_error, bytes) else ""
    return said.startswith(("5.7.", "5.2.252")) or "SendAsDenied" in said


def _reason(err: BaseException) -> str:
    """What went wrong, without repeating what the relay said about an address."""
    if isinstance(err, socket.timeout | TimeoutError) or "timed out" in str(err):
        return "no answer in time"
    if isinstance(err, smtplib.SMTPResponseException):
        return f"it answered {err.smtp_code}"
    if isinstance(err, smtplib.SMTPServerDisconnected):
        return "it closed the connection"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    return type(err).__name__
