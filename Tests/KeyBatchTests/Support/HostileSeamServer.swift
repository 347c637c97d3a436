import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately bad Seam on 127.0.0.1 (an ephemeral port) for the `keybatch` binary to meet:
/// one that trickles its answers, never answers, or answers in ways Seam never would. Written on
/// raw sockets because the misbehaviour is the point: a framework would finish the body it was
/// given, or time the silence out itself.
///
/// Each connection is served on a thread of its own, not on Swift's cooperative pool: a server
/// that sleeps between bytes or blocks waiting for a client to hang up must never take one of
/// the pool's few threads from the tests (see `ChildProcess`).
final class HostileSeamServer: @unchecked Sendable {
    /// What to do with one request.
    enum Reply: Sendable {
        /// `200 OK` with this JSON body, at once.
        case json(String)
        /// A `200 OK` head announcing `length` bytes, then one byte of the body every `interval`
        /// seconds, until the client goes away or the server stops.
        case trickle(length: Int, interval: TimeInterval)
        /// Read the request, then say nothing until the client hangs up.
        case silence
    }

    private let listener: Int32
    let port: Int
    private let respond: @Sendable (_ path: String) -> Reply
    private let lock = NSLock()
    private var stopped = false
    private var connections: Set<Int32> = []
    private var paths: [String] = []

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Paths requested so far (without the leading slash), in order.
    var requestedPaths: [String] { lock.withLock { paths } }

    init(_ respond: @escaping @Sendable (_ path: String) -> Reply) throws {
        self.respond = respond
        let (socket, port) = try Self.openListener()
        listener = socket
        self.port = port
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting and hangs up on every connection (a trickle or a silence ends at once).
    func stop() {
        lock.withLock {
            stopped = true
            // Under the lock: a connection's thread closes its socket only after leaving the set.
            for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit {
        stop()
        close(listener)
    }

    /// A loopback port nobody listens on: bound, then closed again (the kernel does not hand a
    /// just-released ephemeral port out again at once).
    static func closedPort() throws -> Int {
        let (socket, port) = try openListener()
        close(socket)
        return port
    }

    private static func openListener() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let keep = lock.withLock {
                if stopped { return false }
                connections.insert(connection)
                return true
            }
            guard keep else {
                close(connection)
                return
            }
            Thread { [self] in
                serve(connection)
                _ = lock.withLock { connections.remove(connection) }
                close(connection)
            }.start()
        }
    }

    /// Requests on one kept-alive connection, until the client hangs up or a reply ends it.
    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        while let path = readRequest(connection, &buffer) {
            lock.withLock { paths.append(path) }
            switch respond(path) {
            case .json(let body):
                let bytes = Array(body.utf8)
                guard write(connection, head(length: bytes.count)), write(connection, bytes) else { return }
            case .trickle(let length, let interval):
                guard write(connection, head(length: length)) else { return }
                for _ in 0..<length {
                    Thread.sleep(forTimeInterval: interval)
                    guard !isStopped, write(connection, [UInt8(ascii: " ")]) else { return }
                }
            case .silence:
                var byte: UInt8 = 0
                while !isStopped, recv(connection, &byte, 1, 0) > 0 {}
                return
            }
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func head(length: Int) -> [UInt8] {
        Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\nseam-request-id: req_hostile\r\n\r\n".utf8)
    }

    /// The next request's path, its head and body consumed; nil when the client hung up.
    private func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> String? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.indices.dropLast(3).first { buffer[$0..<$0 + 4].elementsEqual(separator) }
            if headEnd == nil, !receive(connection, &buffer) { return nil }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let length = lines.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length {
            if !receive(connection, &buffer) { return nil }
        }
        buffer.removeFirst(bodyStart + length)
        return String(target.drop(while: { $0 == "/" }))
    }

    private func receive(_ connection: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = recv(connection, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func write(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, flags) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
