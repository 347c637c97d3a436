#!/usr/bin/env python3
"""Deterministic generator of a realistic reservations export plus its listings file.

Usage: generate_reservations.py ROWS OUT_DIR [--seed N]

Writes OUT_DIR/reservations.csv (ROWS data rows, CRLF, ~127 bytes a row) and
OUT_DIR/listings.csv (listing_id,acs_system_id,acs_access_group_id; several access groups per
listing). About 1% of the reservation rows are invalid in one of several ways, and a share of
guests book more than once. The same seed and size always give byte-identical files.
"""
import argparse
import csv
import os
import random
import uuid
from datetime import datetime, timedelta, timezone

FIRST_NAMES = ["Anna", "Lukas", "Marie", "Jonas", "Sofia", "Elias", "Emma", "Noah", "Mia", "Paul",
               "Léa", "Mateo", "Chloé", "Jürgen", "Zoë", "Ava", "Liam", "Olivia", "Ethan", "Ines",
               "Hugo", "Nora", "Oskar", "Greta", "Tom", "Sara", "Ali", "Yuki", "Chen", "Priya"]
LAST_NAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
              "Dubois", "Martin", "Rossi", "Russo", "García", "López", "Smith", "Jones", "Brown",
              "O'Brien", "Nowak", "Kowalski", "Jensen", "Hansen", "Silva", "Santos", "Tanaka",
              "Kim", "Nguyen", "Patel", "Novák", "De Vries"]
DOMAINS = ["gmail.com", "yahoo.de", "outlook.com", "web.de", "gmx.net", "icloud.com",
           "hotmail.fr", "proton.me", "example.org", "mail.co.uk"]
COUNTRY_PHONES = [("+49", 10, 11), ("+33", 9, 9), ("+44", 10, 10), ("+1", 10, 10), ("+39", 9, 10),
                  ("+34", 9, 9), ("+43", 10, 11), ("+41", 9, 9)]
STATUSES = ["confirmed"] * 12 + ["Confirmed", "cancelled", "canceled", ""]
INVALID_KINDS = ["missing_email", "invalid_email", "invalid_phone", "invalid_time", "no_offset",
                 "check_out_before_check_in", "stay_too_long", "unknown_listing",
                 "duplicate_reservation_id", "invalid_status", "missing_listing"]
EPOCH = datetime(2027, 1, 1, tzinfo=timezone.utc)
HEADER = ["reservation_id", "guest_email", "guest_name", "guest_phone", "listing_id",
          "check_in", "check_out", "status"]


def ascii_local(name):
    table = str.maketrans({"ü": "ue", "ö": "oe", "ä": "ae", "é": "e", "ë": "e", "í": "i",
                           "á": "a", "ó": "o", "á": "a", "'": "", " ": ""})
    return name.lower().translate(table)


def make_guest(rng):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    separator = rng.choice([".", "_", "", "."])
    email = f"{ascii_local(first)}{separator}{ascii_local(last)}{rng.randrange(100)}@{rng.choice(DOMAINS)}"
    if rng.random() < 0.05:
        email = email.upper() if rng.random() < 0.5 else f" {email} "
    prefix, low, high = rng.choice(COUNTRY_PHONES)
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.randint(low, high)))
    digits = str(rng.randint(1, 9)) + digits[1:]
    style = rng.random()
    if style < 0.15:
        phone = ""
    elif style < 0.5:
        phone = prefix + digits
    elif style < 0.8:
        phone = f"{prefix} {digits[:3]} {digits[3:]}"
    else:
        phone = f"{prefix}-{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    name = f"{first} {last}" if rng.random() < 0.97 else f"{last}, {first}"
    return email, name, phone


def timestamp(rng, moment, offset_hours):
    local = moment + timedelta(hours=offset_hours)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if rng.random() < 0.1:
        text += f".{rng.randrange(1000):03d}"
    return text + ("Z" if offset_hours == 0 else f"+{offset_hours:02d}:00")


def write_listings(rng, path, listing_count):
    systems = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(max(3, listing_count // 100))]
    listing_ids = [f"lst_{100000 + index * 7}" for index in range(listing_count)]
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["listing_id", "acs_system_id", "acs_access_group_id"])
        for listing_id in listing_ids:
            system = rng.choice(systems)
            for _ in range(rng.randint(2, 4)):
                writer.writerow([listing_id, system, str(uuid.UUID(int=rng.getrandbits(128), version=4))])
    return listing_ids


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    os.makedirs(arguments.out_dir, exist_ok=True)

    listing_ids = write_listings(rng, os.path.join(arguments.out_dir, "listings.csv"),
                                 max(50, arguments.rows // 500))
    guests = [make_guest(rng) for _ in range(max(10, arguments.rows // 3))]
    seen_ids = []
    with open(os.path.join(arguments.out_dir, "reservations.csv"), "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for index in range(arguments.rows):
            reservation_id = f"HM{index:08d}"
            # Repeat guests: a third as many guests as reservations, skewed to the first ones.
            email, name, phone = guests[min(int(rng.paretovariate(1.2)) - 1 + rng.randrange(len(guests)) // 2,
                                            len(guests) - 1)]
            listing_id = rng.choice(listing_ids)
            check_in = EPOCH + timedelta(days=rng.randrange(700), hours=rng.choice([14, 15, 16]))
            check_out = check_in + timedelta(days=rng.randint(1, 14), hours=-rng.choice([3, 4, 5]))
            in_offset = rng.choice([0, 0, 2])
            out_offset = rng.choice([0, 2, 2])
            status = rng.choice(STATUSES)
            row = [reservation_id, email, name, phone, listing_id,
                   timestamp(rng, check_in, in_offset), timestamp(rng, check_out, out_offset), status]
            if rng.random() < 0.01:
                kind = rng.choice(INVALID_KINDS)
                if kind == "missing_email":
                    row[1] = ""
                elif kind == "invalid_email":
                    row[1] = rng.choice([email.replace("@", ""), email.replace("@", "@@"),
                                         email.replace("@", "..@"), email.split("@")[0] + "@localhost"])
                elif kind == "invalid_phone":
                    row[3] = rng.choice(["0151 2345678", "+0 123 4567", "+49 12", "call me"])
                elif kind == "invalid_time":
                    row[5] = rng.choice(["2027-02-30T15:00:00Z", "tomorrow", "2027-13-01 10:00Z"])
                elif kind == "no_offset":
                    row[6] = row[6][:19]
                elif kind == "check_out_before_check_in":
                    row[5], row[6] = row[6], row[5]
                elif kind == "stay_too_long":
                    row[6] = timestamp(rng, check_in + timedelta(days=400), 0)
                elif kind == "unknown_listing":
                    row[4] = "lst_999999999"
                elif kind == "duplicate_reservation_id" and seen_ids:
                    row[0] = rng.choice(seen_ids)
                elif kind == "invalid_status":
                    row[7] = rng.choice(["pending", "no-show", "?"])
                elif kind == "missing_listing":
                    row[4] = " "
            if index % 97 == 0:
                seen_ids.append(reservation_id)
                del seen_ids[:-1000]
            writer.writerow(row)


if __name__ == "__main__":
    main()
