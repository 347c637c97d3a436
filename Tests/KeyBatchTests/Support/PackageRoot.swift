import Foundation

/// The package's root folder, found from this file's place by walking up to `Package.swift`, so a
/// test file can move between folders without its paths to `samples/` or `.build/` breaking.
enum PackageRoot {
    static let url: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            precondition(folder.path != "/", "no Package.swift above \(#filePath)")
            folder.deleteLastPathComponent()
        }
        return folder.standardized
    }()

    /// `samples/` in the package.
    static var samples: String { url.appendingPathComponent("samples").path }
}
