/// Defuses spreadsheet formula injection (CSV injection): a results file is opened in a
/// spreadsheet by a person, and a guest name such as `=HYPERLINK(...)` coming from an export must
/// show as text, never run. A leading `'` makes spreadsheets treat the cell as text.
public enum FormulaGuard {
    /// True when `field` starts with `=`, `+`, `-`, `@`, tab or CR: the bytes that make a
    /// spreadsheet read a cell as a formula (or hide one behind a control character).
    public static func isRisky(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        return isRisky(firstByte: first)
    }

    /// The same rule on a field's first UTF-8 byte, for writers that hold bytes, not a string.
    static func isRisky(firstByte first: UInt8) -> Bool {
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        default: return false
        }
    }

    /// `field` with a leading `'` when it is risky, otherwise unchanged.
    public static func neutralised(_ field: String) -> String {
        isRisky(field) ? "'" + field : field
    }
}
