import Testing
@testable import KeyBatch

@Suite struct TimestampParserTests {
    @Test(arguments: [
        ("2024-11-01T15:00:00.000Z", "2024-11-01T15:00:00Z"),
        ("2024-11-01T15:00:00Z", "2024-11-01T15:00:00Z"),
        ("2024-11-01t15:00z", "2024-11-01T15:00:00Z"),
        ("2024-11-01 15:00:00Z", "2024-11-01T15:00:00Z"),
        ("2027-06-12T15:00:00+02:00", "2027-06-12T13:00:00Z"),
        ("2027-06-12T01:00:00+0230", "2027-06-11T22:30:00Z"),
        ("2027-06-12T23:30:00-05", "2027-06-13T04:30:00Z"),
        ("2027-07-01T14:00:00.5Z", "2027-07-01T14:00:00.500Z"),
        ("2027-07-01T14:00:00.123456789Z", "2027-07-01T14:00:00.123Z"),
        ("2028-02-29T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("2000-03-01T00:00:00+00:00", "2000-03-01T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        (" 2027-01-01T00:00:00Z ", "2027-01-01T00:00:00Z"),
    ])
    func parsesInstantsAndFormatsThemInUTC(input: String, expected: String) {
        guard case .instant(let instant)? = TimestampParser.parse(input) else {
            Issue.record("\(input) did not parse as an instant")
            return
        }
        #expect(instant.iso8601 == expected)
    }

    @Test(arguments: [
        "2027-02-29T00:00:00Z", "2027-13-01T00:00:00Z", "2027-00-10T00:00:00Z", "2027-04-31T10:00Z",
        "2027-01-01T24:00:00Z", "2027-01-01T10:60:00Z", "2027-01-01T10:00:60Z", "27-01-01T10:00Z",
        "2027/01/01T10:00Z", "2027-01-01T10Z", "2027-01-01T10:00:00+25:00", "2027-01-01T10:00:00+01:75",
        "2027-01-01T10:00:00Q", "2027-01-01T10:00:00.Z", "tomorrow", "", "2027-01-01T10:00:00Z extra",
    ])
    func rejectsWhatIsNotISO8601(input: String) {
        #expect(TimestampParser.parse(input) == nil)
    }

    @Test func timesWithoutOffsetAreLocal() {
        #expect(TimestampParser.parse("2027-05-10 15:00") == .local(LocalDateTime(year: 2027, month: 5, day: 10, hour: 15, minute: 0, second: 0, millisecond: 0)))
        #expect(TimestampParser.parse("2027-05-10") == .local(LocalDateTime(year: 2027, month: 5, day: 10, hour: 0, minute: 0, second: 0, millisecond: 0)))
    }

    @Test func civilCalendarRoundTripsEveryDayOverFourCenturies() {
        var days = CivilCalendar.daysFromEpoch(year: 1800, month: 1, day: 1)
        let end = CivilCalendar.daysFromEpoch(year: 2200, month: 1, day: 1)
        var mismatches = 0
        while days < end {
            let civil = CivilCalendar.civil(fromDaysSinceEpoch: days)
            if CivilCalendar.daysFromEpoch(year: civil.year, month: civil.month, day: civil.day) != days { mismatches += 1 }
            days += 1
        }
        #expect(mismatches == 0)
        #expect(CivilCalendar.daysFromEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.daysFromEpoch(year: 2000, month: 3, day: 1) == 11_017)
    }
}

@Suite struct ZoneResolverTests {
    private func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int = 0) -> LocalDateTime {
        LocalDateTime(year: y, month: m, day: d, hour: h, minute: min, second: 0, millisecond: 0)
    }

    @Test func followsDaylightSavingTime() throws {
        let prague = try #require(ZoneResolver(identifier: "Europe/Prague"))
        #expect(prague.instant(for: local(2027, 1, 15, 15)).iso8601 == "2027-01-15T14:00:00Z")
        #expect(prague.instant(for: local(2027, 7, 15, 15)).iso8601 == "2027-07-15T13:00:00Z")
        let newYork = try #require(ZoneResolver(identifier: "America/New_York"))
        #expect(newYork.instant(for: local(2027, 11, 1, 15)).iso8601 == "2027-11-01T19:00:00Z")
        #expect(newYork.instant(for: local(2027, 11, 10, 15)).iso8601 == "2027-11-10T20:00:00Z")
    }

    @Test func resolvesTheAmbiguousAndTheMissingHour() throws {
        let prague = try #require(ZoneResolver(identifier: "Europe/Prague"))
        // 2027-10-31 02:30 happens twice in Prague: the first (summer time) is chosen.
        #expect(prague.instant(for: local(2027, 10, 31, 2, 30)).iso8601 == "2027-10-31T00:30:00Z")
        // 2027-03-28 02:30 never happens: it lands just after the jump, at 03:30 summer time.
        #expect(prague.instant(for: local(2027, 3, 28, 2, 30)).iso8601 == "2027-03-28T01:30:00Z")
    }

    @Test func rejectsUnknownZones() {
        #expect(ZoneResolver(identifier: "Mars/Olympus_Mons") == nil)
        #expect(ZoneResolver(identifier: "CEST") == nil)
    }
}
