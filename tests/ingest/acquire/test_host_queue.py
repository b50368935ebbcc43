"""acquire.crawl.HostQueue: the one scheduling loop of both batches (--workers and --cluster): one request
in flight per host, spaced by the delay after the previous answer, local tasks bounded by the room the
caller has, and what a worker learnt of robots.txt carried on the host's next task."""
import time

from newstrace.ingest.acquire.crawl import HostQueue


def http(url):
    return {"kind": "http", "url": url, "source": url}


def local(name):
    return {"kind": "file", "url": name, "source": name}


def test_one_request_per_host_in_flight_and_local_tasks_as_room_allows():
    tasks = [http("http://a.test/1"), http("http://a.test/2"), http("http://B.test/1"), local("x.html"),
             local("y.html"), local("z.html")]
    q = HostQueue(tasks, delay=0)
    sent = []
    for task in q.ready(lambda: len(sent) < 4):
        sent.append(task)
    # one of each host (host keys are case-insensitive), then local ones while there is room
    assert [t["url"] for t in sent] == ["http://a.test/1", "http://B.test/1", "x.html", "y.html"]
    assert q.exhausted and q.waiting
    assert list(q.ready(lambda: True)) == [local("z.html")]  # a.test is still busy
    q.done(sent[0])
    assert [t["url"] for t in q.ready(lambda: True)] == ["http://a.test/2"]
    assert not q.waiting


def test_hosts_wait_for_room_unless_told_otherwise():
    tasks = [http("http://a.test/1"), http("http://b.test/1")]
    assert list(HostQueue(tasks, delay=0).ready(lambda: False)) == []
    assert len(list(HostQueue(tasks, delay=0).ready(lambda: False, hosts_need_room=False))) == 2


def test_a_host_waits_for_the_delay_after_its_answer_and_after_requests_made_before_the_batch():
    q = HostQueue([http("http://a.test/1"), http("http://a.test/2")], delay=0.3,
                  spacing={"a.test": time.monotonic()})
    assert list(q.ready(lambda: True)) == []  # robots.txt was just read from a.test
    time.sleep(0.35)
    [task] = q.ready(lambda: True)
    q.done(task)
    assert list(q.ready(lambda: True)) == []
    time.sleep(0.35)
    assert [t["url"] for t in q.ready(lambda: True)] == ["http://a.test/2"]


def test_robots_learnt_by_a_worker_ride_on_the_next_task_of_its_host():
    q = HostQueue([http("http://a.test/1"), http("http://a.test/2"), http("http://b.test/1")], delay=0)
    a1, b1 = q.ready(lambda: True)
    assert "robots" not in a1
    q.done(a1, robots=("text", "User-agent: *\nDisallow: /private"))
    q.done(b1)  # nothing learnt: nothing carried
    [a2] = q.ready(lambda: True)
    assert a2["robots"] == ("text", "User-agent: *\nDisallow: /private") and a2["url"] == "http://a.test/2"


def test_tasks_are_read_ahead_only_up_to_the_buffer():
    read = []

    def tasks():
        for i in range(10):
            read.append(i)
            yield http("http://a.test/%d" % i)

    q = HostQueue(tasks(), delay=0, buffered=3)
    assert len(list(q.ready(lambda: True))) == 1 and read == [0, 1, 2] and not q.exhausted


def test_host_delay_takes_the_longer_of_delay_and_crawl_delay_capped():
    from newstrace.ingest.acquire.crawl import MAX_CRAWL_DELAY, host_delay

    assert host_delay(1.0, ("text", "User-agent: *\nCrawl-delay: 2.5\n")) == 2.5
    assert host_delay(3.0, ("text", "User-agent: *\nCrawl-delay: 2\n")) == 3.0  # --delay is longer
    assert host_delay(0, ("text", "User-agent: newstrace\nCrawl-delay: 3600\n")) == MAX_CRAWL_DELAY
    assert host_delay(1.0, ("text", "User-agent: otherbot\nCrawl-delay: 9\n")) == 1.0  # asked of another agent
    assert host_delay(1.0, ("text", "User-agent: *\nCrawl-delay: soon\n")) == 1.0  # not a number
    assert host_delay(1.0, ("allow",)) == host_delay(1.0, None) == 1.0


def test_a_crawl_delay_spaces_the_host_it_was_read_from():
    slow = ("text", "User-agent: *\nCrawl-delay: 0.4\n")
    q = HostQueue([http("http://a.test/1"), http("http://a.test/2"), http("http://b.test/1"),
                   http("http://b.test/2")], delay=0)
    a1, b1 = q.ready(lambda: True)
    q.done(a1, robots=slow)
    q.done(b1)
    assert [t["url"] for t in q.ready(lambda: True)] == ["http://b.test/2"]  # b.test asked for nothing
    time.sleep(0.45)
    [a2] = q.ready(lambda: True)
    assert a2["url"] == "http://a.test/2" and a2["robots"] == slow
    # what this process read before the batch (feeds, sitemaps) counts from the first page
    q = HostQueue([http("http://a.test/1")], delay=0, spacing={"a.test": time.monotonic()}, robots={"a.test": slow})
    assert list(q.ready(lambda: True)) == []


def test_the_caller_waits_for_answers_unless_a_host_delay_ends_sooner():
    "wake_in: how long the cluster's loop may wait for answers (it used to wake every 50 ms while files waited)."
    q = HostQueue([local("x.html"), local("y.html")], delay=0)
    assert list(q.ready(lambda: False)) == [] and q.waiting
    assert q.wake_in() == 1.0  # local files wait for room: an answer makes it
    q = HostQueue([http("http://a.test/1"), http("http://a.test/2")], delay=30)
    [first] = q.ready(lambda: True)
    assert q.wake_in() == 1.0  # a.test has a request in flight: its answer comes first
    q.done(first)
    assert list(q.ready(lambda: True)) == []
    assert 0.5 < q.wake_in() <= 1.0 and q.wake_in(0.05) == 0.05
    q = HostQueue([http("http://a.test/1")], delay=0.3, spacing={"a.test": time.monotonic()})
    assert list(q.ready(lambda: True)) == []
    assert 0.01 <= q.wake_in() <= 0.3  # until the host's delay ends
