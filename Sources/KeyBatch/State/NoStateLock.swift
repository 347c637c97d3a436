import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `--no-state` run takes its lock: one per Seam endpoint and workspace (or API key, when
/// no workspace id is given: a key belongs to one workspace) for this user on this machine.
///
/// The endpoint is compared in a normal form (`workspaceEndpoint`), not as spelt: `http://localhost:P/`
/// and `http://127.0.0.1:P` are one server, and two runs reaching it by the two spellings made
/// duplicates. Host names other than loopback are not resolved: a name's addresses change (DNS
/// round robin, a CDN), so resolving would make two runs on one workspace miss each other; a
/// server reached once by name and once by a non-loopback address is not seen as one.
///
/// Without a state file nothing records what a run is creating, so two runs at once against one
/// workspace can each look a reservation up, find nothing, and both create it. The lock makes the
/// second wait its turn (exit 2), as a state file's lock does. It lives in a folder of this user's
/// own (`keybatch-<uid>`, mode 0700, in the temporary folder), so another user can neither block
/// nor be blocked. Runs of other users, on other machines or in another temporary folder (systemd's
/// `PrivateTmp`) are not seen: there only a shared state file (or one scheduler) prevents overlap.
public enum NoStateLock {
    /// The path `StateLock` locks (it appends `.lock`); nil when this user's folder cannot be made
    /// safely (it exists and is not this user's own folder), and the run goes on without the lock.
    public static func path(endpoint: String, workspaceID: String?, apiKey: String,
                            directory: String = NSTemporaryDirectory()) -> String? {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("keybatch-\(getuid())").path
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { return nil }
        var info = stat()
        guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(),
              info.st_mode & 0o077 == 0 else { return nil }
        // The key itself never reaches the name: only a digest of it.
        var key = SHA256()
        key.update(Array(apiKey.utf8))
        var hasher = FNV1a64()
        hasher.combine(workspaceEndpoint(endpoint))
        hasher.combine("\u{1F}")
        hasher.combine(workspaceID ?? key.finalizeHex())
        return URL(fileURLWithPath: folder).appendingPathComponent("no-state-\(hasher.hexDigest)").path
    }

    /// `endpoint` in the one form the lock compares: scheme and host lower-cased, a host's
    /// trailing dot dropped, an address literal in its canonical form, every loopback host
    /// (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`) as `loopback` (one machine: a run on
    /// 127.0.0.2 would reach the same server as one on localhost), the default port written out
    /// (80, 443), and no trailing slash, user, query or fragment.
    public static func workspaceEndpoint(_ endpoint: String) -> String {
        guard let components = URLComponents(string: endpoint.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), var host = components.host?.lowercased(), !host.isEmpty else {
            return endpoint.lowercased()
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        host = canonicalHost(host)
        let port = components.port ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : 0)
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return "\(scheme)://\(host):\(port)\(path)"
    }

    /// An address literal in its canonical form (`127.1` and `0x7f.0.0.1` are `127.0.0.1`), any
    /// loopback host as `loopback`, a name as it is.
    private static func canonicalHost(_ host: String) -> String {
        if host == "localhost" || host.hasSuffix(".localhost") { return "loopback" }
        var v4 = in_addr()
        if inet_aton(host, &v4) != 0 {
            let address = UInt32(bigEndian: v4.s_addr)
            if address >> 24 == 127 { return "loopback" }
            return "\(address >> 24).\((address >> 16) & 0xFF).\((address >> 8) & 0xFF).\(address & 0xFF)"
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return "loopback" }
            // An IPv4-mapped address (::ffff:a.b.c.d) is that IPv4 address.
            if bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
                return bytes[12] == 127 ? "loopback" : bytes.suffix(4).map(String.init).joined(separator: ".")
            }
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        return host
    }
}
