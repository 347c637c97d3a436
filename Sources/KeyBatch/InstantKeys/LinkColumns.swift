import CSV

/// What `keybatch links` needs of a provision results file: its columns, found by name in the
/// header (as every input of KeyBatch is read, so a file whose columns were moved still reads),
/// the header it writes back (the file's own, with `instant_key_url` and
/// `instant_key_expires_at` appended when a run without `--instant-keys` wrote it), and the one
/// rule for which rows get a link.
///
/// Every other field is copied as read, byte for byte in value: a results file is already
/// written with or without the formula guard (`--raw-csv`), and stripping or adding a `'` to
/// what provision wrote would change the guest's data. Only the values `links` writes itself
/// go through the guard. The ids are Seam's UUIDs, which the guard never touches.
public struct LinkColumns: Sendable {
    /// Without these a row cannot be judged (or its refusal not be told): exit 2.
    static let required = ["reservation_id", "status", "user_identity_id", "acs_credential_id", "error_message"]
    static let optional = ["instant_key_url", "instant_key_expires_at"]

    /// Statuses of a row whose guest holds a key on the site: the key was made or confirmed
    /// (`provisioned`, `updated`), found in place (`unchanged`), or the guest's one user holds an
    /// earlier visit (`deferred`: the link opens that key, and the same key later). A `pending`
    /// row's key the site has not confirmed, and a `failed`, `revoked` or `invalid` row has none.
    static let holdingKey: Set<String> = ["provisioned", "unchanged", "updated", "deferred"]

    /// Starts the note a row without its link carries in `error_message` (as `provision
    /// --instant-keys` writes it), so a later run can replace it.
    static let notePrefix = "no instant key: "

    let reservationID: Int
    let status: Int
    let userIdentityID: Int
    let acsCredentialID: Int
    let errorMessage: Int
    let url: Int
    let expiresAt: Int
    /// The header `links` writes: the file's, then any link column it lacked.
    public let header: [String]

    /// - Throws: `InputFileError` naming the missing columns (and what the header holds).
    init(header fields: [String], file: String, line: Int, splitBy reader: CSVReader?) throws(InputFileError) {
        let layout = try HeaderLayout(header: fields, required: Self.required, optional: Self.optional, file: file, line: line,
                                      splitBy: reader)
        let index = layout.indices
        reservationID = layout.required["reservation_id"]
        status = layout.required["status"]
        userIdentityID = layout.required["user_identity_id"]
        acsCredentialID = layout.required["acs_credential_id"]
        errorMessage = layout.required["error_message"]
        var header = fields
        url = index["instant_key_url"] ?? { header.append("instant_key_url"); return header.count - 1 }()
        expiresAt = index["instant_key_expires_at"] ?? { header.append("instant_key_expires_at"); return header.count - 1 }()
        self.header = header
    }

    /// The user identity a row asks a link for, or nil when it keeps its line as it is: the
    /// guest holds a key, the row names the identity and the key, and it has no link yet (with
    /// `all`, also when it has one: it may have expired or been used).
    func identityWanting(_ fields: [String], all: Bool) -> String? {
        let identity = value(userIdentityID, of: fields)
        guard Self.holdingKey.contains(value(status, of: fields)), !identity.isEmpty, !value(acsCredentialID, of: fields).isEmpty,
              all || value(url, of: fields).isEmpty else { return nil }
        return identity
    }

    func reservation(of fields: [String]) -> String { value(reservationID, of: fields) }

    /// The row as read, with a field for each column it lacked (the link columns appended).
    func padded(_ fields: [String]) -> [String] {
        fields.count >= header.count ? fields : fields + Array(repeating: "", count: header.count - fields.count)
    }

    /// The row with its guest's link, and any earlier note that it had none taken away.
    func linked(_ fields: [String], _ link: InstantKeyLink, guarding: Bool) -> [String] {
        var row = padded(fields)
        row[url] = Self.guarded(link.url, guarding)
        row[expiresAt] = Self.guarded(link.expiresAt ?? "", guarding)
        row[errorMessage] = Self.withoutNote(row[errorMessage])
        return row
    }

    /// The row left without a new link: the reason is the last part of `error_message` (in place
    /// of an earlier one); the link columns stay as they were (empty, or with `--all` a link that
    /// may still work until its `instant_key_expires_at`).
    func refused(_ fields: [String], note: String, guarding: Bool) -> [String] {
        var row = padded(fields)
        let kept = Self.withoutNote(row[errorMessage])
        row[errorMessage] = kept.isEmpty ? Self.guarded(note, guarding) : kept + "; " + note
        return row
    }

    /// `message` without an earlier `no instant key: …` note: always its last part (provision
    /// writes it alone, `links` appends it), so a Seam message holding `; ` is taken whole. The
    /// part kept is the file's own text, never guarded again.
    static func withoutNote(_ message: String) -> String {
        if message.hasPrefix(notePrefix) { return "" }
        guard let range = message.range(of: "; " + notePrefix) else { return message }
        return String(message[..<range.lowerBound])
    }

    private func value(_ index: Int, of fields: [String]) -> String {
        index < fields.count ? fields[index].trimmingBlanks() : ""
    }

    private static func guarded(_ value: String, _ guarding: Bool) -> String {
        guarding ? FormulaGuard.neutralised(value) : value
    }
}
