/// Defuses spreadsheet formula injection (CSV injection): a results file is opened in a
/// spreadsheet by a person, and a guest name such as `=HYPERLINK(...)` coming from an export must
/// show as text, never run. A leading `'` makes spreadsheets treat the cell as text.
public enum FormulaGuard {
    /// Bytes that make a spreadsheet read a cell as a formula (or hide one behind a control char).
    static let triggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    /// True when `field` starts with `=`, `+`, `-`, `@`, tab or CR.
    public static func isRisky(_ field: String) -> Bool {
        guard let first = field.utf8.first else { return false }
        return triggers.contains(first)
    }

    /// `field` with a leading `'` when it is risky, otherwise unchanged.
    public static func neutralised(_ field: String) -> String {
        isRisky(field) ? "'" + field : field
    }
}
