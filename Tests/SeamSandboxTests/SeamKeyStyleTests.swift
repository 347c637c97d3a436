import Foundation
import Testing
@testable import SeamSandbox

@Suite struct SeamKeyStyleTests {
    static let pairs = [
        ("acsUserID", "acs_user_id"), ("accessGroupIDs", "access_group_ids"), ("saltoKSMetadata", "salto_ks_metadata"),
        ("isMultiPhoneSyncCredential", "is_multi_phone_sync_credential"), ("acsSystemIDs", "acs_system_ids"),
        ("name", "name"), ("userIdentityID", "user_identity_id"), ("createdAt", "created_at"),
    ]

    @Test(arguments: pairs) func convertsBothWays(swift: String, seam: String) {
        #expect(SeamKeyStyle.seamName(swift) == seam)
        #expect(SeamKeyStyle.swiftName(seam) == swift)
    }

    @Test func dictionaryKeysThatAreIDsPassThroughTheStrategies() throws {
        let ids = ["ACS-SYS-1": 1, "5F0C0F6A-90B4-4C8E": 2, "first_last@example.com": 3]
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = SeamKeyStyle.encoding
        let data = try encoder.encode(ids)
        #expect(try JSONDecoder().decode([String: Int].self, from: data) == ids)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = SeamKeyStyle.decoding
        #expect(try decoder.decode([String: Int].self, from: data) == ids)
    }

    @Test func leavesIDsUsedAsKeysAlone() {
        #expect(SeamKeyStyle.seamName("5f0c0f6a-90b4-4c8e-9d1e-0a1b2c3d4e5f") == "5f0c0f6a-90b4-4c8e-9d1e-0a1b2c3d4e5f")
        #expect(SeamKeyStyle.swiftName("guest@example.com") == "guest@example.com")
    }

    /// Foundation's own strategies get these wrong (`i_ds`, `acsUserId`): the reason the type exists.
    @Test func roundTripsThroughJSONWithSwiftSpelling() throws {
        struct Sample: Codable, Equatable {
            var acsUserID: String
            var accessGroupIDs: [String]
            var saltoKSMetadata: [String: String]
        }
        let sample = Sample(acsUserID: "u1", accessGroupIDs: ["g1", "g2"], saltoKSMetadata: ["site": "s"])
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = SeamKeyStyle.encoding
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(sample)
        #expect(String(decoding: data, as: UTF8.self) == #"{"access_group_ids":["g1","g2"],"acs_user_id":"u1","salto_ks_metadata":{"site":"s"}}"#)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = SeamKeyStyle.decoding
        #expect(try decoder.decode(Sample.self, from: data) == sample)
    }
}
