import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The store exactly as one commit left it. Reading verifies every block's
/// checksum; a mismatch is an error naming table, column and segment.
public struct Snapshot: Sendable {
    public let root: String
    public let manifest: Manifest

    public var commit: Int { manifest.commit }

    public func table(_ name: String) -> TableManifest { manifest.table(name) }

    public func rows(_ table: String) -> Int { manifest.table(table).rows }

    /// Decodes one column block of one segment.
    public func read(table: String, segment: Int, column: String) throws -> ColumnData {
        let seg = manifest.table(table).segments[segment]
        guard let block = seg.columns.first(where: { $0.column == column }) else {
            throw RecoupError(.internal, "table \(table) has no column \(column)")
        }
        return try read(table: table, segment: segment, block: block, file: seg.file)
    }

    /// Decodes one column across every segment, in order.
    public func readAll(table: String, column: String) throws -> [ColumnData] {
        try (0..<manifest.table(table).segments.count).map { try read(table: table, segment: $0, column: column) }
    }

    func read(table: String, segment: Int, block: BlockManifest, file: String) throws -> ColumnData {
        let path = root + "/" + file
        let key = BlockCache.Key(path: path, offset: block.offset, length: block.length, checksum: block.checksum)
        return try BlockCache.shared.block(key) {
            try decode(table: table, segment: segment, block: block, file: file, path: path)
        }
    }

    private func decode(
        table: String, segment: Int, block: BlockManifest, file: String, path: String
    ) throws -> ColumnData {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw RecoupError(
                .dataError,
                "store is damaged: \(table).\(block.column) segment \(segment): cannot open \(file): \(FileIO.errorText())"
            )
        }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(block.length, 1), alignment: 16)
        defer { buffer.deallocate() }
        guard FileIO.pread(fd, offset: block.offset, count: block.length, into: buffer) else {
            throw RecoupError(
                .dataError, "store is damaged: \(table).\(block.column) segment \(segment): \(file) is truncated")
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<block.length])
        let sum = XXH64.hash(bytes)
        guard String(sum, radix: 16) == block.checksum else {
            throw RecoupError(
                .dataError,
                "store is damaged: checksum mismatch in table \(table), column \(block.column), segment \(segment) (\(file) at byte \(block.offset))"
            )
        }
        do {
            return try BlockCodec.decode(bytes)
        } catch {
            throw RecoupError(
                .dataError, "store is damaged: table \(table), column \(block.column), segment \(segment): \(error)")
        }
    }

    /// The dictionary of a dictionary-stored column.
    public func dictionary(table: String, column: String) -> [String] {
        manifest.table(table).dictionaries[column] ?? []
    }
}
