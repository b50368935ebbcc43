"""HTTP fetching through trafilatura's connection pool, with limits and errors a person can read.

trafilatura's own fetch_response() logs and swallows every failure; an archive has to say *why* a page
is missing, so we drive its pool (which carries its SSRF protection) ourselves.
"""
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from trafilatura.downloads import DEFAULT_HEADERS, create_pool

USER_AGENT = "newstrace/0.1 (+https://github.com/newstrace; news archive)"
MAX_REDIRECTS = 5
_POOLS = {}


class FetchError(Exception):
    "A failure with the stage it happened in, a short class and a sentence for the fetch log."

    def __init__(self, message, *, error_class, stage="fetch", http_status=None):
        super().__init__(message)
        self.message = message
        self.error_class = error_class
        self.stage = stage
        self.http_status = http_status


@dataclass
class Response:
    url: str
    final_url: str
    status: int
    headers: dict
    body: bytes
    fetched_at: str = field(default_factory=lambda: now_iso())

    @property
    def content_type(self):
        return self.headers.get("content-type")


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _pool(allow_private):
    if allow_private not in _POOLS:
        _POOLS[allow_private] = create_pool(
            ssrf_protection=not allow_private, ca_certs=certifi.where(), cert_reqs="CERT_REQUIRED"
        )
    return _POOLS[allow_private]


def check_scheme(url):
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"Refused {scheme or 'relative'}: link — only http and https URLs are fetched.",
            error_class="UnsupportedScheme",
        )


def fetch(url, *, timeout=30.0, max_bytes=20_000_000, allow_private=False):
    """GET `url`, following redirects; stop reading past `max_bytes` and past `timeout` seconds in total."""
    check_scheme(url)
    deadline = time.monotonic() + timeout
    headers = dict(DEFAULT_HEADERS)
    headers["User-Agent"] = USER_AGENT
    seen, current = [], url
    pool = _pool(allow_private)
    while True:
        seen.append(current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"No complete response within {timeout:g} s.", error_class="Timeout")
        try:
            response = pool.request(
                "GET",
                current,
                headers=headers,
                redirect=False,
                retries=False,
                timeout=urllib3.Timeout(connect=min(remaining, timeout), read=min(remaining, timeout)),
                preload_content=False,
            )
        except urllib3.exceptions.NewConnectionError as err:
            if "SSRF protection" in str(err):
                raise FetchError(
                    f"Refused to connect to a non-public address ({urlsplit(current).hostname}); "
                    "pass --allow-private to archive intranet pages.",
                    error_class="SSRFBlocked",
                ) from None
            raise FetchError(_connection_message(current, err), error_class="ConnectionError") from None
        except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.ReadTimeoutError, socket.timeout):
            raise FetchError(f"The server did not answer within {timeout:g} s.", error_class="Timeout") from None
        except urllib3.exceptions.SSLError as err:
            raise FetchError(f"TLS handshake failed: {err}.", error_class="SSLError") from None
        except (urllib3.exceptions.HTTPError, OSError) as err:
            raise FetchError(_connection_message(current, err), error_class="ConnectionError") from None
        try:
            if response.status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                nxt = urljoin(current, response.headers["location"])
                if nxt in seen:
                    raise FetchError(f"Redirect loop: {current} leads back to {nxt}.", error_class="RedirectLoop",
                                     http_status=response.status)
                if len(seen) > MAX_REDIRECTS:
                    raise FetchError(f"More than {MAX_REDIRECTS} redirects.", error_class="RedirectLoop",
                                     http_status=response.status)
                check_scheme(nxt)
                current = nxt
                continue
            if response.status >= 400:
                raise FetchError(
                    f"The server answered HTTP {response.status} {response.reason or ''}".rstrip() + ".",
                    error_class="HTTPError",
                    http_status=response.status,
                )
            body = _read_capped(response, max_bytes, deadline, timeout)
            return Response(
                url=url,
                final_url=current,
                status=response.status,
                headers={k.lower(): v for k, v in response.headers.items()},
                body=body,
            )
        finally:
            response.release_conn()


def _read_capped(response, max_bytes, deadline, timeout):
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"The page is {int(declared):,} bytes, over the --max-bytes limit of {max_bytes:,}.",
            error_class="TooLarge",
            http_status=response.status,
        )
    out = bytearray()
    try:
        for chunk in response.stream(2**16):
            out += chunk
            if len(out) > max_bytes:
                raise FetchError(
                    f"Stopped reading after {max_bytes:,} bytes (the --max-bytes limit).",
                    error_class="TooLarge",
                    http_status=response.status,
                )
            if time.monotonic() > deadline:
                raise FetchError(f"The body was still arriving after {timeout:g} s.", error_class="Timeout",
                                 http_status=response.status)
    except (urllib3.exceptions.ReadTimeoutError, socket.timeout):
        raise FetchError(f"The server stopped sending for {timeout:g} s.", error_class="Timeout",
                         http_status=response.status) from None
    except urllib3.exceptions.ProtocolError as err:
        raise FetchError(f"The connection broke while reading: {err}.", error_class="ConnectionError",
                         http_status=response.status) from None
    return bytes(out)


def _connection_message(url, err):
    text = str(err)
    host = urlsplit(url).netloc
    if "Connection refused" in text:
        return f"Connection refused by {host}."
    if "Name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return f"The host name {urlsplit(url).hostname} could not be resolved."
    return f"Could not connect to {host}: {text}"
