"""HTTP fetching with limits and errors a person can read.

trafilatura's own fetch_response() logs and swallows every failure, and its SSRF guard looks at the peer
only after the TCP handshake (so a refusal tells open ports from closed ones). Here every request:

- resolves the host first, checks every address it resolves to, and connects only to a checked address
  (no second lookup that DNS rebinding could answer differently); link-local and cloud-metadata addresses
  are refused even with --allow-private;
- has one deadline for all of it — name lookup, connect, TLS, headers, body, every redirect: a watchdog
  shuts the sockets down when it passes, so a server trickling a byte a second cannot hold a worker;
- fails with a FetchError whose sentence says what happened (before or after the connection was made).
"""
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

USER_AGENT = "newstrace/0.1 (+https://github.com/newstrace; news archive)"
ROBOTS_AGENT = "newstrace"  # the product token robots.txt rules name (RFC 9309)
MAX_REDIRECTS = 5
HEADERS = {**urllib3.util.make_headers(accept_encoding=True), "User-Agent": USER_AGENT,
           "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
_POOLS = {}

# Never fetched, not even with --allow-private: instance metadata services hand out cloud credentials.
# Link-local (169.254.0.0/16, fe80::/10) holds most of them; these are the ones elsewhere.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OCI, DigitalOcean, OpenStack
    "169.254.170.2",    # AWS ECS task metadata
    "fd00:ec2::254",    # AWS IMDS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",      # Oracle Cloud (classic)
))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    "A failure with the stage it happened in, a short class and a sentence for the fetch log."

    def __init__(self, message, *, error_class, stage="fetch", http_status=None, path=None):
        super().__init__(message)
        self.message = message
        self.error_class = error_class
        self.stage = stage
        self.http_status = http_status
        self.path = path  # the local file it concerns, when not the source named on the command line


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


def check_scheme(url):
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"Refused {scheme or 'relative'}: link — only http and https URLs are fetched.",
            error_class="UnsupportedScheme",
        )


# --- which addresses may be connected to ------------------------------------------------------------

def _embedded_ipv4(ip):
    "The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), or None."
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address, allow_private):
    """None when `address` (a string) may be connected to, else the kind of address it is, for messages:
    'link-local or cloud-metadata' (always refused) or 'loopback'/'private'/... (refused without
    --allow-private)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    inner = _embedded_ipv4(ip)
    for candidate in (ip, inner) if inner else (ip,):
        if candidate in METADATA_ADDRESSES or candidate.is_link_local:
            return "link-local or cloud-metadata"
        if candidate.is_unspecified or candidate.is_multicast or (candidate.version == 4 and
                                                                  candidate == ipaddress.IPv4Address("255.255.255.255")):
            return "unspecified, broadcast or multicast"
    if allow_private:
        return None
    for candidate in (ip, inner) if inner else (ip,):
        if candidate.is_loopback:
            return "loopback"
        if not candidate.is_global:
            return "private or reserved"
    return None


class Refused(urllib3.exceptions.NewConnectionError):
    "The host resolves to an address we do not connect to (raised before any connection is attempted)."

    def __init__(self, conn, host, kind):
        super().__init__(conn, f"{host} resolves to a {kind} address")
        self.host, self.kind = host, kind


# --- one deadline for a whole request ----------------------------------------------------------------

class _Deadline:
    """Shuts down every socket of one fetch when its time is up, whatever call is blocked on them.

    A read timeout alone restarts with every byte received; this is the total."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        _local.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        _local.deadline = None
        with self._lock:
            self._sockets.clear()

    def remaining(self):
        return self.at - time.monotonic()

    def watch(self, sock):
        if sock is None:
            return
        with self._lock:
            if self.expired:
                _shutdown(sock)
            elif not any(s is sock for s in self._sockets):
                self._sockets.append(sock)

    def _expire(self):
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def _shutdown(sock):
    try:
        # the plain socket method, also on a TLS socket: it wakes a blocked read without touching TLS state
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


_local = threading.local()


def _current_deadline():
    return getattr(_local, "deadline", None)


def _resolve(host, port, deadline):
    "getaddrinfo bounded by the deadline (it has no timeout of its own; a stuck lookup is left behind)."
    try:
        ipaddress.ip_address(host)
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except ValueError:
        pass
    box = {}

    def lookup():
        try:
            box["result"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as err:
            box["error"] = err

    thread = threading.Thread(target=lookup, daemon=True, name="newstrace-resolve")
    thread.start()
    thread.join(max(0.0, deadline.remaining()) if deadline else None)
    if thread.is_alive():
        raise socket.timeout("name lookup")
    if "error" in box:
        raise box["error"]
    return box["result"]


class _CheckedConnection(HTTPConnection):
    "Connects only to addresses checked before connecting; every socket is handed to the fetch's deadline."
    allow_private = False

    def _new_conn(self):
        deadline = _current_deadline()
        host = self._dns_host.strip("[]")
        try:
            infos = _resolve(host, self.port, deadline)
        except socket.gaierror as err:
            raise urllib3.exceptions.NameResolutionError(self.host, self, err) from err
        except socket.timeout as err:
            raise urllib3.exceptions.ConnectTimeoutError(self, f"Name lookup of {host} timed out.") from err
        if not infos:
            raise urllib3.exceptions.NameResolutionError(self.host, self, socket.gaierror("no address"))
        for *_, sockaddr in infos:
            kind = address_refusal(sockaddr[0], self.allow_private)
            if kind:
                raise Refused(self, host, kind)
        error = None
        for family, socktype, proto, _, sockaddr in infos:
            sock = socket.socket(family, socktype, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if deadline:
                    deadline.watch(sock)
                    timeout = max(0.001, min(self.timeout if isinstance(self.timeout, (int, float)) else 1e9,
                                             deadline.remaining()))
                else:
                    timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
                sock.settimeout(timeout)
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(sockaddr)
                return sock
            except socket.timeout as err:
                sock.close()
                error = urllib3.exceptions.ConnectTimeoutError(self, f"Connection to {host} timed out.")
                error.__cause__ = err
            except OSError as err:
                sock.close()
                error = urllib3.exceptions.NewConnectionError(self, f"Failed to establish a new connection: {err}")
        raise error

    def connect(self):
        super().connect()
        deadline = _current_deadline()
        if deadline:
            deadline.watch(self.sock)  # the TLS socket, once wrapped

    def request(self, *args, **kwargs):
        deadline = _current_deadline()
        if deadline and self.sock is not None:
            deadline.watch(self.sock)  # a kept-alive connection from an earlier fetch
        return super().request(*args, **kwargs)


class _CheckedHTTPSConnection(_CheckedConnection, HTTPSConnection):
    pass


def _pool(allow_private):
    if allow_private not in _POOLS:
        http = type("HTTPConnection", (_CheckedConnection,), {"allow_private": allow_private})
        https = type("HTTPSConnection", (_CheckedHTTPSConnection,), {"allow_private": allow_private})
        manager = urllib3.PoolManager(num_pools=50, ca_certs=certifi.where(), cert_reqs="CERT_REQUIRED")
        manager.pool_classes_by_scheme = {
            "http": type("HTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("HTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https}),
        }
        _POOLS[allow_private] = manager
    return _POOLS[allow_private]


# --- the request ---------------------------------------------------------------------------------------

def fetch(url, *, timeout=30.0, max_bytes=20_000_000, allow_private=False, allowed=None):
    """GET `url`, following redirects; stop reading past `max_bytes` and past `timeout` seconds in total.
    allowed(url), when given, is called before each request (robots.txt) and raises a FetchError to stop."""
    check_scheme(url)
    with _Deadline(timeout) as deadline:
        try:
            return _fetch(url, timeout, max_bytes, allow_private, deadline, allowed)
        except FetchError as err:
            if deadline.expired and err.error_class != "Timeout":
                raise _timeout(timeout, err.http_status) from None
            raise


def _timeout(timeout, http_status=None):
    return FetchError(f"No complete response within {timeout:g} s (the --timeout limit covers the connection, "
                      "the headers and the whole body).", error_class="Timeout", http_status=http_status)


def _fetch(url, timeout, max_bytes, allow_private, deadline, allowed):
    seen, current = [], url
    pool = _pool(allow_private)
    while True:
        seen.append(current)
        if allowed:
            allowed(current)
        remaining = deadline.remaining()
        if remaining <= 0:
            raise _timeout(timeout)
        host = urlsplit(current).hostname or ""
        try:
            response = pool.request(
                "GET", current, headers=HEADERS, redirect=False, retries=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining), preload_content=False,
            )
        except Refused as err:
            raise _refusal(err) from None
        except urllib3.exceptions.NameResolutionError:
            raise FetchError(f"The host name {host} could not be resolved.", error_class="ConnectionError") from None
        except urllib3.exceptions.NewConnectionError as err:
            raise FetchError(_connect_message(host, err), error_class="ConnectionError") from None
        except urllib3.exceptions.ConnectTimeoutError:
            raise FetchError(f"Could not connect to {host} within {timeout:g} s.", error_class="Timeout") from None
        except (urllib3.exceptions.ReadTimeoutError, socket.timeout):
            raise _timeout(timeout) from None
        except urllib3.exceptions.SSLError as err:
            raise FetchError(f"The TLS handshake with {host} failed: {_reason(err)}.", error_class="SSLError") from None
        except urllib3.exceptions.LocationParseError:
            raise FetchError(f"The URL's host is not valid: {current}.", error_class="InvalidURL") from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.HTTPError, OSError) as err:
            if deadline.expired:
                raise _timeout(timeout) from None
            # the connection was made: what failed is the server's answer
            raise FetchError(f"Connected to {host}, but the server closed the connection or sent no valid HTTP "
                             f"answer ({_reason(err)}).", error_class="ProtocolError") from None
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
            if deadline.expired:
                response.close()  # its socket was shut down: never back into the pool
            else:
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
            if deadline.expired:
                break
    except (urllib3.exceptions.ReadTimeoutError, socket.timeout):
        raise _timeout(timeout, response.status) from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError, OSError) as err:
        if deadline.expired:
            raise _timeout(timeout, response.status) from None
        raise FetchError(f"The connection broke while reading the page: {_reason(err)}.",
                         error_class="ConnectionError", http_status=response.status) from None
    if deadline.expired:
        # a shut-down socket reads as the end of the body: what arrived is not the whole page
        raise _timeout(timeout, response.status)
    return bytes(out)


def _refusal(err):
    if err.kind == "link-local or cloud-metadata" or err.kind.startswith("unspecified"):
        return FetchError(f"Refused to connect to {err.host}: it resolves to a {err.kind} address, which is never "
                          "fetched (not even with --allow-private).", error_class="SSRFBlocked")
    return FetchError(f"Refused to connect to {err.host}: it resolves to a {err.kind} address; pass "
                      "--allow-private to archive intranet pages.", error_class="SSRFBlocked")


def _reason(err):
    "The innermost cause of a urllib3 error, as a short phrase without the pool's object reprs."
    inner = err
    while getattr(inner, "reason", None) is not None and inner.reason is not inner:
        inner = inner.reason
    for arg in getattr(inner, "args", ())[::-1]:
        if isinstance(arg, BaseException):
            inner = arg
            break
    text = str(inner).strip() or type(inner).__name__
    if ": " in text and text.startswith("<"):  # "<urllib3.connection...>: Failed to ..."
        text = text.split(": ", 1)[1]
    return text.rstrip(".")


def _connect_message(host, err):
    text = str(err)
    if "Connection refused" in text:
        return f"Could not connect to {host}: the connection was refused."
    if "Network is unreachable" in text or "No route to host" in text:
        return f"Could not connect to {host}: the network or host is unreachable."
    return f"Could not connect to {host}: {_reason(err)}."
