import Foundation
import Hummingbird
import RecoupQuery
import RecoupStore

/// An error answered as API.md's JSON body `{"error":{"code","message",…}}` with a fitting status.
/// Every failure a client can cause becomes one of these; nothing else reaches the client.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// More members of the `error` object (already JSON-encoded values), e.g. a query error's line and column.
    public var extra: [(String, String)]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, extra: [(String, String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
    }

    public var headers: HTTPFields { [.contentType: "application/json"] }

    public var json: String {
        var s = "{\"error\":{\"code\":" + JSON.string(code) + ",\"message\":" + JSON.string(message)
        for (k, v) in extra { s += "," + JSON.string(k) + ":" + v }
        return s + "}}\n"
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    static func notFound(_ code: String, _ message: String) -> APIError { APIError(.notFound, code, message) }
}

extension APIError {
    /// Any error thrown while serving a request, as the error the client gets.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as QueryError:
            return from(queryError: e, text: nil)
        case let e as RecoupError:
            switch e.kind {
            case .usage, .dataError: return APIError(.badRequest, "bad_request", e.message)
            case .noInput: return APIError(.notFound, "not_found", e.message)
            case .unavailable, .tempFailure: return APIError(.serviceUnavailable, "unavailable", e.message)
            case .internal, .cannotCreate: return APIError(.internalServerError, "internal", "internal error")
            }
        case let e as HTTPError:
            return from(status: e.status, message: e.body)
        case _ where String(describing: type(of: error)) == "NIOTooManyBytesError":
            return APIError(.contentTooLarge, "body_too_large", "the request body is too large")
        case is DecodingError:
            return APIError(.badRequest, "malformed_json", "the body is not the JSON this endpoint expects")
        default:
            return APIError(.internalServerError, "internal", "internal error")
        }
    }

    static func from(status: HTTPResponse.Status, message: String?) -> APIError {
        switch status.code {
        case 404: return APIError(status, "not_found", message ?? "no such endpoint")
        case 405: return APIError(status, "method_not_allowed", message ?? "method not allowed")
        case 413: return APIError(status, "body_too_large", message ?? "the request body is too large")
        case 408: return APIError(status, "request_timeout", message ?? "the request took too long")
        case 400..<500: return APIError(status, "bad_request", message ?? status.reasonPhrase)
        default: return APIError(status, "internal", message ?? status.reasonPhrase)
        }
    }

    /// A query error: 422 for the limits (time, rows), 400 for the query itself; line, column and the
    /// rendered caret picture go along when the error has a place.
    static func from(queryError e: QueryError, text: String?) -> APIError {
        var extra: [(String, String)] = [("query_code", JSON.string(e.code))]
        if let span = e.span {
            extra.append(("line", String(span.line)))
            extra.append(("column", String(span.column)))
        }
        if let help = e.help { extra.append(("help", JSON.string(help))) }
        if let text { extra.append(("rendered", JSON.string(e.render(text)))) }
        switch e.code {
        case "RQ901", "RQ900": return APIError(.unprocessableContent, "query_timeout", e.message, extra: extra)
        case "RQ902": return APIError(.unprocessableContent, "query_too_many_rows", e.message, extra: extra)
        default: return APIError(.badRequest, "invalid_query", e.message, extra: extra)
        }
    }
}

/// Turns every error thrown below it into API.md's JSON error body; a failure that is not the client's
/// is logged and answered with a bare 500 message (never a stack trace).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let e = APIError.from(error)
            if e.status.code == 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return try e.response(from: request, context: context)
        }
    }
}
