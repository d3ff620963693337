"""The mail relay: SMTP with STARTTLS or implicit TLS and a login, through `smtplib`.

Every failure is an EmailError saying what to check. `connect_only` signs in and says goodbye,
sending nothing, for `smwsync doctor`.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage

from smwsync.config import NotifySettings
from smwsync.errors import EmailError


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
        """Hand one message to the relay; EmailError when it refuses or the connection drops."""
        assert self._smtp is not None, "use the relay as a context manager"
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            codes = sorted({code for code, _ in err.recipients.values()})
            raise EmailError(f"The mail relay refused the recipient ({codes}).") from err
        except smtplib.SMTPResponseException as err:
            # The relay said no to this message; the connection goes on.
            raise EmailError(f"The mail relay refused the message: {_reason(err)}.") from err
        except (OSError, smtplib.SMTPException) as err:
            self._close()
            raise EmailError(f"The mail relay stopped answering: {_reason(err)}.") from err
        if refused:
            raise EmailError("The mail relay refused a recipient.")

    @property
    def connected(self) -> bool:
        """False once the connection was lost: the rest must wait for the next run."""
        return self._smtp is not None

    def _close(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
        self._smtp = None


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
