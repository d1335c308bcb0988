import Foundation

/// A tiny RFC 4180 CSV reader for the reference implementation, independent of
/// RecoupStore's reader: quoted fields may hold commas, doubled quotes and line
/// breaks; records end with LF or CRLF; a completely empty line is skipped.
enum ReferenceCSV {
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// All records of `text`, the header included.
    static func records(_ bytes: [UInt8]) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldWasQuoted = false
        var i = 0
        let n = bytes.count
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            // A blank line is one empty, unquoted field: skip it.
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record.removeAll(keepingCapacity: true)
        }

        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < n && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    continue
                }
                field.append(b)
                i += 1
                continue
            }
            switch b {
            case quote:
                guard field.isEmpty && !fieldWasQuoted else {
                    throw ParseError(description: "a quote inside an unquoted field at byte \(i)")
                }
                inQuotes = true
                fieldWasQuoted = true
                i += 1
            case comma:
                endField()
                i += 1
            case cr where i + 1 < n && bytes[i + 1] == lf:
                endRecord()
                i += 2
            case lf:
                endRecord()
                i += 1
            default:
                field.append(b)
                i += 1
            }
        }
        if inQuotes { throw ParseError(description: "an unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// Rows of a file as dictionaries from header name to value.
    static func read(path: String) throws -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ParseError(description: "cannot read \(path)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let recs = try records(bytes)
        guard let header = recs.first else { return [] }
        var out: [[String: String]] = []
        out.reserveCapacity(recs.count - 1)
        for (line, r) in recs.dropFirst().enumerated() {
            guard r.count == header.count else {
                throw ParseError(description: "\(path): record \(line + 2) has \(r.count) fields, the header \(header.count)")
            }
            var row: [String: String] = [:]
            for (k, v) in zip(header, r) { row[k] = v }
            out.append(row)
        }
        return out
    }
}
