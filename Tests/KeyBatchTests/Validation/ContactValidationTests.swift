import Testing
@testable import KeyBatch

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("jane@example.com", "jane@example.com"),
        ("  Tomas.Novak@Example.COM ", "tomas.novak@example.com"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("x@my-host.example.org", "x@my-host.example.org"),
    ])
    func acceptsAndNormalisesMailboxes(raw: String, normalised: String) {
        #expect(EmailAddress.normalise(raw) == normalised)
    }

    @Test(arguments: [
        "not-an-email", "@example.com", "jane@", "jane@@example.com", "jane@example", "jane@example.c",
        "jane@example.c0m", ".jane@example.com", "jane.@example.com", "ja..ne@example.com", "jane@-example.com",
        "jane@example-.com", "jane@exa_mple.com", "jane doe@example.com", "jane@example..com", "jané@example.com",
        String(repeating: "a", count: 65) + "@example.com",
    ])
    func rejectsWhatIsNotAMailbox(raw: String) {
        #expect(EmailAddress.normalise(raw) == nil)
    }
}

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("+14155550142", "+14155550142"),
        ("+1 (415) 555-0142", "+14155550142"),
        ("+420 601.234.567", "+420601234567"),
    ])
    func acceptsE164(raw: String, normalised: String) {
        #expect(PhoneNumber.normalise(raw) == normalised)
    }

    @Test(arguments: ["555-0100", "14155550142", "+04155550142", "+141555", "+1234567890123456", "+1415abc0142", "+"])
    func rejectsOtherForms(raw: String) {
        #expect(PhoneNumber.normalise(raw) == nil)
    }
}
