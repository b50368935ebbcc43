"""A time limit on work done in a thread other than the main one: a Dask worker runs its tasks in a thread, where
the signal timers of page.py never fire (Python delivers signals to the main thread only), so a pathological page
would hold the worker for as long as it takes (`newstrace ingest --cluster` ignored `--timeout`).

One watchdog thread per process sleeps until the nearest deadline of the regions in progress and raises the
region's exception in the thread that passed it (PyThreadState_SetAsyncExc, the interpreter's own way to interrupt
another thread). The exception arrives where a signal handler's would: between two Python instructions, so what
the signal timers stop, this stops too, and a long call into C code (one lxml parse) is stopped once it returns.
The clocks are the signal timers': wall-clock time, or the processor time of the thread that runs the work (the
signal timer counts the process's, which in a worker process of --workers is that one thread's).

A region costs a lock and two dictionary operations; the watchdog wakes at deadlines only (none while every page
finishes within its bound)."""
import ctypes
import os
import threading
import time

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


class _Region:
    __slots__ = ("ident", "alarm", "read", "start", "limit", "done", "firing", "fired")

    def __init__(self, ident, alarm, read, limit):
        self.ident, self.alarm, self.read, self.limit = ident, alarm, read, limit
        self.start = read()
        self.done = self.firing = self.fired = False

    def left(self):
        "Seconds of its clock left; never more than the wall-clock seconds left (a thread uses one processor)."
        try:
            return self.limit - (self.read() - self.start)
        except OSError:  # the thread is gone: nothing to stop
            return float("inf")


class _Watchdog:
    def __init__(self):
        self.cond = threading.Condition()
        self.regions = {}  # id(region) -> region in progress
        self.wake_at = float("inf")  # time.monotonic() the watchdog sleeps until
        self.thread = None

    def add(self, region):
        with self.cond:
            if self.thread is None:
                self.thread = threading.Thread(target=self._watch, name="newstrace-deadlines", daemon=True)
                self.thread.start()
            self.regions[id(region)] = region
            if time.monotonic() + region.limit < self.wake_at:
                self.cond.notify()

    def _watch(self):
        while True:
            with self.cond:
                due, wait = [], None
                for region in list(self.regions.values()):
                    left = region.left()
                    if left <= 0:
                        due.append(region)
                    elif wait is None or left < wait:
                        wait = left
                if not due:
                    self.wake_at = time.monotonic() + wait if wait is not None else float("inf")
                    self.cond.wait(wait)
                    continue
                for region in due:
                    self.regions.pop(id(region), None)
            for region in due:
                # with the thread's `done` then `firing` in run(): the exception is raised only in a thread still
                # inside its region, or one waiting in its `finally` for this decision (which then cancels it)
                region.firing = True
                if not region.done:
                    _set_async_exc(ctypes.c_ulong(region.ident), ctypes.py_object(region.alarm))
                    region.fired = True
                region.firing = False


_watchdog = _Watchdog()


def _after_fork():
    # a forked child (a --workers pool process) has no watchdog thread, and its lock may have been held
    global _watchdog
    _watchdog = _Watchdog()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _thread_clock(ident):
    "A reader of the processor time of thread `ident` (Linux, BSD), or of wall-clock time where there is none."
    try:
        clock = time.pthread_getcpuclockid(ident)
        time.clock_gettime(clock)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock)


def run_with_deadline(func, timeout, alarm, clock="real"):
    """func() in this thread, with `alarm` (an exception class) raised in it after `timeout` seconds of wall-clock
    time ('real') or of this thread's processor time ('cpu')."""
    ident = threading.get_ident()
    region = _Region(ident, alarm, _thread_clock(ident) if clock == "cpu" else time.monotonic, timeout)
    watchdog = _watchdog
    watchdog.add(region)
    try:
        return func()
    finally:
        region.done = True
        watchdog.regions.pop(id(region), None)
        if region.firing or region.fired:
            while region.firing and not region.fired:
                time.sleep(0)  # the watchdog is deciding: let it finish
            if region.fired:
                # the deadline passed: cancel the exception if it has not arrived yet, and raise it here
                _set_async_exc(ctypes.c_ulong(ident), None)
                raise alarm()
