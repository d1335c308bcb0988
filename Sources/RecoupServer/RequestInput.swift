import Foundation
import Hummingbird
import RecoupKPI
import RecoupQuery
import RecoupStore

extension APIServer {
    /// The body as a JSON object with only the allowed members (400 otherwise; 413 past the body limit).
    func readJSONObject(_ request: Request, allowed: Set<String>) async throws -> [String: JSONValue] {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > config.maxBodyBytes {
            throw APIError(.contentTooLarge, "body_too_large", "the body has \(length) bytes; at most \(config.maxBodyBytes)")
        }
        // Read by hand so a chunked body without a length stops at the limit with our 413.
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard buffer.readableBytes + chunk.readableBytes <= config.maxBodyBytes else {
                throw APIError(.contentTooLarge, "body_too_large", "the body is larger than \(config.maxBodyBytes) bytes")
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer))
        } catch {
            throw APIError.badRequest("malformed_json", "the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw APIError.badRequest("malformed_json", "the body must be a JSON object") }
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw APIError.badRequest("unknown_field", "unknown field `\(key)`; this endpoint takes " + allowed.sorted().map { "`\($0)`" }.joined(separator: ", "))
        }
        return object
    }
}

/// Any JSON value, decoded strictly (for bodies whose members are checked by hand).
indirect enum JSONValue: Decodable, Sendable {
    case null, bool(Bool), int(Int64), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// A query parameter's text: strings as they are, numbers and booleans as written.
    var parameterText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}

/// `GET /v1/kpi/{name}` parameters, checked like `recoup kpi` checks its options.
enum KPIRequest {
    static let names: Set<String> = ["as_of", "from", "to", "by", "grace", "month", "summary"]

    static func parameters(_ q: Hummingbird.Parameters) throws -> KPIParameters {
        for (k, _) in q where !names.contains(String(k)) {
            throw APIError.badRequest("unknown_parameter", "unknown parameter `\(k)`; KPIs take " + names.sorted().joined(separator: ", "))
        }
        func date(_ name: String) throws -> Int32? {
            guard let raw = q.get(name) else { return nil }
            guard let d = CivilDate.parse(raw) else {
                throw APIError.badRequest("invalid_parameter", "`\(name)` \(raw): expected a real date YYYY-MM-DD")
            }
            return d
        }
        var p = KPIParameters()
        p.asOf = try date("as_of")
        p.from = try date("from")
        p.to = try date("to")
        if let m = q.get("month") {
            guard let d = CivilDate.parse(m + "-01") else { throw APIError.badRequest("invalid_parameter", "`month` \(m): expected YYYY-MM") }
            p.month = d
        }
        if let g = q.get("grace") {
            do { p.grace = try KPIParameters.grace(text: g) } catch let e as RecoupError {
                throw APIError.badRequest("invalid_parameter", e.message)
            }
        }
        if let s = q.get("summary") {
            guard s == "true" || s == "false" else { throw APIError.badRequest("invalid_parameter", "`summary` must be true or false") }
            p.summary = s == "true"
        }
        do { p.by = try KPIParameters.dimensions(commaSeparated: q.get("by") ?? "") } catch let e as RecoupError {
            throw APIError.badRequest("invalid_parameter", e.message + "; " + (e.details ?? ""))
        }
        return p
    }
}
