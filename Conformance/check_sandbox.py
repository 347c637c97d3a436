#!/usr/bin/env python3
"""Conformance check: does the sandbox answer exactly as Seam's OpenAPI spec says?

Starts `keybatch sandbox --port 0`, drives every endpoint KeyBatch uses (successes, in POST and
GET form, and each error kind), then, through the /_sandbox controls, every asynchronous state
(pending mutations, refusals, being_deleted, ACS system errors and warnings, slot limits), and
validates every response body against the vendored spec:
  - 200 bodies against the spec's response schema for that path, method and status, in strict mode
    (objects may not carry properties the spec does not declare), with OpenAPI 3.0 formats checked
    (uuid, date-time, email, uri) and every date-time in UTC with a `Z` suffix;
  - error bodies against Seam's error envelope (Conformance/seam-error.schema.json), with the
    expected status and error type;
  - a `seam-request-id` header on every answer;
  - every path and method the spec declares (for the endpoints the sandbox serves) is exercised.
Prints one line per violation and a summary; exits 1 on any violation.
"""
import argparse
import copy
import datetime
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from jsonschema import Draft7Validator, FormatChecker
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from sandbox_process import start_sandbox

HERE = os.path.dirname(os.path.abspath(__file__))
SERVED_PREFIXES = ("/user_identities/", "/acs/")
SKIPPED_PATHS = set()


def strict(schema):
    """Copy of a schema where every object with declared properties refuses undeclared ones.

    It also drops `discriminator` keywords that have no `mapping`: Seam's spec puts them on inline
    `oneOf` lists, where OpenAPI's implicit mapping (value = component schema name) points nowhere,
    so a validator that honours them rejects every warning/error object, real Seam's included. The
    `oneOf` itself stays, and each variant pins its code with a one-value enum, so exactly-one-match
    still checks the same thing.
    """
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "discriminator" in node and "mapping" not in node["discriminator"]:
                del node["discriminator"]
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema


def make_format_checker():
    checker = FormatChecker()
    checker.checkers = dict(oas30_format_checker.checkers)
    date_time_check, _ = oas30_format_checker.checkers["date-time"]

    @checker.checks("date-time", raises=())
    def zulu_date_time(value):
        if not isinstance(value, str):
            return True
        return date_time_check(value) and value.endswith("Z")

    @checker.checks("uri", raises=())
    def uri(value):
        if not isinstance(value, str):
            return True
        parts = urllib.parse.urlparse(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    return checker


class Checker:
    def __init__(self, spec, error_schema):
        self.spec = spec
        self.components = strict(spec["components"])
        self.format_checker = make_format_checker()
        self.error_validator = Draft7Validator(error_schema)
        self.passed = 0
        self.failures = []
        self.covered = set()

    def response_validator(self, path, method, status):
        operation = self.spec["paths"].get(path, {}).get(method)
        if operation is None:
            return None, f"spec has no {method.upper()} {path}"
        response = operation["responses"].get(str(status))
        if response is None:
            return None, f"spec declares no {status} for {method.upper()} {path}"
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return None, None
        root = strict(schema)
        root["components"] = self.components
        return OAS30Validator(root, format_checker=self.format_checker), None

    def check(self, label, method, path, status, headers, body, expect_status, expect_error=None):
        problems = []
        if not headers.get("seam-request-id"):
            problems.append("missing seam-request-id header")
        if status != expect_status:
            problems.append(f"status {status}, expected {expect_status}")
        if body is None:
            problems.append("body is not JSON")
        elif status == 200:
            validator, why = self.response_validator(path, method, 200)
            if why:
                problems.append(why)
            elif validator is not None:
                for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path)):
                    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
                    problems.append(f"schema: at {where}: {error.message[:200]}")
            if body.get("ok") is not True:
                problems.append("200 without ok: true")
            if not problems:
                self.covered.add((method, path))
        else:
            for error in self.error_validator.iter_errors(body):
                where = "/".join(str(p) for p in error.absolute_path) or "(root)"
                problems.append(f"error envelope: at {where}: {error.message[:200]}")
            error_type = (body.get("error") or {}).get("type") if isinstance(body, dict) else None
            if expect_error and error_type != expect_error:
                problems.append(f"error type {error_type!r}, expected {expect_error!r}")
            if expect_error == "invalid_input" and not (body.get("error") or {}).get("validation_errors"):
                problems.append("invalid_input without validation_errors")
        if problems:
            self.failures.append(f"FAIL {label}: {method.upper()} {path} -> {status}: " + "; ".join(problems))
        else:
            self.passed += 1
        return body


class Client:
    def __init__(self, endpoint, api_key, checker):
        self.endpoint = endpoint
        self.api_key = api_key
        self.checker = checker

    def call(self, label, path, body=None, method="post", query=None, key="default", expect=200, error=None, headers=None):
        url = self.endpoint + path
        if method == "get" and query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        data = json.dumps(body if body is not None else {}).encode() if method == "post" else None
        request = urllib.request.Request(url, data=data, method=method.upper())
        request.add_header("Content-Type", "application/json")
        bearer = self.api_key if key == "default" else key
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw, response_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as failure:
            status, raw, response_headers = failure.code, failure.read(), failure.headers
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        return self.checker.check(label, method, path, status, response_headers, parsed, expect, error)


class Admin:
    """The sandbox's /_sandbox controls (not part of Seam's spec; only their status is checked)."""

    def __init__(self, endpoint, token, checker):
        self.endpoint = endpoint
        self.token = token
        self.checker = checker

    def post(self, path, body):
        request = urllib.request.Request(self.endpoint + path, data=json.dumps(body).encode(), method="POST")
        request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as failure:
            self.checker.failures.append(f"FAIL admin {path}: {failure.code} {failure.read()[:200]!r}")
            return {}


def iso(delta_seconds):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def scenario(c):
    building_a = "11111111-1111-1111-1111-111111111111"
    building_b = "7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97"
    group_a1 = "55555555-5555-5555-5555-555555555555"
    group_a2 = "66666666-6666-6666-6666-666666666666"
    unknown = "00000000-0000-4000-8000-000000000000"

    # Systems and access groups (seeded).
    c.call("systems list", "/acs/systems/list")
    c.call("systems list GET", "/acs/systems/list", method="get", query={"search": "Building"})
    c.call("systems get", "/acs/systems/get", {"acs_system_id": building_a})
    c.call("systems get GET", "/acs/systems/get", method="get", query={"acs_system_id": building_b})
    c.call("groups list", "/acs/access_groups/list", {"acs_system_id": building_a})
    c.call("groups list GET", "/acs/access_groups/list", method="get", query={"acs_system_id": building_b})
    c.call("groups get", "/acs/access_groups/get", {"acs_access_group_id": group_a1})
    c.call("groups get GET", "/acs/access_groups/get", method="get", query={"acs_access_group_id": group_a2})

    # User identities.
    jane = c.call("identity create", "/user_identities/create",
                  {"email_address": "jane@example.com", "user_identity_key": "jane@example.com", "full_name": "Jane Doe"})
    jane_id = jane["user_identity"]["user_identity_id"]
    phone_only = c.call("identity create (phone only)", "/user_identities/create", {"phone_number": "+15555550100"})
    c.call("identity create (empty)", "/user_identities/create", {})
    c.call("identity get by id", "/user_identities/get", {"user_identity_id": jane_id})
    c.call("identity get by key", "/user_identities/get", {"user_identity_key": "jane@example.com"})
    c.call("identity get GET", "/user_identities/get", method="get", query={"user_identity_id": jane_id})
    first_page = c.call("identity list page 1", "/user_identities/list", {"limit": 1})
    cursor = first_page["pagination"]["next_page_cursor"]
    c.call("identity list page 2", "/user_identities/list", {"limit": 1, "page_cursor": cursor})
    c.call("identity list GET search", "/user_identities/list", method="get", query={"search": "jane"})
    c.call("identity update", "/user_identities/update", {"user_identity_id": jane_id, "phone_number": "+15555550199"})

    # ACS users.
    future = c.call("acs user create (future schedule, groups)", "/acs/users/create", {
        "acs_system_id": building_a, "full_name": "3333122-433", "user_identity_id": jane_id,
        "access_schedule": {"starts_at": iso(86400), "ends_at": iso(4 * 86400)},
        "acs_access_group_ids": [group_a1],
    })
    user_id = future["acs_user"]["acs_user_id"]
    if not future["acs_user"].get("warnings"):
        c.checker.failures.append("FAIL semantics: future Salto KS schedule without salto_ks_user_not_subscribed warning")
    bare = c.call("acs user create (no identity)", "/acs/users/create",
                  {"acs_system_id": building_b, "full_name": "walk-in", "email_address": "walkin@example.com"})
    bare_id = bare["acs_user"]["acs_user_id"]
    c.call("acs user get", "/acs/users/get", {"acs_user_id": user_id})
    c.call("acs user get by identity+system", "/acs/users/get", {"user_identity_id": jane_id, "acs_system_id": building_a})
    c.call("acs user get by identity+system GET", "/acs/users/get", method="get",
           query={"user_identity_id": jane_id, "acs_system_id": building_a})
    c.call("acs user update by identity+system", "/acs/users/update",
           {"user_identity_id": jane_id, "acs_system_id": building_a, "full_name": "Jane Doe (A)"})
    c.call("second acs user for identity+system", "/acs/users/create",
           {"acs_system_id": building_a, "full_name": "3333122-434", "user_identity_id": jane_id},
           expect=400, error="user_identity_already_has_acs_user")
    c.call("acs user get by id and pair", "/acs/users/get",
           {"acs_user_id": user_id, "user_identity_id": jane_id, "acs_system_id": building_a}, expect=400, error="invalid_input")
    c.call("acs user get by half a pair", "/acs/users/get", {"user_identity_id": jane_id}, expect=400, error="invalid_input")
    c.call("acs user get by pair naming none", "/acs/users/get", {"user_identity_id": jane_id, "acs_system_id": building_b},
           expect=404, error="acs_user_not_found")
    c.call("array over the cap", "/acs/users/create",
           {"acs_system_id": building_a, "full_name": "x", "acs_access_group_ids": [group_a1] * 1001},
           expect=400, error="invalid_input")
    c.call("acs user get GET", "/acs/users/get", method="get", query={"acs_user_id": bare_id})
    c.call("acs user list page", "/acs/users/list", {"limit": 1})
    c.call("acs user list GET filtered", "/acs/users/list", method="get",
           query={"acs_system_id": building_a, "user_identity_email_address": "jane@example.com"})
    c.call("acs user update", "/acs/users/update",
           {"acs_user_id": user_id, "access_schedule": {"starts_at": iso(3600), "ends_at": iso(7200)}})
    c.call("add to group", "/acs/users/add_to_access_group", {"acs_user_id": user_id, "acs_access_group_id": group_a2})
    c.call("add to group again", "/acs/users/add_to_access_group", {"acs_user_id": user_id, "acs_access_group_id": group_a2})
    c.call("groups of user", "/acs/access_groups/list", {"acs_user_id": user_id})
    c.call("group users", "/acs/access_groups/list_users", {"acs_access_group_id": group_a2})
    c.call("group users GET", "/acs/access_groups/list_users", method="get", query={"acs_access_group_id": group_a1})
    c.call("remove from group", "/acs/users/remove_from_access_group", {"acs_user_id": user_id, "acs_access_group_id": group_a2})

    # Credentials.
    credential = c.call("mobile key create", "/acs/credentials/create",
                        {"acs_user_id": user_id, "access_method": "mobile_key", "is_multi_phone_sync_credential": True})
    credential_id = credential["acs_credential"]["acs_credential_id"]
    c.call("mobile key create by identity+system", "/acs/credentials/create",
           {"user_identity_id": jane_id, "acs_system_id": building_a, "access_method": "mobile_key"})
    c.call("credential get", "/acs/credentials/get", {"acs_credential_id": credential_id})
    c.call("credential get GET", "/acs/credentials/get", method="get", query={"acs_credential_id": credential_id})
    c.call("credential list page", "/acs/credentials/list", {"acs_user_id": user_id, "limit": 1})
    c.call("credential list GET", "/acs/credentials/list", method="get",
           query={"user_identity_id": jane_id, "is_multi_phone_sync_credential": "true"})
    c.call("credential delete", "/acs/credentials/delete", {"acs_credential_id": credential_id})

    # Errors: 401.
    c.call("no key", "/acs/systems/list", key=None, expect=401, error="unauthorized")
    c.call("unknown key", "/user_identities/create", {}, key="seam_unknown", expect=401, error="unauthorized")
    c.call("unknown key GET", "/acs/users/list", method="get", key="seam_unknown", expect=401, error="unauthorized")

    # Errors: 400 invalid_input.
    c.call("missing required", "/acs/users/create", {}, expect=400, error="invalid_input")
    c.call("wrong type", "/acs/users/create", {"acs_system_id": 7, "full_name": True}, expect=400, error="invalid_input")
    c.call("bad uuid", "/acs/systems/get", {"acs_system_id": "building-a"}, expect=400, error="invalid_input")
    c.call("bad enum", "/acs/credentials/create", {"acs_user_id": user_id, "access_method": "pigeon"}, expect=400, error="invalid_input")
    c.call("bad email", "/user_identities/create", {"email_address": "nope"}, expect=400, error="invalid_input")
    c.call("ends before start", "/acs/users/create", {"acs_system_id": building_a, "full_name": "x",
           "access_schedule": {"starts_at": iso(7200), "ends_at": iso(3600)}}, expect=400, error="invalid_input")
    c.call("ends in past", "/acs/users/update", {"acs_user_id": user_id,
           "access_schedule": {"starts_at": iso(-7200), "ends_at": iso(-3600)}}, expect=400, error="invalid_input")
    c.call("bad limit", "/user_identities/list", {"limit": -1}, expect=400, error="invalid_input")
    c.call("bad cursor", "/acs/users/list", {"page_cursor": "not-a-cursor"}, expect=400, error="invalid_input")
    c.call("get needs id or key", "/user_identities/get", {}, expect=400, error="invalid_input")
    c.call("mobile key without identity", "/acs/credentials/create",
           {"acs_user_id": bare_id, "access_method": "mobile_key"}, expect=400, error="invalid_input")

    # Errors: conflicts.
    c.call("email conflict", "/user_identities/create", {"email_address": "JANE@example.com"},
           expect=400, error="user_identity_email_or_phone_conflict")
    c.call("phone conflict", "/user_identities/update",
           {"user_identity_id": phone_only["user_identity"]["user_identity_id"], "phone_number": "+15555550199"},
           expect=400, error="user_identity_email_or_phone_conflict")
    c.call("key conflict", "/user_identities/create", {"user_identity_key": "jane@example.com"},
           expect=400, error="user_identity_key_conflict")

    # Errors: 404.
    c.call("identity not found", "/user_identities/get", {"user_identity_id": unknown}, expect=404, error="user_identity_not_found")
    c.call("acs user not found", "/acs/users/get", {"acs_user_id": unknown}, expect=404, error="acs_user_not_found")
    c.call("credential not found", "/acs/credentials/get", {"acs_credential_id": unknown}, expect=404, error="acs_credential_not_found")
    c.call("system not found", "/acs/systems/get", {"acs_system_id": unknown}, expect=404, error="acs_system_not_found")
    c.call("group not found", "/acs/access_groups/get", {"acs_access_group_id": unknown}, expect=404, error="acs_access_group_not_found")
    c.call("group not found (add)", "/acs/users/add_to_access_group", {"acs_user_id": user_id, "acs_access_group_id": unknown},
           expect=404, error="acs_access_group_not_found")

    # Deletes and cascades.
    bob = c.call("identity create (pair delete)", "/user_identities/create", {"email_address": "bob@example.com"})
    bob_id = bob["user_identity"]["user_identity_id"]
    c.call("acs user create (pair delete)", "/acs/users/create",
           {"acs_system_id": building_b, "full_name": "bob", "user_identity_id": bob_id})
    c.call("acs user delete by identity+system", "/acs/users/delete", {"user_identity_id": bob_id, "acs_system_id": building_b})
    c.call("acs user gone by identity+system", "/acs/users/get", {"user_identity_id": bob_id, "acs_system_id": building_b},
           expect=404, error="acs_user_not_found")
    c.call("acs user delete", "/acs/users/delete", {"acs_user_id": bare_id})
    c.call("acs user delete again", "/acs/users/delete", {"acs_user_id": bare_id}, expect=404, error="acs_user_not_found")
    c.call("identity delete", "/user_identities/delete", {"user_identity_id": jane_id})
    c.call("cascaded acs user gone", "/acs/users/get", {"acs_user_id": user_id}, expect=404, error="acs_user_not_found")
    left = c.call("cascaded credentials gone", "/acs/credentials/list", {"user_identity_id": jane_id})
    if left and left.get("acs_credentials"):
        c.checker.failures.append("FAIL semantics: credentials survived user_identities/delete")


def codes(items, key):
    return [item.get(key) for item in items or []]


def expect(checker, label, actual, wanted):
    """A semantic check: the shape validated above proves nothing if the list was empty."""
    if actual != wanted:
        checker.failures.append(f"FAIL semantics: {label}: got {actual!r}, expected {wanted!r}")
    else:
        checker.passed += 1


def async_scenario(c, admin):
    """Seam's asynchrony: pending mutations, refusals, being_deleted, system errors, slots.

    The sandbox clock is frozen and advanced through /_sandbox/clock so every state is seen."""
    checker = c.checker
    building_a = "11111111-1111-1111-1111-111111111111"
    building_b = "7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97"
    group_a1 = "55555555-5555-5555-5555-555555555555"
    group_a2 = "66666666-6666-6666-6666-666666666666"
    admin.post("/_sandbox/reset", {"include_controls": True})
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    admin.post("/_sandbox/clock", {"fixed_now": now.strftime("%Y-%m-%dT%H:%M:%S.000Z")})

    def at(delta_seconds):
        return (now + datetime.timedelta(seconds=delta_seconds)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def advance(seconds):
        admin.post("/_sandbox/clock", {"advance_seconds": seconds})

    def user_of(label, user_id):
        return c.call(label, "/acs/users/get", {"acs_user_id": user_id}).get("acs_user", {})

    # Pending mutations of every kind the sandbox produces.
    admin.post("/_sandbox/provider", {"sync_delay_seconds": 60, "deletion_delay_seconds": 30})
    guest = c.call("async identity", "/user_identities/create", {"email_address": "async@example.com"})
    guest_id = guest["user_identity"]["user_identity_id"]
    created = c.call("acs user create (creating)", "/acs/users/create", {
        "acs_system_id": building_a, "full_name": "async-1", "user_identity_id": guest_id,
        "access_schedule": {"starts_at": at(3600), "ends_at": at(7200)}, "acs_access_group_ids": [group_a1],
    })["acs_user"]
    user_id = created["acs_user_id"]
    expect(checker, "create is pending", codes(created.get("pending_mutations"), "mutation_code"), ["creating"])
    credential = c.call("credential create (waiting_to_be_issued)", "/acs/credentials/create",
                        {"acs_user_id": user_id, "access_method": "mobile_key", "is_multi_phone_sync_credential": True})["acs_credential"]
    credential_id = credential["acs_credential_id"]
    expect(checker, "credential waits", codes(credential.get("warnings"), "warning_code"), ["waiting_to_be_issued"])
    expect(checker, "credential unsynced", credential.get("is_latest_desired_state_synced_with_provider"), False)
    c.call("credential list (waiting)", "/acs/credentials/list", {"acs_user_id": user_id})
    advance(60)
    c.call("credential get (synced)", "/acs/credentials/get", {"acs_credential_id": credential_id})
    c.call("acs user update schedule (pending)", "/acs/users/update",
           {"acs_user_id": user_id, "access_schedule": {"starts_at": at(7200), "ends_at": at(9000)}})
    c.call("acs user update name (pending)", "/acs/users/update", {"acs_user_id": user_id, "full_name": "async-1b"})
    c.call("add to group (pending)", "/acs/users/add_to_access_group", {"acs_user_id": user_id, "acs_access_group_id": group_a2})
    c.call("remove from group (pending)", "/acs/users/remove_from_access_group", {"acs_user_id": user_id, "acs_access_group_id": group_a1})
    pending = user_of("acs user get (four mutations)", user_id)
    expect(checker, "update mutations", sorted(codes(pending.get("pending_mutations"), "mutation_code")),
           ["updating_access_schedule", "updating_group_membership", "updating_group_membership", "updating_user_information"])
    c.call("acs user list (pending)", "/acs/users/list", {"acs_system_id": building_a})
    c.call("group users (pending)", "/acs/access_groups/list_users", {"acs_access_group_id": group_a2})
    advance(60)
    expect(checker, "updates settled", user_of("acs user get (settled)", user_id).get("pending_mutations"), [])

    # Slow deletions of a credential and a user.
    c.call("credential delete (slow)", "/acs/credentials/delete", {"acs_credential_id": credential_id})
    deleting_credential = c.call("credential get (being_deleted)", "/acs/credentials/get", {"acs_credential_id": credential_id})
    expect(checker, "credential being deleted", codes(deleting_credential.get("acs_credential", {}).get("warnings"), "warning_code"), ["being_deleted"])
    c.call("acs user delete (slow)", "/acs/users/delete", {"acs_user_id": user_id})
    deleting = user_of("acs user get (being_deleted)", user_id)
    expect(checker, "user being deleted", "being_deleted" in codes(deleting.get("warnings"), "warning_code"), True)
    expect(checker, "user deleting", codes(deleting.get("pending_mutations"), "mutation_code"), ["deleting"])
    c.call("acs user list (being_deleted)", "/acs/users/list", {"user_identity_id": guest_id})
    advance(30)
    c.call("acs user gone after delay", "/acs/users/get", {"acs_user_id": user_id}, expect=404, error="acs_user_not_found")

    # Refusals: create, update and delete.
    admin.post("/_sandbox/provider", {"refusals": [
        {"operations": ["create"], "reservation_ids": ["refused-create"]},
        {"operations": ["update", "delete"], "guest_emails": ["async@example.com"]},
    ]})
    refused = c.call("acs user create (refused)", "/acs/users/create",
                     {"acs_system_id": building_a, "full_name": "refused-create"})["acs_user"]
    expect(checker, "create refused", codes(refused.get("errors"), "error_code"), ["failed_to_create_on_acs_system"])
    kept = c.call("acs user create (accepted)", "/acs/users/create",
                  {"acs_system_id": building_a, "full_name": "async-2", "user_identity_id": guest_id,
                   "access_schedule": {"starts_at": at(3600), "ends_at": at(7200)}})["acs_user"]
    c.call("acs user update (refused)", "/acs/users/update",
           {"acs_user_id": kept["acs_user_id"], "access_schedule": {"starts_at": at(3600), "ends_at": at(9999)}})
    c.call("acs user delete (refused)", "/acs/users/delete", {"acs_user_id": kept["acs_user_id"]})
    errors = user_of("acs user get (update and delete refused)", kept["acs_user_id"]).get("errors")
    expect(checker, "update and delete refused", sorted(codes(errors, "error_code")),
           ["failed_to_delete_on_acs_system", "failed_to_update_on_acs_system"])
    c.call("acs user list (errors)", "/acs/users/list", {"search": "async"})

    # A second ACS user for one identity on one system, under the rules other than the default.
    admin.post("/_sandbox/identity_link_rule", {"identity_link_rule": "refuse_on_site"})
    on_site = c.call("second acs user (refuse_on_site)", "/acs/users/create",
                     {"acs_system_id": building_a, "full_name": "async-3", "user_identity_id": guest_id})["acs_user"]
    expect(checker, "second user refused on site", codes(on_site.get("errors"), "error_code"), ["failed_to_create_on_acs_system"])
    admin.post("/_sandbox/identity_link_rule", {"identity_link_rule": "relink"})
    relinked = c.call("second acs user (relink)", "/acs/users/create",
                      {"acs_system_id": building_a, "full_name": "async-4", "user_identity_id": guest_id})["acs_user"]
    left = user_of("acs user get (relinked away)", kept["acs_user_id"])
    expect(checker, "older user unlinked", "user_identity_id" in left, False)
    by_pair = c.call("acs user get by pair (relinked)", "/acs/users/get",
                     {"user_identity_id": guest_id, "acs_system_id": building_a}).get("acs_user", {})
    expect(checker, "pair names the new user", by_pair.get("acs_user_id"), relinked["acs_user_id"])
    admin.post("/_sandbox/identity_link_rule", {"identity_link_rule": "allow"})
    c.call("second acs user (allow)", "/acs/users/create",
           {"acs_system_id": building_a, "full_name": "async-5", "user_identity_id": guest_id})
    both = c.call("acs user list by pair (allow)", "/acs/users/list", {"user_identity_id": guest_id, "acs_system_id": building_a})
    expect(checker, "both users listed with the identity",
           [user.get("user_identity_id") for user in both.get("acs_users", [])], [guest_id, guest_id])
    admin.post("/_sandbox/identity_link_rule", {})

    # ACS system conditions and Salto KS subscription slots.
    admin.post("/_sandbox/provider", {})
    admin.post("/_sandbox/acs_system", {"acs_system_id": building_b, "errors": ["acs_system_disconnected"],
                                        "warnings": ["salto_ks_subscription_limit_almost_reached"]})
    system_b = c.call("system get (injected conditions)", "/acs/systems/get", {"acs_system_id": building_b})["acs_system"]
    expect(checker, "system error", codes(system_b.get("errors"), "error_code"), ["acs_system_disconnected"])
    admin.post("/_sandbox/acs_system", {"acs_system_id": building_a, "subscription_slots": 4})
    for index in range(3):
        c.call(f"acs user create (slot {index})", "/acs/users/create", {"acs_system_id": building_a, "full_name": f"slot-{index}"})
    over = c.call("acs user create (no slot left)", "/acs/users/create", {"acs_system_id": building_a, "full_name": "slot-over"})["acs_user"]
    expect(checker, "slot refused", codes(over.get("errors"), "error_code"), ["salto_ks_subscription_limit_exceeded"])
    expect(checker, "slot warning", codes(over.get("warnings"), "warning_code"), ["salto_ks_user_not_subscribed"])
    system_a = c.call("system get (slots)", "/acs/systems/get", {"acs_system_id": building_a})["acs_system"]
    expect(checker, "system slot error", codes(system_a.get("errors"), "error_code"), ["salto_ks_subscription_limit_exceeded"])
    expect(checker, "system slot warning", codes(system_a.get("warnings"), "warning_code"), ["salto_ks_subscription_limit_almost_reached"])
    c.call("systems list (conditions)", "/acs/systems/list")

    # Console: an error put on a user behind the client's back.
    admin.post("/_sandbox/console/acs_users/add_error", {"acs_user_id": over["acs_user_id"], "error_code": "deleted_externally"})
    c.call("acs user get (console error)", "/acs/users/get", {"acs_user_id": over["acs_user_id"]})

    # Instant keys.
    c.call("instant key", "/user_identities/generate_instant_key", {"user_identity_id": guest_id, "max_use_count": 2})
    c.call("instant key (unknown identity)", "/user_identities/generate_instant_key",
           {"user_identity_id": "00000000-0000-4000-8000-000000000000"}, expect=404, error="user_identity_not_found")
    c.call("instant key (missing id)", "/user_identities/generate_instant_key", {}, expect=400, error="invalid_input")

    # Hardening: limits that used to trap the server, and the page cap.
    c.call("huge limit", "/acs/users/list", {"limit": 3.4e38})
    c.call("zero limit", "/user_identities/list", {"limit": 0}, expect=400, error="invalid_input")
    c.call("non-finite limit", "/acs/credentials/list", method="get", query={"limit": "nan"}, expect=400, error="invalid_input")
    admin.post("/_sandbox/max_page_size", {"max_page_size": 1})
    capped = c.call("capped page", "/acs/users/list", {"acs_system_id": building_a})
    expect(checker, "page cap", len(capped.get("acs_users", [])), 1)
    admin.post("/_sandbox/reset", {"include_controls": True})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/debug/keybatch")
    parser.add_argument("--spec", default="spec/seam-openapi-schemas.json")
    args = parser.parse_args()
    with open(args.spec) as handle:
        spec = json.load(handle)
    with open(os.path.join(HERE, "seam-error.schema.json")) as handle:
        error_schema = json.load(handle)
    checker = Checker(spec, error_schema)
    process, values = start_sandbox(args.binary)
    try:
        print(f"conformance: sandbox at {values['SEAM_ENDPOINT']}, spec {args.spec}")
        client = Client(values["SEAM_ENDPOINT"], values["SEAM_API_KEY"], checker)
        scenario(client)
        async_scenario(client, Admin(values["SEAM_ENDPOINT"], values["SANDBOX_ADMIN_TOKEN"], checker))
    except Exception as failure:  # a crash in the scenario is a violation too
        checker.failures.append(f"FAIL scenario aborted: {type(failure).__name__}: {failure}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    declared = {(method, path) for path, operations in spec["paths"].items()
                if path.startswith(SERVED_PREFIXES) and path not in SKIPPED_PATHS for method in operations}
    for method, path in sorted(declared - checker.covered):
        checker.failures.append(f"FAIL coverage: {method.upper()} {path} never answered a valid 200")
    for line in checker.failures:
        print(line)
    print(f"conformance: {len(declared & checker.covered)}/{len(declared)} spec operations covered")
    print(f"conformance: {checker.passed} passed, {len(checker.failures)} failed")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
