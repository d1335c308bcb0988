import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX helpers: whole-file writes that are fsynced, directory fsync,
/// positioned reads.
enum FileIO {
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Writes `bytes` to `path` (created or truncated) and fsyncs it.
    static func writeSynced(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw RecoupError(.cannotCreate, "cannot create \(path): \(errorText())") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let r = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if r < 0 {
                if errno == EINTR { continue }
                throw RecoupError(.cannotCreate, "cannot write \(path): \(errorText())")
            }
            done += r
        }
        guard fsync(fd) == 0 else { throw RecoupError(.cannotCreate, "cannot fsync \(path): \(errorText())") }
    }

    static func writeSynced(_ path: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeSynced(path, $0) }
    }

    static func fsyncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw RecoupError(.cannotCreate, "cannot open directory \(path): \(errorText())") }
        defer { close(fd) }
        _ = fsync(fd)
    }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RecoupError(.cannotCreate, "cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else {
            throw RecoupError(.noInput, "cannot read \(path)")
        }
        return [UInt8](d)
    }

    /// Reads `count` bytes at `offset` of an open file.
    static func pread(_ fd: Int32, offset: Int, count: Int, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var done = 0
        while done < count {
            let r = Glibc.pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return false }
            done += r
        }
        return true
    }
}
