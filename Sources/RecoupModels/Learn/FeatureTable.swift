import Foundation
import RecoupStore

/// Loads a feature table from CSV (RFC 4180, a header row) into a `Dataset`.
///
/// The label column holds 0 or 1 on every row. Columns named in `categorical` hold categories
/// (any text; empty is missing), coded 0, 1, 2… in order of first appearance. Every other column is
/// numeric: a number, or empty / `NA` / `NaN` for missing; anything else is an error naming the file,
/// line, column and value. A test table is loaded `like:` its train table: it must have the same
/// columns (in any order; the result follows the train table's order), its categories get the
/// train table's codes, and categories the train table never had become missing.
public enum FeatureTable {
    public static func load(path: String, label: String, categorical: [String] = [],
                            like reference: Dataset? = nil, ignore: [String] = []) throws -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw RecoupError(.noInput, "\(path): no such file")
        }
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            throw RecoupError(.noInput, "\(path): cannot read: \(error)")
        }
        guard try readRecord(reader, path) else { throw RecoupError(.dataError, "\(path): empty file, no header") }
        let header = (0..<reader.fieldCount).map { reader.fieldString($0) }
        var seen = Set<String>()
        for h in header where !seen.insert(h).inserted {
            throw RecoupError(.dataError, "\(path): column '\(h)' appears twice in the header")
        }
        guard let labelIndex = header.firstIndex(of: label) else {
            let hint = didYouMean(label, header)
            throw RecoupError(.dataError, "\(path): no label column '\(label)'\(hint)",
                              details: "columns: " + header.joined(separator: ", "))
        }

        // Feature columns in output order, and each one's header position.
        let names: [String]
        if let ref = reference {
            let here = Set(header).subtracting([label]).subtracting(ignore), there = Set(ref.featureNames)
            if here != there {
                let missing = ref.featureNames.filter { !here.contains($0) }
                let extra = header.filter { $0 != label && !there.contains($0) && !ignore.contains($0) }
                var parts: [String] = []
                if !missing.isEmpty { parts.append("lacks " + missing.joined(separator: ", ")) }
                if !extra.isEmpty { parts.append("has extra " + extra.joined(separator: ", ")) }
                throw RecoupError(.dataError, "\(path): its columns differ from the train table's: it " +
                                  parts.joined(separator: "; it "))
            }
            names = ref.featureNames
        } else {
            for c in categorical where !header.contains(c) {
                throw RecoupError(.dataError, "\(path): no column '\(c)' to treat as categorical\(didYouMean(c, header))")
            }
            if categorical.contains(label) {
                throw RecoupError(.usage, "--categorical: '\(label)' is the label, not a feature")
            }
            if ignore.contains(label) { throw RecoupError(.usage, "--ignore: '\(label)' is the label") }
            names = header.filter { $0 != label && !ignore.contains($0) }
        }
        let position = names.map { header.firstIndex(of: $0)! }
        let isCat = reference?.isCategorical ?? names.map { categorical.contains($0) }
        var codes: [[String: Int]] = (0..<names.count).map { f in
            guard let ref = reference, isCat[f] else { return [:] }
            var m: [String: Int] = [:]
            for (c, s) in ref.categoryLevels[f].enumerated() { m[s] = c }
            return m
        }
        var levels: [[String]] = reference?.categoryLevels ?? Array(repeating: [], count: names.count)
        let learnLevels = reference == nil

        var columns = [[Float]](repeating: [], count: names.count)
        var labels: [UInt8] = []
        while try readRecord(reader, path) {
            let line = reader.line
            if reader.fieldCount == 1 && reader.field(0).isEmpty { continue }  // a blank line
            guard reader.fieldCount == header.count else {
                throw RecoupError(.dataError, "\(path):\(line): \(reader.fieldCount) fields, the header has \(header.count)")
            }
            let lf = reader.field(labelIndex)
            switch parseNumber(lf) {
            case .value(let v) where v == 0 || v == 1:
                labels.append(v == 1 ? 1 : 0)
            default:
                throw RecoupError(.dataError, "\(path):\(line): label '\(label)' is '\(String(decoding: lf, as: UTF8.self))', not 0 or 1")
            }
            for f in 0..<names.count {
                let field = reader.field(position[f])
                if isCat[f] {
                    if field.isEmpty {
                        columns[f].append(.nan)
                        continue
                    }
                    let s = String(decoding: field, as: UTF8.self)
                    if let c = codes[f][s] {
                        columns[f].append(Float(c))
                    } else if learnLevels {
                        let c = levels[f].count
                        codes[f][s] = c
                        levels[f].append(s)
                        columns[f].append(Float(c))
                    } else {
                        columns[f].append(.nan)  // a category the train table never had
                    }
                } else {
                    switch parseNumber(field) {
                    case .value(let v): columns[f].append(Float(v))
                    case .missing: columns[f].append(.nan)
                    case .invalid:
                        throw RecoupError(.dataError,
                            "\(path):\(line): column '\(names[f])': '\(String(decoding: field, as: UTF8.self))' is not a number",
                            details: "name the column with --categorical if it holds categories")
                    }
                }
            }
        }
        if labels.isEmpty { throw RecoupError(.dataError, "\(path): no rows after the header") }
        return Dataset(featureNames: names, columns: columns, labels: labels, isCategorical: isCat,
                       categoryLevels: levels)
    }

    /// " (did you mean 'x'?)" for the nearest name within two edits (or a third of the name), else "".
    static func didYouMean(_ word: String, _ names: [String]) -> String {
        let best = names.map { ($0, Suggest.distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (name, d) = best, d <= max(2, word.count / 3) else { return "" }
        return " (did you mean '\(name)'?)"
    }

    private static func readRecord(_ reader: CSVReader, _ path: String) throws -> Bool {
        do { return try reader.next() } catch let e as CSVReader.SyntaxError {
            throw RecoupError(.dataError, "\(path):\(e.line): \(e.reason)")
        }
    }

    enum Parsed: Equatable { case value(Double), missing, invalid }

    /// A decimal number (strtod syntax, surrounding spaces allowed); empty, NA and NaN are missing.
    static func parseNumber(_ bytes: UnsafeRawBufferPointer) -> Parsed {
        var lo = 0, hi = bytes.count
        while lo < hi && (bytes[lo] == 0x20 || bytes[lo] == 0x09) { lo += 1 }
        while hi > lo && (bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09) { hi -= 1 }
        let len = hi - lo
        if len == 0 { return .missing }
        if len <= 3 {
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self).lowercased()
            if word == "na" || word == "nan" { return .missing }
        }
        // Only digits, sign, point and exponent reach strtod (no hex, no "inf", no "nan(...)").
        for k in lo..<hi {
            switch bytes[k] {
            case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x45, 0x65: continue
            default: return .invalid
            }
        }
        if len >= 64 { return .invalid }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
            for k in 0..<len { buf[k] = CChar(bitPattern: bytes[lo + k]) }
            buf[len] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &end)
            guard let e = end, e - buf.baseAddress! == len else { return .invalid }
            return .value(v)
        }
    }
}
