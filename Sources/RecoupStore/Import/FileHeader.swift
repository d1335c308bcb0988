import Foundation

/// The header of one CSV file, mapped onto its table's schema.
struct FileHeader {
    /// Schema column → field index in the file (-1 when an optional column is absent).
    let fieldIndex: [Int]
    let width: Int
    /// Where the first record after the header starts, and how many lines the header took.
    let dataOffset: Int
    let lines: Int

    /// A problem with the file as a whole (header, syntax); never a reject.
    struct FileError: Error { let row: BadRow }

    static func read(path: String, name: String, schema: TableSchema) throws -> FileHeader {
        let r: CSVReader
        do { r = try CSVReader(path: path, bufferSize: 1 << 16) } catch let e as CSVReader.SyntaxError {
            throw RecoupError(.noInput, "cannot read \(path): \(e.reason)")
        }
        func fail(_ reason: String, line: Int = 1) -> FileError {
            FileError(row: BadRow(file: name, line: line, column: 0, columnName: "", value: "", reason: reason, record: ""))
        }
        do {
            guard try r.next() else { throw fail("is empty: expected a header line") }
        } catch let e as CSVReader.SyntaxError {
            throw fail(e.reason, line: e.line)
        }
        var index = [Int](repeating: -1, count: schema.columns.count)
        for f in 0..<r.fieldCount {
            let h = r.fieldString(f).trimmingCharacters(in: .whitespaces)
            guard let c = schema.index(of: h) else {
                let known = schema.columns.map(\.name)
                let hint = Suggest.closest(h, in: known).map { "; did you mean `\($0)`?" } ?? ""
                throw fail("unknown column `\(h)` in the header\(hint) (\(schema.fileName) has: \(known.joined(separator: ", ")))")
            }
            if index[c] >= 0 { throw fail("duplicate column `\(h)` in the header") }
            index[c] = f
        }
        for (c, spec) in schema.columns.enumerated() where spec.required && index[c] < 0 {
            throw fail("missing required column `\(spec.name)` in the header")
        }
        return FileHeader(fieldIndex: index, width: r.fieldCount, dataOffset: r.offset, lines: r.linesRead)
    }
}
