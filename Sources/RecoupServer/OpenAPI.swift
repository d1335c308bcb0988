import Foundation

/// The OpenAPI 3 document the server serves at `GET /openapi.yaml`: the resource file
/// `Sources/RecoupServer/openapi.yaml`, embedded in the binary at build time (so a copied binary
/// needs no resource bundle beside it). Tests check that it is valid OpenAPI 3, that its paths are the
/// router's routes and that live responses carry the members it marks required.
public enum OpenAPIDocument {
    public static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
