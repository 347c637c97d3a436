#!/usr/bin/env python3
"""Python baseline for `keybatch validate`: the same job with csv.DictReader and the same rules.

Usage: baseline_validate.py reservations.csv --listings listings.csv --out results.csv
                            [--timezone Area/City] [--delimiter C]

Writes one results row per reservation: line,reservation_id,guest_email,listing_id,status,
error_code,error_message (status valid / expired / invalid; error_code is the first error's code,
error_message all messages joined by "; ").
"""
import argparse
import csv
import re
import sys
from datetime import datetime, timedelta, timezone

REQUIRED = ["reservation_id", "guest_email", "listing_id", "check_in", "check_out"]
COLUMNS = REQUIRED + ["guest_name", "guest_phone", "status"]
ACCEPTED_STATUSES = {"", "confirmed", "cancelled", "canceled"}
LOCAL_PART = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}\Z")
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
LAST_LABEL = re.compile(r"[A-Za-z]{2,}\Z")
PHONE = re.compile(r"\+[1-9][0-9]{6,14}\Z")
PHONE_NOISE = str.maketrans("", "", " -.()")
TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?"
                  r"(Z|[+-]\d{2}:?\d{2})?\Z")
MAX_STAY = timedelta(days=366)
RISKY_FIRST = ("=", "+", "-", "@", "\t", "\r")


def header_key(name):
    """Header names are case-insensitive, trimmed, snake_case or camelCase."""
    return name.strip().replace("_", "").lower()


def valid_email(email):
    if len(email) > 254 or email.count("@") != 1:
        return False
    local, domain = email.split("@")
    if not LOCAL_PART.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        return False
    return bool(LAST_LABEL.match(labels[-1]))


def parse_time(text, zone):
    match = TIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if fraction:
        moment += timedelta(microseconds=round(float("0." + fraction) * 1_000_000))
    if offset is None:
        if zone is None:
            return None
        return moment.replace(tzinfo=zone)
    if offset == "Z":
        return moment.replace(tzinfo=timezone.utc)
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        return None
    return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))


def neutralised(field):
    return "'" + field if field.startswith(RISKY_FIRST) else field


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reservations")
    parser.add_argument("--listings", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--timezone")
    parser.add_argument("--delimiter", default=",")
    arguments = parser.parse_args()
    zone = None
    if arguments.timezone:
        from zoneinfo import ZoneInfo
        zone = ZoneInfo(arguments.timezone)

    with open(arguments.listings, newline="", encoding="utf-8-sig") as listings_file:
        reader = csv.DictReader(listings_file)
        key = {header_key(name): name for name in reader.fieldnames or []}
        listings = {row[key["listingid"]].strip() for row in reader}

    now = datetime.now(timezone.utc)
    seen_ids = set()
    counts = {"valid": 0, "expired": 0, "invalid": 0}
    with open(arguments.reservations, newline="", encoding="utf-8-sig") as source, \
            open(arguments.out, "w", newline="", encoding="utf-8") as target:
        reader = csv.DictReader(source, delimiter=arguments.delimiter)
        column = {header_key(name): name for name in reader.fieldnames or []}
        missing_columns = [name for name in REQUIRED if header_key(name) not in column]
        if missing_columns:
            sys.exit(f"{arguments.reservations}: missing columns: {', '.join(missing_columns)}")
        names = {name: column.get(header_key(name)) for name in COLUMNS}
        writer = csv.writer(target, lineterminator="\r\n")
        writer.writerow(["line", "reservation_id", "guest_email", "listing_id", "status", "error_code",
                         "error_message"])
        previous_line = reader.line_num
        for row in reader:
            line = previous_line + 1
            previous_line = reader.line_num
            value = {name: (row.get(source_name) or "").strip() if source_name else ""
                     for name, source_name in names.items()}
            errors = []
            for name in REQUIRED:
                if not value[name]:
                    errors.append(("missing_field", f"{name} is empty"))
            email = value["guest_email"].lower()
            if email and not valid_email(email):
                errors.append(("invalid_email", f"guest_email is not a valid address: {email}"))
            phone = value["guest_phone"]
            if phone and not PHONE.match(phone.translate(PHONE_NOISE)):
                errors.append(("invalid_phone", f"guest_phone is not an international number: {phone}"))
            check_in = check_out = None
            for name in ("check_in", "check_out"):
                if value[name]:
                    moment = parse_time(value[name], zone)
                    if moment is None:
                        errors.append(("invalid_time", f"{name} is not an ISO 8601 time with an offset: {value[name]}"))
                    elif name == "check_in":
                        check_in = moment
                    else:
                        check_out = moment
            if check_in and check_out:
                if check_out <= check_in:
                    errors.append(("check_out_before_check_in", "check_out is not after check_in"))
                elif check_out - check_in > MAX_STAY:
                    errors.append(("stay_too_long", "the stay is longer than 366 days"))
            listing_id = value["listing_id"]
            if listing_id and listing_id not in listings:
                errors.append(("unknown_listing", f"listing_id is not in the listings file: {listing_id}"))
            reservation_id = value["reservation_id"]
            if reservation_id:
                if reservation_id in seen_ids:
                    errors.append(("duplicate_reservation_id", f"reservation_id {reservation_id} appears more than once"))
                else:
                    seen_ids.add(reservation_id)
            status = value["status"].lower()
            if status not in ACCEPTED_STATUSES:
                errors.append(("invalid_status", f"status is not confirmed or cancelled: {value['status']}"))
            if errors:
                outcome, code, message = "invalid", errors[0][0], "; ".join(text for _, text in errors)
            else:
                outcome = "expired" if check_out <= now else "valid"
                code = message = ""
            counts[outcome] += 1
            writer.writerow([line, neutralised(reservation_id), neutralised(email), neutralised(listing_id),
                             outcome, code, neutralised(message)])
    print(f"valid {counts['valid']}, expired {counts['expired']}, invalid {counts['invalid']}", file=sys.stderr)


if __name__ == "__main__":
    main()
