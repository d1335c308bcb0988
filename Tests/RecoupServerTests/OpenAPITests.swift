import Foundation
import Hummingbird
import HummingbirdTesting
import OpenAPIKit30
import RecoupServer
import XCTest
import Yams

/// The served OpenAPI document is the router's truth: the same paths and methods, and live responses
/// carry what its schemas require, with the types it says.
final class OpenAPITests: XCTestCase {
    func load() throws -> [String: Any] {
        try XCTUnwrap(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
    }

    /// The resource file is a valid OpenAPI 3 document by OpenAPIKit's validator (references resolve,
    /// operation ids are unique, every operation has responses, …), not only YAML.
    func testDocumentIsValidOpenAPI3() throws {
        let document = try YAMLDecoder().decode(OpenAPI.Document.self, from: OpenAPIDocument.yaml)
        try document.validate()
        XCTAssertFalse(document.paths.isEmpty)
        XCTAssertEqual(document.openAPIVersion, .v3_0_3)
    }

    func testDocumentAndRouterListTheSameOperations() throws {
        let f = try ServerFixture()
        let doc = try load()
        XCTAssertEqual(doc["openapi"] as? String, "3.0.3")
        let paths = try XCTUnwrap(doc["paths"] as? [String: Any])
        var documented = Set<String>()
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys { documented.insert(method.uppercased() + " " + path) }
        }
        let routed = Set(f.server.makeRouter().routes.map { "\($0.method.rawValue) \($0.path)" })
        XCTAssertEqual(documented, routed)
    }

    func testServedDocumentIsTheSame() async throws {
        let f = try ServerFixture()
        try await f.server.makeApplication().test(.router) { client in
            let r = try await client.get("/openapi.yaml")
            XCTAssertEqual(r.status, .ok)
            XCTAssertEqual(r.text, OpenAPIDocument.yaml)
        }
    }

    /// Calls every operation with a good request (and some bad ones) and checks each body against the
    /// documented schema of its status.
    func testLiveResponsesMatchTheirSchemas() async throws {
        let f = try ServerFixture()
        let doc = try load()
        let validator = SchemaValidator(document: doc)
        let admin = f.headers("admin")
        var jsonAccept = admin
        jsonAccept[.accept] = "application/json"
        let calls: [(HTTPRequest.Method, String, String, HTTPFields, String?)] = [
            (.get, "/v1/health", "/v1/health", [:], nil),
            (.get, "/v1/scores/A1", "/v1/scores/{account_id}", admin, nil),
            (.get, "/v1/scores/NOPE", "/v1/scores/{account_id}", admin, nil),
            (.post, "/v1/scores:batch", "/v1/scores:batch", admin, #"{"account_ids":["A1","A2","Z"]}"#),
            (.post, "/v1/scores:batch", "/v1/scores:batch", admin, #"{"ids":[]}"#),
            (.get, "/v1/queues", "/v1/queues", admin, nil),
            (.get, "/v1/queues/everyone?limit=3", "/v1/queues/{name}", admin, nil),
            (.get, "/v1/queues/nope", "/v1/queues/{name}", admin, nil),
            (.get, "/v1/queues/everyone", "/v1/queues/{name}", [:], nil),
            (.post, "/v1/query", "/v1/query", admin, #"{"query":"from scores | sort expected_value desc | take 3"}"#),
            (.post, "/v1/query", "/v1/query", admin, #"{"query":"from scores | take"}"#),
            (.get, "/v1/kpi/recovery_rate?by=portfolio", "/v1/kpi/{name}", admin, nil),
            (.get, "/v1/kpi/nope", "/v1/kpi/{name}", admin, nil),
            (.get, "/v1/reports", "/v1/reports", admin, nil),
            (.get, "/v1/reports/monthly/latest", "/v1/reports/{name}/latest", jsonAccept, nil),
            (.get, "/v1/reports/never/latest", "/v1/reports/{name}/latest", admin, nil),
            (.get, "/metrics", "/metrics", [:], nil),
            (.get, "/openapi.yaml", "/openapi.yaml", [:], nil),
        ]
        let seen = try await f.server.makeApplication().test(.router) { client -> Set<String> in
            var seen = Set<String>()
            for (method, uri, path, headers, body) in calls {
                let r = try await client.execute(
                    uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                let op = try XCTUnwrap(
                    ((doc["paths"] as? [String: Any])?[path] as? [String: Any])?[method.rawValue.lowercased()]
                        as? [String: Any])
                let responses = try XCTUnwrap(op["responses"] as? [String: Any])
                guard var response = responses[String(r.status.code)] as? [String: Any] else {
                    XCTFail("\(method) \(uri): status \(r.status.code) is not documented")
                    continue
                }
                if let ref = response["$ref"] as? String { response = validator.resolve(ref) }
                let content = try XCTUnwrap(response["content"] as? [String: Any], "\(uri)")
                let type = (r.headers[.contentType] ?? "").split(separator: ";").first.map(String.init) ?? ""
                let media = try XCTUnwrap(
                    content[type] as? [String: Any], "\(method) \(uri): content type \(type) is not documented")
                if type == "application/json" {
                    let json = try JSONSerialization.jsonObject(with: Data(r.text.utf8), options: [.fragmentsAllowed])
                    let problems = validator.check(json, against: media["schema"] as? [String: Any] ?? [:], at: "$")
                    XCTAssertEqual(problems, [], "\(method) \(uri) \(r.status.code): \(r.text.prefix(400))")
                }
                seen.insert(method.rawValue + " " + path)
            }
            return seen
        }
        XCTAssertEqual(
            seen, Set(f.server.makeRouter().routes.map { "\($0.method.rawValue) \($0.path)" }),
            "every operation is called")
    }
}

/// Enough of OpenAPI 3.0's schema rules for our document: $ref, type, nullable, required, properties,
/// items, enum, allOf.
struct SchemaValidator {
    let document: [String: Any]

    func resolve(_ ref: String) -> [String: Any] {
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return node as? [String: Any] ?? [:]
    }

    func check(_ value: Any, against schema: [String: Any], at path: String) -> [String] {
        if let ref = schema["$ref"] as? String { return check(value, against: resolve(ref), at: path) }
        if value is NSNull {
            return schema["nullable"] as? Bool == true || schema.isEmpty ? [] : ["\(path): null but not nullable"]
        }
        var problems: [String] = []
        if let all = schema["allOf"] as? [[String: Any]] {
            for s in all { problems += check(value, against: s, at: path) }
        }
        switch schema["type"] as? String {
        case "object":
            guard let o = value as? [String: Any] else { return ["\(path): not an object"] }
            for r in schema["required"] as? [String] ?? [] where o[r] == nil {
                problems.append("\(path): missing required `\(r)`")
            }
            let props = schema["properties"] as? [String: Any] ?? [:]
            for (k, v) in o {
                if let p = props[k] as? [String: Any] { problems += check(v, against: p, at: path + "." + k) }
            }
        case "array":
            guard let a = value as? [Any] else { return ["\(path): not an array"] }
            if let items = schema["items"] as? [String: Any] {
                for (i, v) in a.enumerated() { problems += check(v, against: items, at: "\(path)[\(i)]") }
            }
        case "string":
            if !(value is String) { problems.append("\(path): not a string") }
        case "integer":
            if !(value is NSNumber) || (value as? NSNumber).map({ $0.doubleValue != $0.doubleValue.rounded() }) == true
            {
                problems.append("\(path): not an integer")
            }
        case "number":
            if !(value is NSNumber) || value is Bool { problems.append("\(path): not a number") }
        case "boolean":
            if !(value is Bool) { problems.append("\(path): not a boolean") }
        default:
            break
        }
        if let e = schema["enum"] as? [Any], let s = value as? String, !e.contains(where: { "\($0)" == s }) {
            problems.append("\(path): `\(s)` is not one of \(e)")
        }
        return problems
    }
}
