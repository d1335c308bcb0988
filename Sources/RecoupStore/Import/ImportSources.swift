import Foundation

/// Resolves the paths given to `recoup import` into the files of each table.
enum ImportSources {
    struct Source {
        let schema: TableSchema
        let path: String
        /// How errors name the file.
        let name: String
    }

    /// A file belongs to a table when its name is `TABLE.csv` or starts with `TABLE` and
    /// ends with `.csv` (`contacts-2025-06-01.csv`).
    static func table(for fileName: String) -> TableSchema? {
        guard fileName.lowercased().hasSuffix(".csv") else { return nil }
        return Schema.tables.first { fileName.hasPrefix($0.name) }
    }

    static func resolve(_ paths: [String]) throws -> [Source] {
        guard !paths.isEmpty else { throw RecoupError(.usage, "import needs at least one file or folder") }
        var out: [Source] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else { throw RecoupError(.noInput, "no such file or folder: \(p)") }
            if isDir.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: p)) ?? []).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
                var found = false
                for n in names {
                    guard let t = table(for: n) else {
                        throw RecoupError(.usage, "\(p)/\(n): not a file of the data contract (expected accounts, contacts, payments or promises .csv)")
                    }
                    out.append(Source(schema: t, path: p + "/" + n, name: n))
                    found = true
                }
                if !found { throw RecoupError(.noInput, "\(p) holds none of accounts.csv, contacts.csv, payments.csv, promises.csv") }
            } else {
                let n = (p as NSString).lastPathComponent
                guard let t = table(for: n) else {
                    throw RecoupError(.usage, "\(p): not a file of the data contract (its name must start with accounts, contacts, payments or promises and end in .csv)")
                }
                out.append(Source(schema: t, path: p, name: n))
            }
        }
        return out
    }
}
