import Foundation

/// Converts between the Swift spelling of a property (`acsUserID`, `accessGroupIDs`,
/// `saltoKSMetadata`) and Seam's snake_case JSON key (`acs_user_id`, `access_group_ids`,
/// `salto_ks_metadata`).
///
/// Foundation's `convertToSnakeCase` splits `IDs` into `i_ds`, and `convertFromSnakeCase` gives
/// `acsUserId`, which no longer matches Swift's `ID`/`ACS` spelling; so the sandbox's state dump,
/// and the tests that read it, use these two functions instead. The acronyms are the ones Seam's
/// keys contain.
public enum SeamKeyStyle {
    /// Acronyms written in capitals in Swift names, longest first so `IDs` wins over `ID`.
    private static let acronyms = ["ACS", "IDs", "ID", "KS"]

    /// `acsUserID` → `acs_user_id`. A name without capitals (an id used as a dictionary key) is unchanged.
    public static func seamName(_ swiftName: String) -> String {
        var words: [String] = []
        var current = ""
        var rest = Substring(swiftName)
        while let first = rest.first {
            if first.isUppercase {
                if !current.isEmpty { words.append(current) }
                current = ""
                if let acronym = acronyms.first(where: { rest.hasPrefix($0) && isWordEnd(rest.dropFirst($0.count)) }) {
                    words.append(acronym.lowercased())
                    rest = rest.dropFirst(acronym.count)
                    continue
                }
                current.append(Character(first.lowercased()))
            } else {
                current.append(first)
            }
            rest = rest.dropFirst()
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: "_")
    }

    /// `acs_user_id` → `acsUserID`; `salto_ks_metadata` → `saltoKSMetadata`.
    public static func swiftName(_ seamName: String) -> String {
        let words = seamName.split(separator: "_", omittingEmptySubsequences: false)
        guard let first = words.first, words.count > 1 else { return seamName }
        return String(first) + words.dropFirst().map { word in
            if let acronym = acronyms.first(where: { $0.lowercased() == word }) { return acronym }
            return word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
    }

    private static func isWordEnd(_ rest: Substring) -> Bool {
        rest.first.map { $0.isUppercase || !$0.isLetter } ?? true
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) {
            stringValue = String(intValue)
            self.intValue = intValue
        }
    }

    /// For `JSONEncoder.keyEncodingStrategy`. Foundation applies the strategy to dictionary keys
    /// too, so only a key that looks like a Swift property name is converted; an id (`ACS-SYS-1`,
    /// an upper-case UUID) or an email used as a key passes through as it is.
    public static let encoding = JSONEncoder.KeyEncodingStrategy.custom { path in
        let key = path[path.count - 1]
        guard key.intValue == nil, isPropertyName(key.stringValue, allowing: []) else { return key }
        return Key(stringValue: seamName(key.stringValue))
    }

    /// For `JSONDecoder.keyDecodingStrategy`; like `encoding`, only snake_case names are converted.
    public static let decoding = JSONDecoder.KeyDecodingStrategy.custom { path in
        let key = path[path.count - 1]
        guard key.intValue == nil, isPropertyName(key.stringValue, allowing: ["_"]) else { return key }
        return Key(stringValue: swiftName(key.stringValue))
    }

    /// A lower-case ASCII letter, then ASCII letters and digits (and `extra`).
    private static func isPropertyName(_ text: String, allowing extra: Set<Character>) -> Bool {
        guard let first = text.first, first.isASCII, first.isLowercase else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || extra.contains($0) }
    }
}
