import Foundation

/// The package's root folder, found from this file's place by walking up to `Package.swift`, so a
/// test file can move between folders without its paths to `samples/` or `.build/` breaking.
enum PackageRoot {
    static let url: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return folder.standardized
    }()

    /// `samples/` in the package.
    static var samples: String { url.appendingPathComponent("samples").path }
}
