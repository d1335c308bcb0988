import Foundation

/// A store is a folder:
///
///     FORMAT                  "recoup-store 1"
///     LOCK                    held (flock) by the one writer
///     manifests/NNNNNNNN.json one per commit, never modified
///     data/TABLE/C-S.seg      segment S written by commit C, never modified
///
/// The latest commit is the highest-numbered manifest. A manifest appears by
/// an atomic rename after every file it names is fsynced, so a crash at any
/// moment leaves the store at its last commit; files a crashed writer left
/// behind are named by no manifest and are removed by the next writer.
public enum Store {
    public static let formatLine = "recoup-store 1"

    static func manifestsDir(_ root: String) -> String { root + "/manifests" }
    static func manifestPath(_ root: String, _ commit: Int) -> String {
        manifestsDir(root) + "/" + pad8(commit) + ".json"
    }

    static func pad8(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }

    public static func exists(_ root: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "/FORMAT")
    }

    /// Every commit id, ascending.
    public static func commits(_ root: String) throws -> [Int] {
        guard exists(root) else { throw RecoupError(.noInput, "no store at \(root)", details: "create one with `recoup import PATH…` (or set --store / $RECOUP_STORE)") }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: manifestsDir(root))) ?? []
        return names.compactMap { n -> Int? in
            guard n.hasSuffix(".json"), n.count == 13 else { return nil }
            return Int(n.prefix(8))
        }.sorted()
    }

    /// The store as of `commit` (default: the latest). A store with no commit yet
    /// opens as an empty snapshot (commit 0).
    public static func open(_ root: String, commit: Int? = nil) throws -> Snapshot {
        guard exists(root) else { throw RecoupError(.noInput, "no store at \(root)", details: "create one with `recoup import PATH…` (or set --store / $RECOUP_STORE)") }
        let format = (try? String(contentsOfFile: root + "/FORMAT", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard format == formatLine else {
            throw RecoupError(.dataError, "\(root) is not a store this version can read (FORMAT says \(format ?? "nothing"), expected \(formatLine))")
        }
        let all = try commits(root)
        let id: Int
        if let commit {
            guard all.contains(commit) else {
                throw RecoupError(.noInput, "no commit \(commit) in \(root)", details: "commits: " + all.map(String.init).joined(separator: ", "))
            }
            id = commit
        } else {
            guard let last = all.last else { return Snapshot(root: root, manifest: Manifest(commit: 0, parent: nil, message: "empty", tables: [:])) }
            id = last
        }
        return Snapshot(root: root, manifest: try readManifest(root, id))
    }

    static func readManifest(_ root: String, _ commit: Int) throws -> Manifest {
        let path = manifestPath(root, commit)
        let bytes = try FileIO.readAll(path)
        do {
            let m = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
            guard m.format == Manifest.formatVersion else {
                throw RecoupError(.dataError, "manifest \(path) has format \(m.format); this version reads \(Manifest.formatVersion)")
            }
            return m
        } catch let e as RecoupError {
            throw e
        } catch {
            throw RecoupError(.dataError, "manifest \(path) is corrupt: \(error)")
        }
    }
}
