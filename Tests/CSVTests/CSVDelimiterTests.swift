import CSV
import Foundation
import Testing

/// Choosing the delimiter from the header line, as people's exports come.
@Suite struct CSVDelimiterTests {
    private func detect(_ text: String) -> String {
        CSVDelimiter.name(Array(text.utf8).withUnsafeBytes { CSVDelimiter.detect(in: $0) })
    }

    @Test func theHeadersMostFrequentSeparatorWins() {
        #expect(detect("reservation_id,guest_email,listing_id\n") == "','")
        #expect(detect("reservation_id;guest_email;listing_id\r\n1;a,b;c\n") == "';'")
        #expect(detect("reservation_id\tguest_email\tlisting_id") == "tab")
        #expect(detect("reservation_id|guest_email|listing_id\n") == "'|'")
    }

    @Test func quotedSeparatorsLaterLinesAndBlankLinesDoNotCount() {
        // A European header quoting names that hold commas.
        #expect(detect("\"Name, first\";\"Name, last\";email\n") == "';'")
        #expect(detect("\"a;b\",\"c;d\",e\n") == "','")
        // Only the first non-blank line counts: the data below it may be full of commas.
        #expect(detect("\n\r\nid;amount\n1;3,50,7,8,9\n") == "';'")
        // A one-column file, or nothing at all: the comma.
        #expect(detect("reservation_id\nR-1\n") == "','")
        #expect(detect("") == "','")
        // A tie goes to the earlier of , ; tab |.
        #expect(detect("a;b,c\n") == "','")
    }

    /// Read in chunks of every small size (a pipe handing over a few bytes at a time), the
    /// records are the same as read whole, and the choice is the same.
    @Test func aHeaderArrivingInPiecesIsDetectedTheSame() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let path = try files.write("\u{FEFF}reservation_id;guest_name;amount\nR-1;\"Doe; Jane\";3,50\nR-2;Roe;4\n")
        let whole = try CSVReader(path: path, delimiting: .detect)
        let expected = try readAll(whole).compactMap(\.record).map(\.fields)
        #expect(expected == [["reservation_id", "guest_name", "amount"], ["R-1", "Doe; Jane", "3,50"], ["R-2", "Roe", "4"]])
        #expect(whole.delimiter == UInt8(ascii: ";") && whole.detectsDelimiter)
        for chunkSize in 1...40 {
            let reader = try CSVReader(path: path, delimiting: .detect, chunkSize: chunkSize)
            #expect(try readAll(reader).compactMap(\.record).map(\.fields) == expected, "chunk size \(chunkSize)")
            #expect(reader.delimiter == UInt8(ascii: ";"), "chunk size \(chunkSize)")
        }
        let given = try CSVReader(path: path, delimiting: .byte(UInt8(ascii: ",")))
        _ = try given.next()
        #expect(given.delimiter == UInt8(ascii: ",") && !given.detectsDelimiter)
    }
}
