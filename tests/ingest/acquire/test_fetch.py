"""fetch(): one deadline for the whole request, addresses checked before connecting, honest messages.

Against the sample server's failure endpoints on 127.0.0.1 (issue 15, items 1, 9 and 11)."""
import socket
import time
import sqlite3

import pytest

from newstrace.ingest.acquire.fetch import FetchError, address_refusal, fetch
from newstrace.ingest.sample import serve_sample

from tests.conftest import run_cli

GOOD = "/meridian/vance-price-floors.html"


@pytest.fixture(scope="module")
def server():
    with serve_sample() as server:
        yield server


def fails(url, **options):
    with pytest.raises(FetchError) as caught:
        fetch(url, **options)
    return caught.value


@pytest.mark.parametrize("query", ["seconds=60&trickle=1", "seconds=60&trickle=1&headers=1"],
                         ids=["body-trickle", "header-trickle"])
def test_a_trickling_server_is_cut_at_the_total_deadline(server, query):
    # a byte every half second resets any read timeout; only a deadline over the whole request stops it
    err = fails(server.url(f"/fail/slow?{query}"), timeout=1.5, allow_private=True)
    assert err.error_class == "Timeout" and "1.5 s" in err.message
    # the client hung up long before the server's 60 s were over (the server notices at its next write)
    for _ in range(50):
        if any(query in path for path in server.cut_short):
            break
        time.sleep(0.1)
    assert any(query in path for path in server.cut_short)


def test_slow_hosts_do_not_hold_up_the_batch(tmp_path, server):
    "66 of 74 URLs were never fetched behind one trickling host; now each slow one fails on its own."
    db = tmp_path / "newstrace.db"
    slow = [server.url("/fail/slow?seconds=120&trickle=1&headers=1&n=1"),
            server.url("/fail/slow?seconds=120&trickle=1&n=2")]
    good = [server.url(GOOD), server.url("/capitolwire/vance-trade-zone.html")]
    for workers in ("1", "2"):
        # 120 s trickles against --timeout 2: a run that waited for them would outlast the 90 s guard
        result = run_cli("ingest", db, *slow, *good, "--allow-private", "--delay", "0", "--timeout", "2",
                         "--quiet", "--refetch", "--workers", workers, timeout=90)
        assert result.returncode == 2, result.stderr
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT url, outcome, error_class FROM fetch_log WHERE id > "
                                "(SELECT COALESCE(MAX(id), 0) - 4 FROM fetch_log)").fetchall()
        assert {(url, error) for url, outcome, error in rows if outcome == "failed"} == {
            (url, "Timeout") for url in slow}
        assert {url for url, outcome, _ in rows if outcome != "failed"} == set(good)


def test_private_addresses_are_refused_before_connecting():
    "The refusal comes before the TCP handshake: an open port and a closed one look the same."
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    open_port = listener.getsockname()[1]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        errors = [fails(f"http://127.0.0.1:{port}/x", timeout=2) for port in (open_port, closed_port)]
        with pytest.raises(BlockingIOError):
            listener.accept()  # no handshake ever reached the listening socket
    finally:
        listener.close()
    assert [e.error_class for e in errors] == ["SSRFBlocked", "SSRFBlocked"]
    assert errors[0].message == errors[1].message
    assert str(open_port) not in errors[0].message and "--allow-private" in errors[0].message
    # a host name is resolved and checked in the same way
    assert fails("http://localhost:9/", timeout=2).error_class == "SSRFBlocked"


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:8080/",
                                 "http://[::ffff:169.254.169.254]/", "http://100.100.100.200/",
                                 "http://[fd00:ec2::254]/", "http://0.0.0.0:8001/"])
def test_metadata_and_link_local_stay_refused_with_allow_private(url):
    err = fails(url, timeout=2, allow_private=True)
    assert err.error_class == "SSRFBlocked" and "not even with --allow-private" in err.message
    assert ":8080" not in err.message and ":8001" not in err.message


def test_address_checks():
    assert address_refusal("93.184.215.14", False) is None
    assert address_refusal("10.1.2.3", False) == "private or reserved"
    assert address_refusal("10.1.2.3", True) is None
    assert address_refusal("127.0.0.1", False) == "loopback"
    assert address_refusal("::1", True) is None
    assert address_refusal("64:ff9b::a9fe:a9fe", True) == "link-local or cloud-metadata"  # NAT64 of the metadata IP
    assert address_refusal("2002:a9fe:a9fe::1", True) == "link-local or cloud-metadata"  # 6to4


def test_a_server_that_hangs_up_is_not_called_unreachable(server):
    "The connection was made: the message says so instead of 'could not connect'."
    err = fails(server.url("/fail/hangup"), timeout=5, allow_private=True)
    assert err.error_class == "ProtocolError"
    assert err.message.startswith("Connected to 127.0.0.1") and "could not connect" not in err.message.lower()
    refused = fails("http://127.0.0.1:9/", timeout=5, allow_private=True)
    assert refused.error_class == "ConnectionError" and refused.message.startswith("Could not connect")


def test_a_good_page_and_a_redirect(server):
    response = fetch(server.url("/go/vance-price-floors"), allow_private=True)
    assert response.status == 200 and response.final_url == server.url(GOOD)
    assert b"price floor" in response.body.lower()
