#!/usr/bin/env python3
"""Chaos soak: `keybatch provision` killed, restarted and fed a changing export against a faulty sandbox.

Usage: soak.py --binary PATH [--minutes N] [--rows N] [--seed N] [--keep] [--restart-delay S] [--slow-spikes]
                [--identity-link-rule refuse|allow|refuse_on_site|relink]

Starts `keybatch sandbox --port 0` and, for --minutes of chaos, runs `keybatch provision --sync`
over a generated export again and again while the sandbox injects 10% 5xx on every route, 5%
ambiguous faults (applied, then 500 or no answer) on every create, latency spikes, 429 storms on
top of a standing rate limit, and a Salto KS site that applies changes late and sometimes refuses
them. A share of the runs is SIGKILLed at a random moment; between runs the export changes (dates
moved, reservations cancelled or re-confirmed, rows removed, which --sync revokes); once, midway,
the state file is deleted. Then every fault is lifted and runs repeat until one ends settled (exit
0, every row provisioned, unchanged, updated, revoked or deferred), and the invariants are checked
against the sandbox's raw state and the state file:

  1. duplicates: no email with two user identities, no guest (identity) with two live ACS users on
     one site (ACS system), no ACS user with two live keys;
  2. rows missing from results: every row of the last export exactly once in the last results;
  3. Seam objects the state does not know: every live ACS user and key is in the state file;
  4. statuses Seam contradicts: each guest with live stays on a site holds one ACS user with one
     key, holding the current visit (its stays less than 24 h apart joined: schedule and groups),
     later visits' rows `deferred` with the same ids; no other guest site holds a user; and the
     results and the state file say so.

Prints the figures as a table and exits 1 when an invariant fails or the runs never settled, 2 on
a usage or setup error, 128 + the signal when interrupted (Ctrl-C, SIGTERM). Python 3 standard library only. Everything it writes goes to a temporary
folder (removed on success unless --keep; kept and named on failure). --seed makes the soak's own
choices (data, kills, export changes, fault timeline) repeatable; the sandbox draws its faults and
the timing of every run is the machine's, so a replay follows the same script, not the same calls.
"""
import argparse
import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ left in Benchmarks/
import generate_reservations as generator  # noqa: E402  (guests: emails, names, phones as real exports have them)

LISTINGS = os.path.join(HERE, "..", "samples", "listings.csv")  # what the sandbox's default seed holds
CREATE_ROUTES = ["/user_identities/create", "/acs/users/create", "/acs/credentials/create"]

# The environment of the whole chaos phase. Seam requests per second the sandbox allows (429 above
# it), and what keybatch is told: a rate above the limit, so it has to find the limit itself.
RATE_LIMIT = {"requests_per_second": 100, "burst": 100}
STORM_LIMIT = {"requests_per_second": 3, "burst": 1}
BASE_LATENCY = {"fixed_ms": 2, "jitter_ms": 8}
FAULTS_ALL = {"error_500": 0.05, "error_503": 0.05}  # 10% 5xx on every route
# A route rule replaces the all-routes rule, so creates carry the 10% 5xx too, plus 5% ambiguous.
FAULTS_CREATE = {"error_500": 0.05, "error_503": 0.05, "ambiguous_500": 0.025, "ambiguous_timeout": 0.025,
                 "dropped": 0.025, "hold_seconds": 6}
# Issue 24: a create whose connection was cut is looked up at once, and only a miss waits (twice
# Seam's slow answers of late) before the last look and a new create; `dropped` applies half of
# the creates it cuts, so both halves of that rule are in play.
REQUEST_TIMEOUT = 5  # below hold_seconds: an ambiguous_timeout is a real timeout for the client
# The slow-body fault of issue 26 (the change applied, the head at once, the body trickled over
# hold_seconds, longer than REQUEST_TIMEOUT): on every route at a small probability, joining
# FAULTS_ALL and FAULTS_CREATE. A client whose timeout stopped at the head would hang on it; KeyBatch's
# covers the whole answer, so it is an ambiguous timeout (a read retried, a create looked up).
SLOW_BODY_FAULT = {"slow_body": 0.01, "hold_seconds": 6}
PROVISION_FLAGS = ["--sync", "--rate", "150", "--burst", "40", "--concurrency", "16",
                   "--request-timeout", str(REQUEST_TIMEOUT), "--connect-timeout", "3"]
CHAOS_CONFIRM_TIMEOUT = 10
END_CONFIRM_TIMEOUT = 60
# The end phase keeps the site a little late (confirmation still has work) but refuses nothing.
END_PROVIDER = {"sync_delay_seconds": 0.3, "deletion_delay_seconds": 0.3}
MAX_CHAOS_DELAY = 3.0  # the longest sync or deletion delay the timeline sets

# A row's final statuses: `deferred` (a later visit of the guest on the site, whose one ACS user
# holds an earlier one) is not a failure, and a run with such rows exits 0.
SETTLED = {"provisioned", "unchanged", "updated", "revoked", "deferred"}
JOIN_GAP_MS = 24 * 3_600_000  # keybatch's default --join-gap (the soak does not set it)
# What the sandbox answers to a second ACS user for one identity on one ACS system (issue 23):
# `refuse` (HTTP 400, Seam's documented rule and the sandbox's default), `allow` (a second user of
# KeyBatch's making then shows as a duplicate), `refuse_on_site` (accepted, then refused by the
# site), `relink` (accepted, and the identity moves to the new user, leaving the old one without
# it). KeyBatch never asks for a second user, so each reading only shows when it would by mistake;
# a soak plays one, drawn from its seed (or --identity-link-rule).
IDENTITY_LINK_RULES = ["refuse", "allow", "refuse_on_site", "relink"]


class SetupError(Exception):
    pass


# MARK: - The sandbox

class Sandbox:
    """`keybatch sandbox --port 0` as a child process, and its /_sandbox/ controls."""

    def __init__(self, binary, workdir):
        self.log_path = os.path.join(workdir, "sandbox.log")
        env_path = os.path.join(workdir, "sandbox.env")
        with open(env_path, "w") as out, open(self.log_path, "w") as log:
            self.process = subprocess.Popen([binary, "sandbox", "--port", "0", "--host", "127.0.0.1"],
                                            stdout=out, stderr=log, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        self.values = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SetupError(f"keybatch sandbox exited with {self.process.returncode}; see {self.log_path}")
            with open(env_path) as env:
                for line in env:
                    if "=" in line:
                        name, value = line.strip().split("=", 1)
                        self.values[name] = value
            if "SANDBOX_ADMIN_TOKEN" in self.values:
                break
            time.sleep(0.05)
        else:
            raise SetupError("keybatch sandbox printed no SANDBOX_ADMIN_TOKEN within 30 s")
        self.endpoint = self.values["SEAM_ENDPOINT"]
        if not self.endpoint.startswith("http://127.0.0.1:"):
            raise SetupError(f"sandbox is not on loopback: {self.endpoint}")

    def admin(self, path, body=None, timeout=120):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + "/_sandbox/" + path, data=data,
                                         method="GET" if body is None else "POST")
        request.add_header("Authorization", "Bearer " + self.values["SANDBOX_ADMIN_TOKEN"])
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise SetupError(f"/_sandbox/{path} answered {error.code}: {error.read()[:300]!r}") from None
        except (urllib.error.URLError, OSError) as error:
            state = "running" if self.process.poll() is None else f"exited with {self.process.returncode}"
            raise SetupError(f"/_sandbox/{path}: {error} (the sandbox {state}; see {self.log_path})") from None

    def workspace(self):
        workspaces = self.admin("state")["state"]["workspaces"]
        return workspaces[self.values["SEAM_WORKSPACE_ID"]]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# MARK: - The export

def read_listings():
    groups = {}
    systems = {}
    with open(LISTINGS, newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            groups.setdefault(row["listing_id"], set()).add(row["acs_access_group_id"])
            systems[row["listing_id"]] = row["acs_system_id"]
    return {listing: (systems[listing], groups[listing]) for listing in sorted(systems)}


def iso_time(milliseconds, offset_hours):
    """ISO 8601 with `Z` or `+HH:00`, milliseconds only when there are some (as exports vary)."""
    local = datetime.fromtimestamp(milliseconds // 1000, timezone.utc) + timedelta(hours=offset_hours)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if milliseconds % 1000:
        text += f".{milliseconds % 1000:03d}"
    return text + ("Z" if offset_hours == 0 else f"+{offset_hours:02d}:00")


class Export:
    """The reservations as the soak means them; written out as the CSV keybatch reads."""

    def __init__(self, rng, rows, listings):
        self.rng = rng
        self.listings = listings
        now_ms = int(time.time()) * 1000
        # Stays start two weeks out at the earliest, so no move ever makes one expire mid-soak.
        self.earliest_ms = now_ms + 14 * 86_400_000
        guests = [generator.make_guest(rng) for _ in range(max(10, rows // 3))]
        self.rows = []
        by_guest = {}
        for index in range(rows):
            # Repeat guests, skewed to the first ones, as in generate_reservations.py.
            email, name, phone = guests[min(int(rng.paretovariate(1.2)) - 1 + rng.randrange(len(guests)) // 2,
                                            len(guests) - 1)]
            listing = rng.choice(sorted(listings))
            check_in = self.earliest_ms + rng.randrange(700) * 86_400_000 + rng.choice([14, 15, 16]) * 3_600_000
            if rng.random() < 0.1:
                check_in += rng.randrange(1, 1000)
            check_out = check_in + rng.randint(1, 14) * 86_400_000 - rng.choice([3, 4, 5]) * 3_600_000
            earlier = by_guest.get(email)
            if earlier and rng.random() < 0.3:
                # A returning guest's next stay on the same site close after an earlier one (one
                # visit when less than --join-gap, 24 h, apart; 24 h and more make two), or a
                # family's second unit for the same dates: visits that join stays and their groups.
                before = rng.choice(earlier)
                system = listings[before["listing_id"]][0]
                listing = rng.choice([other for other in sorted(listings) if listings[other][0] == system])
                if rng.random() < 0.3:
                    check_in, check_out = before["check_in"], before["check_out"]
                else:
                    check_in = before["check_out"] + rng.choice([4, 20, 23, 24, 25, 48]) * 3_600_000
                    check_out = check_in + rng.randint(1, 7) * 86_400_000 - rng.choice([3, 4, 5]) * 3_600_000
            row = {"reservation_id": f"HM{index:08d}", "guest_email": email, "guest_name": name,
                   "guest_phone": phone, "listing_id": listing,
                   "check_in": check_in, "check_out": check_out, "status": "confirmed",
                   "offsets": (rng.choice([0, 0, 2]), rng.choice([0, 2, 2]))}
            self.rows.append(row)
            by_guest.setdefault(email, []).append(row)
        self.removed = []

    def write(self, path):
        with open(path, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(generator.HEADER)
            for row in self.rows:
                writer.writerow([row["reservation_id"], row["guest_email"], row["guest_name"], row["guest_phone"],
                                 row["listing_id"], iso_time(row["check_in"], row["offsets"][0]),
                                 iso_time(row["check_out"], row["offsets"][1]), row["status"]])

    def mutate(self):
        """One night's changes: dates moved, cancellations, re-confirmations, rows gone (--sync revokes)."""
        rng, count = self.rng, len(self.rows)
        changes = {"moved": 0, "cancelled": 0, "reconfirmed": 0, "removed": 0}
        for row in rng.sample(self.rows, max(1, count // 100)):
            shift = rng.choice([-3, -2, -1, 1, 2, 3, 5]) * 86_400_000
            length = row["check_out"] - row["check_in"] + rng.choice([-1, 0, 0, 1, 2]) * 86_400_000
            check_in = max(self.earliest_ms, row["check_in"] + shift)
            row["check_in"], row["check_out"] = check_in, check_in + max(length, 3_600_000)
            changes["moved"] += 1
        confirmed = [row for row in self.rows if row["status"] == "confirmed"]
        for row in rng.sample(confirmed, min(len(confirmed), max(1, count // 200))):
            row["status"] = rng.choice(["cancelled", "canceled"])
            changes["cancelled"] += 1
        cancelled = [row for row in self.rows if row["status"] != "confirmed"]
        for row in rng.sample(cancelled, max(len(cancelled) // 10, 1 if cancelled and rng.random() < 0.5 else 0)):
            row["status"] = "confirmed"
            changes["reconfirmed"] += 1
        # Few enough that --max-revocations (10% of the reservations holding keys) rarely blocks.
        for row in rng.sample(self.rows, max(1, count // 300)):
            self.rows.remove(row)
            self.removed.append(row["reservation_id"])
            changes["removed"] += 1
        return changes


# MARK: - The chaos timeline

def build_timeline(rng, seconds, slow_spikes=False):
    """(time, what, setting) events over the chaos phase: 429 storms, latency spikes, provider phases.

    Intervals shrink for short soaks (a 1-minute one still gets storms, spikes and phase changes).
    Spikes stay below REQUEST_TIMEOUT unless `slow_spikes`: a create that outlives the client's
    timeout is looked up before it has landed and made again (docs/soak.md, "Known races")."""
    scale = min(1.0, max(0.3, seconds / 600))
    events = []

    def series(first, gap, length, start, end):
        t = first * scale
        while t < seconds:
            duration = max(1.5, rng.uniform(*length) * max(scale, 0.4))
            events.append((t, start()))
            events.append((min(t + duration, seconds), end()))
            t += duration + rng.uniform(*gap) * scale

    series(20, (60, 150), (3, 8), lambda: ("storm", STORM_LIMIT), lambda: ("storm_end", RATE_LIMIT))
    series(4, (15, 45), (3, 10),
           lambda: ("latency", {"fixed_ms": round(rng.uniform(*((3000, 8000) if slow_spikes else (150, 1500)))),
                                "jitter_ms": round(rng.uniform(0, 800))}),
           lambda: ("latency_end", BASE_LATENCY))
    t = 0.0
    while t < seconds:
        kind = rng.random()
        if kind < 0.2:
            setting = {"sync_delay_seconds": 0, "deletion_delay_seconds": 0}
        else:
            setting = {"sync_delay_seconds": round(rng.uniform(0.2, MAX_CHAOS_DELAY), 2),
                       "deletion_delay_seconds": round(rng.uniform(0.2, MAX_CHAOS_DELAY), 2)}
            if kind >= 0.5:
                setting["refusals"] = [
                    {"operations": ["create"], "probability": round(rng.uniform(0.02, 0.06), 3)},
                    {"operations": ["update"], "probability": round(rng.uniform(0.01, 0.04), 3)},
                    {"operations": ["delete"], "probability": round(rng.uniform(0.01, 0.03), 3)},
                ]
        events.append((t, ("provider", setting)))
        t += rng.uniform(20, 60) * scale
    events.sort(key=lambda event: event[0])
    return events


class Chaos:
    """Applies the timeline's events as their time comes."""

    def __init__(self, sandbox, timeline, log):
        self.sandbox, self.pending, self.log = sandbox, list(timeline), log
        self.applied = {"storm": 0, "latency": 0, "provider": 0}
        # Longest latency in force (seconds), and until when a request that met an earlier,
        # longer one may still be sleeping in the sandbox.
        self.latency_max = self.latency_seconds(BASE_LATENCY)
        self.sleeping_until = 0.0

    def start(self):
        self.sandbox.admin("rate_limit", RATE_LIMIT)
        self.sandbox.admin("latency", BASE_LATENCY)
        self.sandbox.admin("faults", dict(FAULTS_ALL, **SLOW_BODY_FAULT))
        for route in CREATE_ROUTES:
            self.sandbox.admin("faults", dict(FAULTS_CREATE, route=route, **SLOW_BODY_FAULT))

    def tick(self, elapsed):
        while self.pending and self.pending[0][0] <= elapsed:
            at, (what, setting) = self.pending.pop(0)
            path = {"storm": "rate_limit", "storm_end": "rate_limit", "latency": "latency",
                    "latency_end": "latency", "provider": "provider"}[what]
            self.sandbox.admin(path, setting)
            if what in ("latency", "latency_end"):
                self.sleeping_until = max(self.sleeping_until, time.monotonic() + self.latency_max)
                self.latency_max = self.latency_seconds(setting)
            if what in self.applied:
                self.applied[what] += 1
            self.log(f"[{at:7.1f} s] {what} {json.dumps(setting, sort_keys=True)}")

    @staticmethod
    def latency_seconds(rule):
        return (rule.get("fixed_ms", 0) + rule.get("jitter_ms", 0)) / 1000

    def restart_wait(self):
        """How long until every request a just-killed run left in the sandbox has landed.

        The sandbox, like any server, carries out a request whose client went away: one sleeping
        in a latency spike when its run is SIGKILLed is applied up to the spike's length later.
        A run restarted sooner looks a create up before that create exists, makes it again, and
        the dead run's copy lands after it: a duplicate (docs/soak.md, "Known races")."""
        return max(self.latency_max, self.sleeping_until - time.monotonic(), 0.0) + 0.5

    def lift(self):
        """The end phase: no faults, no latency, the standing rate limit, a site a little late."""
        self.pending = []
        self.sandbox.admin("faults", {})
        for route in CREATE_ROUTES:
            self.sandbox.admin("faults", {"route": route})
        self.sandbox.admin("latency", {})
        self.sandbox.admin("rate_limit", RATE_LIMIT)
        self.sandbox.admin("provider", END_PROVIDER)


# MARK: - Runs

class Runner:
    def __init__(self, binary, sandbox, workdir, log):
        self.binary, self.sandbox, self.workdir, self.log = binary, sandbox, workdir, log
        self.input = os.path.join(workdir, "reservations.csv")
        self.listings = os.path.join(workdir, "listings.csv")
        self.results = os.path.join(workdir, "results.csv")
        self.state = os.path.join(workdir, "soak", "state.sqlite")
        os.makedirs(os.path.dirname(self.state), exist_ok=True)
        shutil.copyfile(LISTINGS, self.listings)
        self.runs_log = os.path.join(workdir, "runs.log")
        self.process = None
        self.count = 0
        self.kills = 0
        self.exit_codes = {}

    def run(self, confirm_timeout, kill_after=None, deadline=None, tick=None, limit=None):
        """One `keybatch provision`; SIGKILLed after `kill_after` s or at `deadline` (monotonic).
        Returns (exit code or None when killed, seconds)."""
        self.count += 1
        environment = dict(os.environ, SEAM_ENDPOINT=self.sandbox.endpoint, SEAM_API_KEY=self.sandbox.values["SEAM_API_KEY"])
        environment.pop("SEAM_WORKSPACE_ID", None)
        command = [self.binary, "provision", self.input, "--listings", self.listings, "--out", self.results,
                   "--state", self.state, "--confirm-timeout", str(confirm_timeout)] + PROVISION_FLAGS
        with open(self.runs_log, "a") as log:
            log.write(f"\n=== run {self.count} at {wall_clock()}: {' '.join(command[1:])}\n")
            log.flush()
            offset = log.tell()
            started = time.monotonic()
            self.process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=log,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
            killed = False
            while self.process.poll() is None:
                now = time.monotonic()
                if tick:
                    tick()
                if (kill_after is not None and now - started >= kill_after) or (deadline is not None and now >= deadline) \
                        or (limit is not None and now - started >= limit):
                    self.process.kill()
                    self.process.wait()
                    killed = True
                    break
                time.sleep(0.05)
            seconds = time.monotonic() - started
            code = None if killed else self.process.returncode
            self.process = None
            log.write(f"=== run {self.count}: {'SIGKILL' if killed else f'exit {code}'} at {wall_clock()} after {seconds:.1f} s\n")
        with open(self.runs_log, errors="replace") as log:
            log.seek(offset)
            self.last_summary = next((line.strip() for line in log if line.startswith("  Seam: ")), "")
        if killed:
            self.kills += 1
        key = "SIGKILL" if killed else str(code)
        self.exit_codes[key] = self.exit_codes.get(key, 0) + 1
        return code, seconds

    def kill_current(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def delete_state(self):
        deleted = []
        for suffix in ["", "-wal", "-shm", "-journal"]:
            path = self.state + suffix
            if os.path.exists(path):
                os.remove(path)
                deleted.append(os.path.basename(path))
        return deleted


def copy_binary(binary, workdir):
    """The soak's own copy of the binary, taken once it has not changed for a second: a rebuild
    during a soak then neither changes the program between runs nor fails a start with ETXTBSY."""
    deadline = time.monotonic() + 120
    while True:
        before = os.stat(binary)
        time.sleep(1)
        after = os.stat(binary)
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) or time.monotonic() > deadline:
            break
    copy = os.path.join(workdir, "keybatch")
    shutil.copy2(binary, copy)
    return copy


def wall_clock():
    """Now in UTC as the sandbox writes times (`created_at`), to line runs up with Seam objects."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def read_results(path):
    with open(path, newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


def status_counts(rows):
    counts = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def is_settled(export, results):
    """Every row of the export (and every --sync row) in a final status, nothing pending or failed."""
    if len(results) < len(export.rows):
        return False
    return all(row["status"] in SETTLED for row in results)


# MARK: - The invariants

def milliseconds(text):
    """Seam's `2027-06-12T13:00:00.000Z` as milliseconds since the epoch."""
    if text is None:
        return None
    moment = datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    fraction = text[19:].rstrip("Z").lstrip(".")
    return int(moment.timestamp()) * 1000 + (int((fraction + "000")[:3]) if fraction else 0)


def is_live_user(user):
    """An ACS user that exists and is not on its way out (a refused deletion leaves it live)."""
    return not any("deletion" in mutation["change"] and not mutation.get("is_refused")
                   for mutation in user.get("pending_mutations", []))


def normal_email(email):
    """An email as KeyBatch keys a guest by it (and as the identity lookup compares it)."""
    return (email or "").strip().lower()


def read_state(path):
    """The state file (schema v3): its reservations by id, guest sites by (email, system), retired users."""
    state = {"reservations": {}, "guest_sites": {}, "retired_users": {}}
    if not os.path.exists(path):
        return state
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        state["reservations"] = {row["reservation_id"]: dict(row) for row in connection.execute("SELECT * FROM reservations")}
        state["guest_sites"] = {(row["guest_email"], row["acs_system_id"]): dict(row)
                                for row in connection.execute("SELECT * FROM guest_sites")}
        state["retired_users"] = {row["acs_user_id"]: dict(row) for row in connection.execute("SELECT * FROM retired_users")}
        return state
    finally:
        connection.close()


def visits_of(stays, listings, join_gap_ms=JOIN_GAP_MS):
    """A guest's live stays on one site as visits, earliest first (Visit.visits in KeyBatch): stays
    in check-in order join the visit before them while they start less than `join_gap_ms` after its
    end (or overlap it); a visit runs from its first check-in to its last check-out and holds the
    union of its listings' access groups."""
    visits = []
    for row in sorted(stays, key=lambda row: (row["check_in"], row["check_out"], row["reservation_id"])):
        groups = listings[row["listing_id"]][1]
        if visits and row["check_in"] < visits[-1]["ends"] + join_gap_ms:
            last = visits[-1]
            last["ends"] = max(last["ends"], row["check_out"])
            last["groups"] |= groups
            last["reservations"].append(row["reservation_id"])
        else:
            visits.append({"starts": row["check_in"], "ends": row["check_out"], "groups": set(groups),
                           "reservations": [row["reservation_id"]]})
    return visits


def check(export, listings, results, state, workspace, orphan_cutoff, now_ms=None):
    """The four invariants. Returns {name: [problem, …]} plus the expected orphans.

    Every run is `--sync`, the final ones too, so a guest's live stays on a site are the rows of
    the last export that are confirmed and not over; rows the export no longer lists have ended.

    `orphan_cutoff` is the sandbox's object sequence number when the state file was deleted: an
    ACS user made before it, of a guest site (identity email + ACS system) neither the last export
    nor the new state file knows, lost every stay while only the deleted file knew them. No run can
    find it again (--sync revokes what the state knows; the export lists nothing of that guest on
    that site), so it is an expected leftover of losing the state file, reported but not counted."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    users = workspace.get("acs_users", {})
    credentials = workspace.get("credentials", {})
    identities = workspace.get("user_identities", {})
    live_users = {uid: user for uid, user in users.items() if is_live_user(user)}
    live_credentials = {cid: credential for cid, credential in credentials.items()
                        if credential.get("deletion_due_at") is None and credential["acs_user_id"] in live_users}
    in_export = {row["reservation_id"]: row for row in export.rows}
    records, site_records, retired = state["reservations"], state["guest_sites"], state["retired_users"]
    problems = {"duplicates": [], "missing": [], "unknown": [], "contradictions": [], "unsettled_state": []}

    def user_site(user):
        """The guest site an ACS user is of: its identity's email (its own without one) and its system."""
        identity = identities.get(user.get("user_identity_id") or "")
        email = identity.get("email_address") if identity else user.get("email_address")
        return normal_email(email), user["acs_system_id"]

    # The guests' sites of the last export, with their live stays and visits.
    export_sites = {}
    for row in export.rows:
        site = (normal_email(row["guest_email"]), listings[row["listing_id"]][0])
        export_sites.setdefault(site, []).append(row)
    live_stays = {site: [row for row in rows if row["status"] == "confirmed" and row["check_out"] > now_ms]
                  for site, rows in export_sites.items()}
    visits = {site: visits_of(stays, listings) for site, stays in live_stays.items() if stays}
    state_sites = set(site_records) | {(record["guest_email"], record["acs_system_id"]) for record in records.values()}

    # Expected orphans of the deleted state file.
    orphans = set()
    if orphan_cutoff is not None:
        for uid, user in live_users.items():
            site = user_site(user)
            if user["sequence"] < orphan_cutoff and site not in export_sites and site not in state_sites:
                orphans.add(uid)

    # 1. Duplicates.
    by_email = {}
    for identity in identities.values():
        email = normal_email(identity.get("email_address"))
        if email:
            by_email.setdefault(email, []).append(identity["user_identity_id"])
    for email, ids in sorted(by_email.items()):
        if len(ids) > 1:
            problems["duplicates"] += [f"email {email}: {len(ids)} user identities {sorted(ids)}"] * (len(ids) - 1)
    by_identity_site = {}
    for uid, user in live_users.items():
        by_identity_site.setdefault((user.get("user_identity_id") or "-", user["acs_system_id"]), []).append(uid)
    for (identity_id, system), ids in sorted(by_identity_site.items()):
        if len(ids) > 1:
            email = user_site(users[ids[0]])[0]
            problems["duplicates"] += [f"identity {identity_id} ({email}) on {system}: {len(ids)} live ACS users "
                                       f"{sorted(ids)}"] * (len(ids) - 1)
    by_user = {}
    for cid, credential in live_credentials.items():
        by_user.setdefault(credential["acs_user_id"], []).append(cid)
    for uid, ids in sorted(by_user.items()):
        if len(ids) > 1:
            problems["duplicates"] += [f"ACS user {uid} ({users[uid]['full_name']}): {len(ids)} live keys {sorted(ids)}"] * (len(ids) - 1)
    live_by_site = {}
    for uid, user in live_users.items():
        live_by_site.setdefault(user_site(user), []).append(uid)

    # 2. Every row of the last export exactly once in the last results, and nothing else.
    expected = {str(line): row["reservation_id"] for line, row in enumerate(export.rows, start=2)}
    seen_lines = {}
    sync_rows = {}
    for result in results:
        if result["line"] == "":
            if result["reservation_id"] in in_export or result["reservation_id"] in sync_rows:
                problems["missing"].append(f"extra --sync row for {result['reservation_id']}")
            sync_rows[result["reservation_id"]] = result
        elif expected.get(result["line"]) != result["reservation_id"] or result["line"] in seen_lines:
            problems["missing"].append(f"extra row: line {result['line']} {result['reservation_id']}")
        else:
            seen_lines[result["line"]] = result
    for line, reservation in expected.items():
        if line not in seen_lines:
            problems["missing"].append(f"line {line} {reservation} has no results row")

    # 3. Live Seam objects the final state file does not know (its guests' users, or users still to retire).
    known_users = {record["acs_user_id"] for record in site_records.values() if record["acs_user_id"]} | set(retired)
    known_credentials = {record["acs_credential_id"] for record in site_records.values() if record["acs_credential_id"]} | \
        {record["acs_credential_id"] for record in retired.values() if record["acs_credential_id"]}
    for uid, user in sorted(live_users.items()):
        if uid not in known_users and uid not in orphans:
            problems["unknown"].append(f"ACS user {uid} ({user['full_name']}, {'/'.join(user_site(user))}, sequence {user['sequence']})")
    for cid, credential in sorted(live_credentials.items()):
        owner = credential["acs_user_id"]
        if cid not in known_credentials and owner not in orphans and owner not in retired:
            problems["unknown"].append(f"key {cid} of ACS user {owner} ({users[owner]['full_name']})")

    # 4. The keys match the last export: per guest site, one user holding the current visit.
    holders = {}  # guest site -> (ACS user id, its key's id, identity id, its live keys' ids) in Seam
    for site, site_visits in sorted(visits.items()):
        email, system = site
        current, later = site_visits[0], site_visits[1:]
        label = f"{email} on {system}"
        # Read off the live stays in check-in order; the first one's name is KeyBatch's too, but
        # two guests of the data may share an email, so any of the site's names will do.
        names = {row["guest_name"].strip() for row in export_sites[site] if row["guest_name"].strip()} or {email}
        ids = sorted(uid for uid in live_by_site.get(site, []) if uid not in orphans)
        if len(ids) != 1:
            problems["contradictions"].append(f"{label}: {len(current['reservations']) + sum(len(v['reservations']) for v in later)} "
                                              f"live stays but {len(ids)} live ACS users {ids}")
            if not ids:
                continue
        uid = ids[0]
        user = users[uid]
        keys = sorted(by_user.get(uid, []))
        cid = keys[0] if len(keys) == 1 else None
        holders[site] = (uid, cid, user.get("user_identity_id"), keys)
        if user["full_name"] not in names:
            problems["contradictions"].append(f"{label}: ACS user {uid} is named {user['full_name']!r}, not {sorted(names)}")
        schedule = user.get("access_schedule") or {}
        if (milliseconds(schedule.get("starts_at")), milliseconds(schedule.get("ends_at"))) != (current["starts"], current["ends"]):
            problems["contradictions"].append(f"{label}: ACS user {uid} schedule {schedule.get('starts_at')}..{schedule.get('ends_at')} "
                                              f"but the current visit is {iso_time(current['starts'], 0)}..{iso_time(current['ends'], 0)} "
                                              f"({', '.join(current['reservations'])})")
        if set(user.get("access_group_ids", [])) != current["groups"]:
            problems["contradictions"].append(f"{label}: ACS user {uid} access groups {sorted(user.get('access_group_ids', []))} "
                                              f"but the current visit's listings have {sorted(current['groups'])}")
        if user.get("errors") or user.get("pending_mutations") or not user.get("on_site_since"):
            problems["contradictions"].append(f"{label}: ACS user {uid} not settled on the site: errors "
                                              f"{[e.get('code') for e in user.get('errors', [])]}, "
                                              f"pending {[list(m['change']) for m in user.get('pending_mutations', [])]}")
        if cid is None:
            problems["contradictions"].append(f"{label}: ACS user {uid} has {len(keys)} live keys {keys}")
        else:
            credential = credentials[cid]
            if credential["access_method"] != "mobile_key" or not credential.get("is_multi_phone_sync_credential") \
                    or not credential.get("synced_with_provider_at"):
                problems["contradictions"].append(f"{label}: key {cid} is not an issued multi-phone mobile key of {uid}")
        roles = {reservation: "current" for reservation in current["reservations"]}
        roles.update({reservation: "deferred" for visit in later for reservation in visit["reservations"]})
        for line, result in sorted(seen_lines.items(), key=lambda item: int(item[0])):
            role = roles.get(result["reservation_id"])
            if role is None:
                continue
            if role == "current" and result["status"] not in ("provisioned", "unchanged", "updated") \
                    or role == "deferred" and result["status"] != "deferred":
                if result["status"] in SETTLED:
                    # Pending, failed and not_started are the convergence's business.
                    problems["contradictions"].append(f"results line {line}: {result['reservation_id']} is in "
                                                      f"{'the current' if role == 'current' else 'a later'} visit of {label} "
                                                      f"but {result['status']} in the results")
                continue
            said = (result.get("acs_user_id"), result.get("acs_credential_id"), result.get("user_identity_id"))
            # With two live keys (a duplicate, counted above) either one is the user's.
            if said[0] != uid or said[1] not in keys or said[2] != user.get("user_identity_id"):
                problems["contradictions"].append(f"results line {line}: {result['reservation_id']} {result['status']} with user/key/identity "
                                                  f"{'/'.join(value or '-' for value in said)}, Seam's are "
                                                  f"{uid}/{cid or '-'}/{user.get('user_identity_id') or '-'}")

    # Guest sites with no live stay: no live ACS user (the last stay's rows revoked or unchanged).
    for site, ids in sorted(live_by_site.items()):
        if site not in visits:
            live = sorted(uid for uid in ids if uid not in orphans)
            if live:
                reservations = sorted(row["reservation_id"] for row in export_sites.get(site, [])) or \
                    sorted(reservation for reservation, record in records.items() if (record["guest_email"], record["acs_system_id"]) == site)
                problems["contradictions"].append(f"{site[0]} on {site[1]}: no live stay ({', '.join(reservations[:5]) or 'no reservation known'}) "
                                                  f"but Seam has live ACS user(s) {live}")
    for line, result in sorted(seen_lines.items(), key=lambda item: int(item[0])):
        row = in_export[result["reservation_id"]]
        if row["status"] != "confirmed" and result["status"] in SETTLED and result["status"] not in ("revoked", "unchanged"):
            problems["contradictions"].append(f"results line {line}: {row['reservation_id']} is {row['status']} in the export "
                                              f"but {result['status']} in the results")
    for reservation, result in sorted(sync_rows.items()):
        if result["status"] in SETTLED and result["status"] not in ("revoked", "unchanged"):
            problems["contradictions"].append(f"results --sync row: {reservation} is no longer in the export but {result['status']}")

    # The final state file: what it says of every stay and guest site, against the export and Seam.
    for reservation, record in sorted(records.items()):
        site = (record["guest_email"], record["acs_system_id"])
        if record["status"] in ("partial", "ending"):
            # Work not finished, or a cancellation Seam has not confirmed yet.
            problems["unsettled_state"].append(f"{reservation}: status {record['status']}, last error {record['last_error']}")
            continue
        row = in_export.get(reservation)
        site_visits = visits.get(site, [])
        if row is not None and row["status"] == "confirmed" and site_visits:
            want = "provisioned" if reservation in site_visits[0]["reservations"] else "deferred"
        else:
            want = "revoked"
        if record["status"] != want:
            why = "no longer listed" if row is None else "cancelled" if row["status"] != "confirmed" else \
                "in the current visit" if want == "provisioned" else "in a later visit"
            problems["contradictions"].append(f"state: {reservation} {record['status']} but it is {why}, so {want}")
    for site, record in sorted(site_records.items()):
        label = f"state: {site[0]} on {site[1]}"
        if record["awaiting"] or record["refusal"] or record["pending_create"]:
            problems["unsettled_state"].append(f"{label}: awaiting {record['awaiting']}, refusal {record['refusal']}, "
                                               f"pending create {record['pending_create']}")
            continue
        if site not in visits:
            if record["acs_user_id"] or record["acs_credential_id"]:
                problems["contradictions"].append(f"{label} holds ACS user {record['acs_user_id']} (key {record['acs_credential_id']}) "
                                                  f"but the guest has no live stay there")
            continue
        current = visits[site][0]
        held = holders.get(site)
        if held is not None and (record["acs_user_id"] != held[0] or record["acs_credential_id"] not in held[3]
                                 or record["user_identity_id"] != held[2]):
            problems["contradictions"].append(f"{label} says user/key/identity {record['acs_user_id']}/{record['acs_credential_id']}/"
                                              f"{record['user_identity_id']}, Seam's are {held[0]}/{'|'.join(held[3]) or '-'}/{held[2] or '-'}")
        if (record["schedule_starts_ms"], record["schedule_ends_ms"]) != (current["starts"], current["ends"]):
            problems["contradictions"].append(f"{label} schedule {record['schedule_starts_ms']}..{record['schedule_ends_ms']} but the "
                                              f"current visit is {current['starts']}..{current['ends']}")
        if set(filter(None, (record["access_group_ids"] or "").split(";"))) != current["groups"]:
            problems["contradictions"].append(f"{label} access groups {record['access_group_ids']} but the current visit's listings have "
                                              f"{';'.join(sorted(current['groups']))}")
    for site in sorted(set(visits) - set(site_records)):
        problems["contradictions"].append(f"state: no guest-site record for {site[0]} on {site[1]}, which has live stays")
    for uid, record in sorted(retired.items()):
        problems["unsettled_state"].append(f"retired ACS user {uid} of {record['guest_email']} on {record['acs_system_id']} still listed")
    return problems, orphans


# MARK: - The soak

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="the keybatch binary")
    parser.add_argument("--minutes", type=float, default=20, help="length of the chaos phase (default 20)")
    parser.add_argument("--rows", type=int, help="reservations (default 5000; 200 when --minutes is 1 or less)")
    parser.add_argument("--seed", type=int, help="replays the soak's own choices (default: a new one, printed)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder even when the soak passes")
    parser.add_argument("--slow-spikes", action="store_true",
                        help=f"latency spikes of 3-8.8 s, past keybatch's --request-timeout {REQUEST_TIMEOUT} "
                             "(default 0.15-2.3 s, below it)")
    parser.add_argument("--identity-link-rule", choices=IDENTITY_LINK_RULES,
                        help="the sandbox's answer to a second ACS user for one identity on one system "
                             "(default: drawn from the seed)")
    parser.add_argument("--restart-delay", type=float, metavar="S",
                        help="seconds between a SIGKILL and the restart (default: until the killed run's requests "
                             "have landed in the sandbox, i.e. the latency in force plus 0.5 s; 0 restarts at once)")
    arguments = parser.parse_args()
    if arguments.minutes <= 0:
        parser.error("--minutes must be above 0")
    if not os.access(arguments.binary, os.X_OK):
        parser.error(f"{arguments.binary} is not an executable keybatch binary (make build)")
    # 5,000 rows (about 1,500 guest sites, one ACS user each) need 6,000-10,000 Seam calls from
    # scratch: under the chaos keybatch gets 15-40 calls/s (measured on the 2-core development
    # machine), so a 1-minute soak of 5,000 rows would spend its chaos on the first run, then
    # converge with no fault: a slow CI step that tests little. 200 rows (about 70 guest sites) fit a whole run
    # inside a few seconds, so the chaos also sees complete runs (--sync revocations included),
    # and converge in seconds.
    rows = arguments.rows or (5000 if arguments.minutes > 1 else 200)
    if rows < 10:
        parser.error("--rows must be at least 10")
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().randrange(1, 2**31)
    chaos_seconds = arguments.minutes * 60
    binary = os.path.abspath(arguments.binary)

    def say(text):
        print(text, flush=True)

    replay = f"--seed {seed} --rows {rows} --minutes {arguments.minutes:g}" + \
        ("" if arguments.restart_delay is None else f" --restart-delay {arguments.restart_delay:g}") + \
        (" --slow-spikes" if arguments.slow_spikes else "") + \
        (f" --identity-link-rule {arguments.identity_link_rule}" if arguments.identity_link_rule else "")
    link_rule = arguments.identity_link_rule or random.Random(f"{seed}:identity-link-rule").choice(IDENTITY_LINK_RULES)
    say(f"soak: seed {seed} (replay: {replay}), {rows} reservations, "
        f"{chaos_seconds:.0f} s of chaos, identity link rule {link_rule}")
    workdir = tempfile.mkdtemp(prefix="keybatch-soak-")
    say(f"soak: working in {workdir}")
    sandbox = runner = None
    passed = False

    def on_term(signum, frame):
        raise KeyboardInterrupt(signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    try:
        binary = copy_binary(binary, workdir)
        listings = read_listings()
        export = Export(random.Random(f"{seed}:data"), rows, listings)
        run_rng = random.Random(f"{seed}:runs")
        timeline = build_timeline(random.Random(f"{seed}:timeline"), chaos_seconds, arguments.slow_spikes)
        sandbox = Sandbox(binary, workdir)
        chaos_log = open(os.path.join(workdir, "chaos.log"), "w")
        chaos = Chaos(sandbox, timeline, lambda text: (chaos_log.write(text + "\n"), chaos_log.flush()))
        runner = Runner(binary, sandbox, workdir, say)
        export.write(runner.input)
        shutil.copyfile(runner.input, os.path.join(workdir, "reservations.v0.csv"))

        # --- Chaos.
        kill_window = min(45.0, max(4.0, chaos_seconds / 8))
        answer = sandbox.admin("identity_link_rule", {"identity_link_rule": link_rule})
        if answer.get("identity_link_rule") != link_rule:
            raise SetupError(f"the sandbox did not take identity_link_rule {link_rule}: {answer}")
        chaos.start()
        chaos_start = time.monotonic()
        chaos_end = chaos_start + chaos_seconds
        tick = lambda: chaos.tick(time.monotonic() - chaos_start)  # noqa: E731
        changes = {"moved": 0, "cancelled": 0, "reconfirmed": 0, "removed": 0}
        export_versions = 0
        orphan_cutoff = None
        state_deleted_at = None
        changed_in_half = [False, False]
        # Milestones, as fractions of the chaos: the export changes at least once before the state
        # file goes and once after, however few runs a short or slow soak has; a run still going at
        # a milestone that is still due is killed there.
        def next_milestone():
            if not changed_in_half[0] and state_deleted_at is None:
                return 0.25, "change"
            if state_deleted_at is None:
                return 0.5, "delete"
            if not changed_in_half[1]:
                return 0.75, "change"
            return None, None

        while time.monotonic() < chaos_end:
            tick()
            # Decisions drawn in a fixed order per run, so a seed replays the same script.
            kills = run_rng.random() < 0.6
            kill_after = run_rng.uniform(0.5, kill_window)
            mutates = run_rng.random() < 0.4
            elapsed = time.monotonic() - chaos_start
            half = 0 if state_deleted_at is None else 1
            if state_deleted_at is None and elapsed >= chaos_seconds / 2:
                workspace = sandbox.workspace()
                orphan_cutoff = workspace["next_sequence"]
                with open(os.path.join(workdir, "sandbox-state-at-state-deletion.json"), "w") as dump:
                    json.dump(workspace, dump, indent=1, sort_keys=True)
                deleted = runner.delete_state()
                state_deleted_at = elapsed
                say(f"[{elapsed:6.1f} s] deleted the state file ({', '.join(deleted) or 'nothing there yet'})")
            elif runner.count > 0 and (mutates or next_milestone() == (0.25 + 0.5 * half, "change")
                                       and elapsed >= chaos_seconds * (0.25 + 0.5 * half)):
                changed_in_half[half] = True
                made = export.mutate()
                for name, value in made.items():
                    changes[name] += value
                export_versions += 1
                export.write(runner.input)
                shutil.copyfile(runner.input, os.path.join(workdir, f"reservations.v{export_versions}.csv"))
                say(f"[{elapsed:6.1f} s] export v{export_versions}: {made['moved']} moved, {made['cancelled']} cancelled, "
                    f"{made['reconfirmed']} re-confirmed, {made['removed']} removed ({len(export.rows)} rows)")
            at, _ = next_milestone()
            deadline = chaos_end if at is None else min(chaos_end, chaos_start + chaos_seconds * at)
            code, seconds = runner.run(CHAOS_CONFIRM_TIMEOUT, kill_after=kill_after if kills else None,
                                       deadline=deadline, tick=tick)
            if code is None:
                wait = chaos.restart_wait() if arguments.restart_delay is None else arguments.restart_delay
                until = time.monotonic() + wait
                while time.monotonic() < until:
                    tick()
                    time.sleep(0.05)
            outcome = "SIGKILL" if code is None else f"exit {code}"
            summary = ""
            if code is not None and os.path.exists(runner.results):
                summary = " " + json.dumps(status_counts(read_results(runner.results)), sort_keys=True)
            say(f"[{time.monotonic() - chaos_start:6.1f} s] run {runner.count}: {outcome} after {seconds:.1f} s{summary} {runner.last_summary}")
        chaos_runs, chaos_kills = runner.count, runner.kills
        if state_deleted_at is None:
            raise SetupError("the chaos phase ended before the state file could be deleted")

        # --- Convergence: no faults; runs until one ends settled.
        chaos.lift()
        lifted = time.monotonic()
        say(f"[{lifted - chaos_start:6.1f} s] chaos over: faults, latency and refusals lifted; running until settled")
        converged_after = None
        end_runs = 0
        end_deadline = lifted + max(600.0, rows * 0.3)
        while time.monotonic() < end_deadline and end_runs < 12:
            end_runs += 1
            code, seconds = runner.run(END_CONFIRM_TIMEOUT, limit=end_deadline - time.monotonic())
            results = read_results(runner.results) if code is not None and os.path.exists(runner.results) else []
            say(f"[{time.monotonic() - chaos_start:6.1f} s] run {runner.count}: {'SIGKILL (time cap)' if code is None else f'exit {code}'} "
                f"after {seconds:.1f} s {json.dumps(status_counts(results), sort_keys=True)} {runner.last_summary}")
            if code == 0 and is_settled(export, results):
                converged_after = time.monotonic() - lifted
                break

        # --- Invariants.
        time.sleep(MAX_CHAOS_DELAY + 0.5)  # anything the chaos phase's site still had in flight settles
        workspace = sandbox.workspace()
        counters = sandbox.admin("counters")["counters"]
        with open(os.path.join(workdir, "sandbox-state.json"), "w") as dump:
            json.dump({"workspace": workspace, "counters": counters}, dump, indent=1, sort_keys=True)
        results = read_results(runner.results) if os.path.exists(runner.results) else []
        state = read_state(runner.state)
        problems, orphans = check(export, listings, results, state, workspace, orphan_cutoff)

        faults = counters.get("faults_injected", {})
        requests = sum(sum(by_status.values()) for by_status in counters.get("requests", {}).values())
        invariants = [("duplicates", len(problems["duplicates"])),
                      ("rows missing from results", len(problems["missing"])),
                      ("Seam objects the state does not know", len(problems["unknown"])),
                      ("statuses Seam contradicts", len(problems["contradictions"]))]
        passed = converged_after is not None and all(count == 0 for _, count in invariants)

        say("")
        table = [
            ("seed", str(seed), ""),
            ("chaos", f"{chaos_seconds:.0f} s", ""),
            ("runs", f"{runner.count} ({chaos_runs} in chaos, {end_runs} to converge)", ""),
            ("kills (SIGKILL)", f"{chaos_kills}, each restarted after " + ("the killed run's requests landed (latency + 0.5 s)"
                                  if arguments.restart_delay is None else f"{arguments.restart_delay:g} s"), ""),
            ("exit codes", ", ".join(f"{name} x{count}" for name, count in sorted(runner.exit_codes.items())), ""),
            ("state file deleted", f"once, at {state_deleted_at:.0f} s", ""),
            ("identity link rule", link_rule + (" (Seam's documented rule)" if link_rule == "refuse" else ""), ""),
            ("export changes", f"{export_versions} versions: {changes['moved']} moved, {changes['cancelled']} cancelled, "
                               f"{changes['reconfirmed']} re-confirmed, {changes['removed']} removed", ""),
            ("chaos settings", f"{chaos.applied['storm']} 429 storms, {chaos.applied['latency']} latency spikes"
                               f"{' (slow)' if arguments.slow_spikes else ''}, "
                               f"{chaos.applied['provider']} site phases", ""),
            ("faults injected", f"{sum(faults.values())} (" + ", ".join(f"{kind} {count}" for kind, count in sorted(faults.items())) + ")", ""),
            ("slow-body faults", ", ".join(f"{name} {value}" for name, value in sorted(SLOW_BODY_FAULT.items()))
                                 or "off", ""),
            ("429s", str(counters.get("rate_limited", 0)), ""),
            ("Seam requests", str(requests), ""),
            ("rows", f"{len(export.rows)} in the last export ({rows} at first, {len(export.removed)} removed), "
                     f"{len(results)} results rows", ""),
        ] + [(name, str(count), "0") for name, count in invariants] + [
            ("time to convergence", f"{converged_after:.1f} s" if converged_after is not None else "not reached", ""),
            ("expected orphans of the deleted state file", f"{len(orphans)} ACS users (not counted)", ""),
            ("state records not settled", str(len(problems["unsettled_state"])), ""),
        ]
        width = max(len(name) for name, _, _ in table)
        value_width = max(len(value) for _, value, _ in table)
        say(f"| {'figure'.ljust(width)} | {'value'.ljust(value_width)} | goal |")
        say(f"| {'-' * width} | {'-' * value_width} | ---- |")
        for name, value, goal in table:
            say(f"| {name.ljust(width)} | {value.ljust(value_width)} | {goal.ljust(4)} |")
        for name, key in [("duplicates", "duplicates"), ("rows missing from results", "missing"),
                          ("Seam objects the state does not know", "unknown"), ("statuses Seam contradicts", "contradictions"),
                          ("state records not settled", "unsettled_state")]:
            if problems[key]:
                say(f"\n{name} (first 20 of {len(problems[key])}):")
                for line in problems[key][:20]:
                    say("  " + line)
        say("")
        if passed:
            say("soak: PASSED")
        else:
            say(f"soak: FAILED ({'no convergence' if converged_after is None else 'invariants'}); "
                f"replay with {replay}; files kept in {workdir}")
        return 0 if passed else 1
    except SetupError as error:
        print(f"soak: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as interruption:
        signum = interruption.args[0] if interruption.args else signal.SIGINT
        print(f"soak: interrupted ({signal.Signals(signum).name}); files kept in {workdir}", file=sys.stderr)
        return 128 + signum
    finally:
        if runner is not None:
            runner.kill_current()
        if sandbox is not None:
            sandbox.stop()
        if passed and not arguments.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
